using System.Text.Json.Nodes;
using DataPool.Core.Sync;
using DataPool.Server.Runs;

namespace DataPool.Server.Sources;

/// <summary>
/// A registered source as listed, with its latest run (null before the first), when its schedule runs it next
/// (Beijing time, ISO 8601 with +08:00; null without a schedule or a scheduler), when its last successful run
/// finished (the age of its newest data in the pool), and whether its latest run failed.
/// </summary>
public sealed record SourceSummary(string Id, string Name, string Department, string Kind, int Priority, string? Schedule,
    string? File, string UpdatedAt, RunSummary? LastRun, string? NextRunAt = null, string? LastSucceededAt = null, bool Failing = false);

/// <summary>
/// One source's definition with every secret masked. <c>File</c> is null for a definition added through the
/// API; <c>BaseDirectory</c> is the folder its relative paths resolve against.
/// </summary>
public sealed record SourceDetail(string Id, string? File, string BaseDirectory, string UpdatedAt, JsonNode Definition);

/// <summary>A sync queued now: its run (follow it at <c>Run</c>, the Location), the background job, and the source's run history.</summary>
public sealed record SyncQueued(string SourceId, long RunId, string JobId, string Run, string Runs);

/// <summary>
/// A dry run: the first mapped rows and every row that would be quarantined with its reasons (the first
/// 200 listed; <c>Bad</c> counts them all). <c>Failure</c> says why the whole source would fail (a missing
/// file, a lost column); nothing is written either way.
/// </summary>
public sealed record CheckReport(string SourceId, bool Passed, string? Failure, long Read, long Ok, long Bad,
    IReadOnlyList<CheckedRow> Rows, IReadOnlyList<CheckedRow> Errors)
{
    public static CheckReport From(CheckResult result) => new(result.SourceId, result.Passed, result.Failure,
        result.Read, result.Read - result.Bad, result.Bad, result.Rows, result.Errors);
}
