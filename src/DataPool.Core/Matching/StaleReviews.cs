namespace DataPool.Core.Matching;

/// <summary>
/// Review items whose question has been answered meanwhile. A pending item asks whether two persons are one; once they
/// are (a cluster merge of a later sync, another item accepted, an admin's merge), the item asks nothing any more and
/// would wait in the queue for ever. It is closed as <see cref="ReviewStatus.Joined"/>, decided by the matcher, the
/// person both sides now are recorded as its survivor, so the queue shows only open questions and the history keeps how
/// each item ended. A split that separates the two persons again reopens the question: the item is pending once more.
/// </summary>
internal static class StaleReviews
{
    /// <summary>Closes the entity's (<c>@entity</c>) pending items whose two sides are now one person (at <c>@now</c>).</summary>
    public static readonly string CloseSql =
        $"UPDATE dp_match_reviews SET status = '{ReviewStatus.Joined}', decided_by = '{ClusterMerges.DecidedBy}', decided_at = @now, " +
        $"survivor = {Resolved("candidate_pool")} " +
        $"WHERE entity = @entity AND status = '{ReviewStatus.Pending}' AND {Resolved("pool_id")} = {Resolved("candidate_pool")}";

    /// <summary>Reopens the entity's (<c>@entity</c>) items closed as joined whose two sides are two persons again (after a split).</summary>
    public static readonly string ReopenSql =
        $"UPDATE dp_match_reviews SET status = '{ReviewStatus.Pending}', decided_by = NULL, decided_at = NULL, survivor = NULL " +
        $"WHERE entity = @entity AND status = '{ReviewStatus.Joined}' AND {Resolved("pool_id")} <> {Resolved("candidate_pool")}";

    /// <summary>
    /// The person a review's side lives in now. One hop suffices: a merge points every redirect into the merged id at the
    /// survivor (<see cref="ClusterMerges.Statements"/>), and the survivor is always resolved first.
    /// </summary>
    private static string Resolved(string column) =>
        $"COALESCE((SELECT MIN(d.to_pool) FROM dp_match_redirects d WHERE d.entity = dp_match_reviews.entity AND d.from_pool = dp_match_reviews.{column}), dp_match_reviews.{column})";
}
