namespace DataPool.Core.Matching;

/// <summary>
/// Where a row goes: an existing pool record, or a new one (then <see cref="PoolId"/> is null until created).
/// A scored decision carries the breakdown; a link by exact ID number (<see cref="ById"/>) has no score. A row that links
/// more persons than one names the others (<see cref="Others"/>, each with the row's score against it): merged into
/// <see cref="PoolId"/> when <see cref="Merge"/>, else each a review item (<see cref="PersonMatcher"/>'s chaining guard).
/// </summary>
internal sealed record Placement(long? PoolId, string? Decision, double? Score, long? Candidate, MatchScore? Breakdown = null, bool ById = false,
    IReadOnlyList<(long Pool, MatchScore Score)>? Others = null, bool Merge = false);
