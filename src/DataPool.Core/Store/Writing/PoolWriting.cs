using System.Data.Common;
using System.Text.Json;
using DataPool.Core.Schema;

namespace DataPool.Core.Store.Writing;

/// <summary>What one run writes for: a source (or the review queue), why, and the entities it may change.</summary>
public sealed record PoolRunRequest(string SourceId, string Trigger, IReadOnlyCollection<string> Entities)
{
    /// <summary>One run of this source at a time across every node (a sync); a second is refused with <see cref="SourceBusyException"/>.</summary>
    public bool OneAtATime { get; init; }

    /// <summary>An admin confirmed that records missing from the export are gone (<c>dp_runs.deletions_confirmed</c>).</summary>
    public bool DeletionsConfirmed { get; init; }

    /// <summary>
    /// The run recorded <c>queued</c> when a sync was asked for (so the caller could follow it by id): this run takes
    /// it over while it is still queued, else (a retry after it ended) records a new one.
    /// </summary>
    public long? QueuedRunId { get; init; }

    /// <summary>The error a failed run records and shows; it must hold no secret.</summary>
    public Func<Exception, string> DescribeFailure { get; init; } = e => $"{e.GetType().Name}: {e.Message}";
}

/// <summary>The numbers a run records in <c>dp_runs</c>.</summary>
public sealed record RunTotals(long Read, long Accepted, long Quarantined, long New, long Updated, long Unchanged, long Deleted)
{
    public static readonly RunTotals None = new(0, 0, 0, 0, 0, 0, 0);
}

/// <summary>
/// The one unit of work that writes to the pool, for a sync and for an admin's decision alike: the run's row in
/// <c>dp_runs</c>, the source's lock (a sync), one transaction holding the entities' locks, the work through the run's
/// writers, the after-run steps (<see cref="IRunCompletedStep"/>: household linking, …) in the same transaction, the
/// commit, and only then the run marked succeeded. A failure or a cancellation rolls everything back and marks the
/// run failed or cancelled, so a run never reads succeeded for changes that were not kept.
/// </summary>
public sealed class PoolWriting(PoolDatabase database, SourceRegistry registry, IEnumerable<IRunCompletedStep> afterRun)
{
    private readonly IReadOnlyList<IRunCompletedStep> _afterRun = afterRun.ToList();

