using System.Collections.Concurrent;
using System.Data.Common;
using DataPool.Core.Store;
using DataPool.Core.Store.Writing;
using Microsoft.Extensions.Logging;

namespace DataPool.Core.Sync;

/// <summary>
/// The run records of syncs asked for now and their live progress. A "sync now" gets its run id before a worker
/// picks it up (a <c>queued</c> run the worker then claims), so the caller can follow it from the start.
/// Progress is kept in this process and, where the store lets another connection write beside a sync's open
/// transaction (PostgreSQL), in the run's row too, so every node sees the runs of every other node.
/// </summary>
public sealed class RunBook(PoolDatabase database, ILogger<RunBook> logger)
{
    public const string Queued = "queued";

    private readonly ConcurrentDictionary<long, RunProgress> _live = new();

    /// <summary>Records a run that a worker will start; its id is the one that worker's run keeps.</summary>
    public async Task<long> QueueAsync(string sourceId, string trigger, bool confirmDeletions, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ScalarAsync<long>(
            "INSERT INTO dp_runs (source_id, status, trigger, started_at, deletions_confirmed) VALUES (@source, 'queued', @trigger, @now, @confirmed) RETURNING id",
            null, cancellationToken, ("@source", sourceId), ("@trigger", trigger), ("@now", SourceLock.Now()), ("@confirmed", confirmDeletions ? 1L : 0L));
    }

    /// <summary>A queued run that will never start (its source was removed before a worker got to it).</summary>
    public async Task DropQueuedAsync(long runId, string why, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE dp_runs SET status = 'failed', error = @error, finished_at = @now WHERE id = @id AND status = 'queued'",
            null, cancellationToken, ("@id", runId), ("@error", why), ("@now", SourceLock.Now()));
    }

    /// <summary>When each source's last successful run finished: the age of the newest data the pool has from it.</summary>
    public async Task<IReadOnlyDictionary<string, string>> LastSucceededAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT source_id, MAX(finished_at) FROM dp_runs WHERE status = 'succeeded' GROUP BY source_id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            result[reader.GetString(0)] = reader.GetString(1);
        }

        return result;
    }

    /// <summary>A running run's progress: this process's own runs first, then what another node stored.</summary>
    public async Task<RunProgress?> ProgressAsync(long runId, CancellationToken cancellationToken)
    {
        if (_live.TryGetValue(runId, out var progress))
        {
            return progress;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        return RunProgress.FromJson(await connection.ScalarAsync<string>("SELECT progress FROM dp_runs WHERE id = @id AND status = 'running'",
            null, cancellationToken, ("@id", runId)));
    }

    internal async Task PublishAsync(long runId, RunProgress progress, CancellationToken cancellationToken)
    {
        _live[runId] = progress;
        if (!database.Dialect.WritesBesideOpenTransactions)
        {
            return;
        }

        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await connection.ExecuteAsync("UPDATE dp_runs SET progress = @progress WHERE id = @id", null, cancellationToken,
                ("@id", runId), ("@progress", progress.ToJson()));
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            // Progress is a courtesy: a busy store must not fail the sync it reports on.
            logger.LogDebug(e, "Progress of run {RunId} not stored", runId);
        }
    }

    /// <summary>The run is over: its row has the final counts, and live progress would only go stale.</summary>
    internal void Finished(long runId) => _live.TryRemove(runId, out _);
}
