using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using DataPool.Core.Store;

namespace DataPool.Core.Sync;

/// <summary>What a run did. read = accepted + quarantined; accepted = new + updated + unchanged.</summary>
public sealed record RunCounts(long Read, long Accepted, long Quarantined, long New, long Updated, long Unchanged, long Deleted);

/// <summary>One run as listed: status, when, how long, what it did, why it failed, and whether an admin confirmed its deletions.</summary>
public sealed record RunSummary(long Id, string SourceId, string Status, string? Trigger, string? Node,
    string StartedAt, string? FinishedAt, double? Seconds, RunCounts Counts, string? Error, bool DeletionsConfirmed = false);

/// <summary>
/// One run with its per-stream counts and timings (milliseconds), as the runner recorded them, and while it is
/// queued or running, where it is (<see cref="Progress"/>; null once it has ended or before its first rows).
/// </summary>
public sealed record RunDetail(long Id, string SourceId, string Status, string? Trigger, string? Node,
    string StartedAt, string? FinishedAt, double? Seconds, RunCounts Counts, string? Error, JsonElement? Streams, bool DeletionsConfirmed = false,
    DataPool.Core.Sync.RunProgress? Progress = null);

/// <summary>Reads dp_runs (written by the sync runner).</summary>
public static class RunQueries
{
    private const string Columns =
        "id, source_id, status, trigger, node, started_at, finished_at, read, accepted, quarantined, new, updated, unchanged, deleted, error, deletions_confirmed";

    public static async Task<RunDetail?> GetAsync(PoolDatabase database, long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns}, details FROM dp_runs WHERE id = @id", null, ("@id", id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var run = Read(reader);
        var details = reader.GetNullableString(16);
        JsonElement? streams = string.IsNullOrEmpty(details) ? null : JsonDocument.Parse(details).RootElement.Clone();
        return new RunDetail(run.Id, run.SourceId, run.Status, run.Trigger, run.Node, run.StartedAt, run.FinishedAt, run.Seconds, run.Counts, run.Error, streams, run.DeletionsConfirmed);
    }

    /// <summary>A source's runs, newest first; <paramref name="before"/> pages back (keyset on the run id).</summary>
    public static async Task<IReadOnlyList<RunSummary>> ListAsync(PoolDatabase database, string sourceId, long? before, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var sql = $"SELECT {Columns} FROM dp_runs WHERE source_id = @source{(before is null ? "" : " AND id < @before")} ORDER BY id DESC LIMIT @limit";
        (string, object?)[] parameters = before is null
            ? [("@source", sourceId), ("@limit", limit)]
            : [("@source", sourceId), ("@before", before.Value), ("@limit", limit)];
        await using var command = connection.Command(sql, null, parameters);
        return await ReadAllAsync(command, cancellationToken);
    }

    /// <summary>The latest run of every source that has one, by source id.</summary>
    public static async Task<IReadOnlyDictionary<string, RunSummary>> LatestAsync(PoolDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM dp_runs WHERE id IN (SELECT MAX(id) FROM dp_runs GROUP BY source_id)");
        return (await ReadAllAsync(command, cancellationToken)).ToDictionary(r => r.SourceId, StringComparer.Ordinal);
    }

    private static async Task<IReadOnlyList<RunSummary>> ReadAllAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var runs = new List<RunSummary>();
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(Read(reader));
        }

        return runs;
    }

    private static RunSummary Read(DbDataReader reader)
    {
        var started = reader.GetString(5);
        var finished = reader.GetNullableString(6);
        return new RunSummary(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetNullableString(3), reader.GetNullableString(4),
            started, finished, Seconds(started, finished),
            new RunCounts(reader.GetInt64(7), reader.GetInt64(8), reader.GetInt64(9), reader.GetInt64(10), reader.GetInt64(11), reader.GetInt64(12), reader.GetInt64(13)),
            reader.GetNullableString(14), reader.GetInt64(15) != 0);
    }

    /// <summary>Wall-clock duration; null while the run is still going.</summary>
    private static double? Seconds(string started, string? finished) =>
        finished is not null
        && DateTimeOffset.TryParse(started, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var from)
        && DateTimeOffset.TryParse(finished, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var to)
            ? Math.Round((to - from).TotalSeconds, 3)
            : null;
}