    /// <summary>Writes the run's row (<c>running</c>) on a connection of its own; <see cref="PoolRun.ExecuteAsync"/> then does the work.</summary>
    internal async Task<PoolRun> StartAsync(PoolRunRequest request, CancellationToken cancellationToken)
    {
        var ranks = await registry.RanksAsync(cancellationToken);
        var connection = await database.OpenAsync(cancellationToken);
        try
        {
            var runId = request.QueuedRunId is { } queued && await connection.ExecuteAsync(
                    "UPDATE dp_runs SET status = 'running', node = @node, started_at = @now WHERE id = @id AND source_id = @source AND status = 'queued'",
                    null, cancellationToken, ("@id", queued), ("@source", request.SourceId), ("@node", SourceLock.Node), ("@now", SourceLock.Now())) == 1
                ? queued
                : await connection.ScalarAsync<long>(
                    "INSERT INTO dp_runs (source_id, status, trigger, node, started_at, deletions_confirmed) VALUES (@source, 'running', @trigger, @node, @now, @confirmed) RETURNING id",
                    null, cancellationToken, ("@source", request.SourceId), ("@trigger", request.Trigger), ("@node", SourceLock.Node), ("@now", SourceLock.Now()),
                    ("@confirmed", request.DeletionsConfirmed ? 1L : 0L));
            return new PoolRun(database, connection, request, runId, ranks, _afterRun);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}

/// <summary>One started run of <see cref="PoolWriting"/>: executed once, then disposed.</summary>
internal sealed class PoolRun(PoolDatabase database, DbConnection connection, PoolRunRequest request, long runId,
    IReadOnlyDictionary<string, SourceRank> ranks, IReadOnlyList<IRunCompletedStep> afterRun) : IAsyncDisposable
{
    public long RunId => runId;

    /// <summary>What the run recorded as its error, once it failed.</summary>
    public string? Error { get; private set; }

    /// <param name="details">Serialised into <c>dp_runs.details</c> when the run finishes (the work may still fill it in); null: none.</param>
    public async Task<RunTotals> ExecuteAsync(Func<PoolRunScope, Task<RunTotals>> work, object? details, CancellationToken cancellationToken)
    {
        var dialect = database.Dialect;
        var locks = new SourceLock(connection, dialect);
        try
        {
            if (request.OneAtATime)
            {
                await locks.AcquireAsync(request.SourceId, runId, cancellationToken);
            }

            RunTotals totals;
            try
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await locks.LockEntitiesAsync(transaction, request.Entities, cancellationToken);
                var scope = new PoolRunScope(connection, transaction, dialect, request.SourceId, runId, ranks,
                    new PoolIdAllocator(connection, transaction, dialect, runId), database.Catalog, request.DeletionsConfirmed, cancellationToken);
                totals = await work(scope);
                foreach (var step in afterRun)
                {
                    await step.RunCompletedAsync(connection, transaction, dialect, runId, cancellationToken);
                }

                // Not cancellable: a commit that completes after the token fired would otherwise be recorded as cancelled.
                await transaction.CommitAsync(CancellationToken.None);
            }
            finally
            {
                if (request.OneAtATime)
                {
                    await locks.ReleaseAsync(request.SourceId);
                }
            }

            await FinishAsync("succeeded", totals, null, details);
            return totals;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C, SIGTERM or a server shutting down: the transaction was rolled back and the lock released above.
            Error = "cancelled before it finished (stopped by a signal or a shutdown); nothing it did was kept";
            await FinishAsync("cancelled", RunTotals.None, Error, details);
            throw;
        }
        catch (Exception e)
        {
            Error = request.DescribeFailure(e);
            await FinishAsync("failed", RunTotals.None, Error, details);
            throw;
        }
    }

    private Task FinishAsync(string status, RunTotals totals, string? error, object? details) =>
        connection.ExecuteAsync(
            """
            UPDATE dp_runs SET status = @status, finished_at = @now, read = @read, accepted = @accepted, quarantined = @quarantined,
                new = @new, updated = @updated, unchanged = @unchanged, deleted = @deleted, error = @error, details = @details,
                progress = NULL
            WHERE id = @id
            """,
            null, CancellationToken.None,
            ("@id", runId), ("@status", status), ("@now", SourceLock.Now()), ("@read", totals.Read), ("@accepted", totals.Accepted),
            ("@quarantined", totals.Quarantined), ("@new", totals.New), ("@updated", totals.Updated), ("@unchanged", totals.Unchanged),
            ("@deleted", totals.Deleted), ("@error", error), ("@details", details is null ? null : JsonSerializer.Serialize(details, JsonSerializerOptions.Web)));

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}

/// <summary>What a run's work writes with: its connection and transaction, its ids, and the sources' ranks.</summary>
internal sealed record PoolRunScope(DbConnection Connection, DbTransaction Transaction, SqlDialect Dialect, string SourceId, long RunId,
    IReadOnlyDictionary<string, SourceRank> Ranks, PoolIdAllocator Ids, SchemaCatalog Catalog, bool ConfirmDeletions, CancellationToken Token)
{
    /// <summary>The writer of one stream (or of the review queue's changes) to one entity, in the run's transaction.</summary>
    public PoolWriter Writer(PoolEntity entity, string stream) => new(Connection, Transaction, Dialect, entity, SourceId, stream, RunId);

    /// <summary>Survivorship over the records a writer links.</summary>
    public PoolRecompute Recompute(PoolWriter writer) => new(writer, writer.Entity, Ranks, RunId);
}
