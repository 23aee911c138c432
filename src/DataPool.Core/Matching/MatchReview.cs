using DataPool.Core.Access;

namespace DataPool.Core.Matching;

/// <summary>One side of a review item: a pool record and its values (the row's own values on the left).</summary>
public sealed record MatchSide(long PoolId, string? SourceId, string? Stream, string? Location, IReadOnlyDictionary<string, string> Values)
{
    /// <summary>The side as the viewer may see it: fields not granted are left out (not even named), sensitive ones masked as granted.</summary>
    public MatchSide ShownTo(PoolView view)
    {
        var shown = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, value) in Values)
        {
            if (view.Present(field, value) is { } presented)
            {
                shown[field] = presented;
            }
        }

        return this with { Values = shown };
    }
}

/// <summary>
/// An uncertain match: the row (left, with the provisional person it got) against the pool person it
/// resembles (right), the score and its breakdown per field, and what an admin decided.
/// </summary>
public sealed record ReviewItem(long Id, string Entity, string Status, double Score, long RecordId, MatchSide Left, MatchSide Right,
    IReadOnlyList<FieldScore> Fields, string? DecidedBy, string? DecidedAt, long? Survivor, long? Merged)
{
    /// <summary>
    /// Both sides and the compared values of the breakdown as the viewer may see them (<see cref="MatchSide.ShownTo"/>);
    /// audit <see cref="ShownPoolIds"/> and <see cref="ShownFields"/> before the item leaves.
    /// </summary>
    public ReviewItem ShownTo(PoolView view) => this with
    {
        Left = Left.ShownTo(view),
        Right = Right.ShownTo(view),
        Fields = Fields.Select(f => f with { Left = view.Present(f.Field, f.Left), Right = view.Present(f.Field, f.Right) }).ToList(),
    };

    /// <summary>The pool records whose values the item shows: the row's provisional record and the candidate.</summary>
    public IReadOnlyList<long> ShownPoolIds() => Left.PoolId == Right.PoolId ? [Left.PoolId] : [Left.PoolId, Right.PoolId];

    /// <summary>The fields whose values the item shows, on either side.</summary>
    public IReadOnlyList<string> ShownFields() =>
        Left.Values.Keys.Union(Right.Values.Keys, StringComparer.Ordinal)
            .Union(Fields.Where(f => f.Left is not null || f.Right is not null).Select(f => f.Field), StringComparer.Ordinal).ToList();
}

/// <summary>A page of review items.</summary>
public sealed record ReviewPage(IReadOnlyList<ReviewItem> Items, long Total, int Page, int Size);

/// <summary>What an admin's decision did, or why it could not be done (<see cref="Problem"/>; <see cref="NotFound"/> for an unknown item).</summary>
public sealed record ReviewOutcome(ReviewItem? Item, string? Problem = null, bool NotFound = false)
{
    public static ReviewOutcome Missing(long id) => new(null, $"no review item {id}", true);
}

/// <summary>A source record moved out of its person (<see cref="MatchDecider.DetachAsync"/>): from which person to which new one, or why not.</summary>
public sealed record DetachOutcome(long RecordId, long? FromPool, long? ToPool, string? Problem, bool NotFound = false);

/// <summary>A conflict listed across the pool: which record, which field, the values the sources hold and the chosen one.</summary>
public sealed record ConflictRow(string Entity, long PoolId, string Field, string? Chosen, IReadOnlyList<ConflictCandidate> Candidates)
{
    /// <summary>
    /// The conflicts the viewer may see, their values as granted: a conflict of a field not granted is left out (the field
    /// is not even named); audit the rows' pool ids and fields before they leave.
    /// </summary>
    public static List<ConflictRow> ShownTo(IEnumerable<ConflictRow> rows, PoolView view) =>
        rows.Where(r => view.Shows(r.Field))
            .Select(r => r with
            {
                Chosen = view.Present(r.Field, r.Chosen),
                Candidates = r.Candidates.Select(c => c with { Value = view.Present(r.Field, c.Value) }).ToList(),
            })
            .ToList();
}

/// <summary>One source's value in a conflict: its source record, its source and the value it holds.</summary>
public sealed record ConflictCandidate(long Record, string Source, string? Value);

/// <summary>The pending review items, in all and per source of the row under review.</summary>
public sealed record ReviewSummary(long Pending, IReadOnlyDictionary<string, long> PendingBySource);

/// <summary>Review item states.</summary>
public static class ReviewStatus
{
    public const string Pending = "pending";
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";
    public const string Split = "split";

    /// <summary>Closed by the matcher: the two persons became one meanwhile, so there was nothing left to decide (<see cref="StaleReviews"/>).</summary>
    public const string Joined = "joined";
}
