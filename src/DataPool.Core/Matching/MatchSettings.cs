namespace DataPool.Core.Matching;

/// <summary>
/// The two thresholds on a Fellegi–Sunter score (bits): at or above <see cref="Link"/> a row joins the
/// candidate; from <see cref="Review"/> up to it the row gets a provisional person of its own and a review
/// item; below, a new person. Configured under <c>DataPool:Matching</c> (LinkThreshold, ReviewThreshold).
/// </summary>
public sealed record MatchSettings(double Link = 20, double Review = 12)
{
    public static readonly MatchSettings Default = new();

    /// <summary>What a row without a valid ID number must carry to be matched (<c>DataPool:Matching:Evidence</c>).</summary>
    public MatchEvidence Evidence { get; init; } = MatchEvidence.Default;

    /// <summary>The blocking rules a candidate is looked up by, any of them (<c>DataPool:Matching:Blocking</c>).</summary>
    public BlockingRules Blocking { get; init; } = BlockingRules.Default;

    /// <summary>The decision a score earns.</summary>
    public string Decide(double score) => score >= Link ? MatchDecisions.Auto : score >= Review ? MatchDecisions.Review : MatchDecisions.New;
}

/// <summary>How a source record came to its pool record (the <c>decision</c> column of <c>links export</c>).</summary>
public static class MatchDecisions
{
    public const string Auto = "auto";
    public const string Review = "review";
    public const string New = "new";
    public const string Manual = "manual";
}
