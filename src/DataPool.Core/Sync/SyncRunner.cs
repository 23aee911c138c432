using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DataPool.Abstractions;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using Microsoft.Extensions.Logging;

namespace DataPool.Core.Sync;

/// <summary>The outcome of replaying one corrected quarantined row.</summary>
public sealed record ReplayResult(bool Accepted, long RunId, IReadOnlyList<string> Reasons);

/// <summary>
/// Runs one source: every stream read through its connector and merged into the pool inside one
/// transaction, so a run that fails (bad file, lost column, crash) changes nothing but its own run record.
/// </summary>
public sealed class SyncRunner
{
    private readonly PoolDatabase _database;
    private readonly SourceRegistry _registry;
    private readonly IReadOnlyDictionary<string, IConnector> _connectors;
    private readonly ILogger<SyncRunner> _logger;
    private readonly IReadOnlyList<History.IRunCompletedStep> _afterRun;

    private readonly Matching.MatchSettings _matching;
    private readonly Values.ControlCharacterPolicy _controls;
    private readonly RunBook? _runs;

    public SyncRunner(PoolDatabase database, SourceRegistry registry, IEnumerable<IConnector> connectors, ILogger<SyncRunner> logger,
        IEnumerable<History.IRunCompletedStep>? afterRun = null, Matching.MatchSettings? matching = null, Values.TextOptions? text = null,
        RunBook? runs = null)
    {
        _runs = runs;
        _controls = (text ?? Values.TextOptions.Default).ControlCharacters;
        _matching = matching ?? Matching.MatchSettings.Default;
        _afterRun = afterRun?.ToList() ?? [];
        _database = database;
        _registry = registry;
        _connectors = connectors.ToDictionary(c => c.Kind, StringComparer.Ordinal);
        _logger = logger;
    }

    public IReadOnlyCollection<string> Kinds => _connectors.Keys.ToList();

    public Task<SyncResult> RunAsync(string sourceId, string trigger = "manual", IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default) =>
        RunAsync(sourceId, trigger, progress, confirmDeletions: false, cancellationToken);

    /// <param name="confirmDeletions">
    /// An admin confirmed that records missing from the export are really gone: full streams may then delete past
    /// the source's <c>maxDeleteShare</c> and from a file whose last line is cut off. The run records it.
    /// </param>
    public Task<SyncResult> RunAsync(string sourceId, string trigger, IProgress<SyncProgress>? progress, bool confirmDeletions, CancellationToken cancellationToken = default) =>
        RunAsync(sourceId, trigger, progress, confirmDeletions, null, cancellationToken);

    /// <param name="queuedRunId">The run <see cref="RunBook.QueueAsync"/> recorded for this sync, which it then keeps.</param>
    public async Task<SyncResult> RunAsync(string sourceId, string trigger, IProgress<SyncProgress>? progress, bool confirmDeletions, long? queuedRunId,
        CancellationToken cancellationToken = default)
    {
        var source = await _registry.GetAsync(sourceId, cancellationToken)
            ?? throw new SyncException($"no source '{sourceId}' is registered");
        var details = new Dictionary<string, object>();
        return await ExecuteAsync(source, trigger, details, confirmDeletions, async run =>
        {
            var counts = new SyncCounts();
            var tracker = new RunProgressTracker(sourceId, run.RunId, source.Definition.Streams.Count, _runs, progress);
            foreach (var stream in source.Definition.Streams)
            {
                var clock = Stopwatch.StartNew();
                var streamCounts = await SyncStreamAsync(run, source, stream, tracker, cancellationToken);
                counts.Add(streamCounts);
                details[stream.Name] = new { streamCounts.Read, streamCounts.Accepted, streamCounts.Quarantined, streamCounts.New, streamCounts.Updated, streamCounts.Unchanged, streamCounts.Deleted, Milliseconds = clock.ElapsedMilliseconds };
            }

            return counts;
        }, cancellationToken, queuedRunId);
    }

    /// <summary>
    /// Replays one quarantined row, with corrected values for some of its columns, through the same
    /// pipeline as its source. Accepted: the entry is marked replayed. Still bad: the entry keeps the
    /// corrected row and takes the new reasons.
    /// </summary>
    public async Task<ReplayResult> ReplayAsync(long quarantineId, IReadOnlyDictionary<string, string?> corrections, CancellationToken cancellationToken = default)
    {
        var entry = await QuarantineEntry.LoadAsync(_database, quarantineId, cancellationToken);
        var source = await _registry.GetAsync(entry.SourceId, cancellationToken)
            ?? throw new SyncException($"quarantined row {quarantineId}: its source '{entry.SourceId}' is no longer registered");
        var stream = source.Definition.Streams.FirstOrDefault(s => s.Name == entry.Stream)
            ?? throw new SyncException($"quarantined row {quarantineId}: source '{entry.SourceId}' has no stream '{entry.Stream}' any more");
        var row = entry.Corrected(corrections);
        IReadOnlyList<string> reasons = [];
        var result = await ExecuteAsync(source, $"replay:{quarantineId}", new Dictionary<string, object>(), false, async run =>
        {
            using var sync = new StreamSync(stream, _database.Catalog.Entity(stream.Entity), _database.Catalog,
                run.Writer(stream), run.Ranks, run.Ids, replayOf: quarantineId, matching: _matching, controls: _controls);
            sync.Process(row);
            sync.Complete();
            reasons = sync.Counts.Quarantined > 0 ? sync.LastReasons : [];
            if (sync.Counts.Quarantined == 0)
            {
                await run.Connection.ExecuteAsync("UPDATE dp_quarantine SET status = 'replayed', resolution = @resolution, last_run = @run WHERE id = @id",
                    run.Transaction, cancellationToken, ("@resolution", $"corrected and accepted by run {run.RunId}"), ("@run", run.RunId), ("@id", quarantineId));
            }

            return sync.Counts;
        }, cancellationToken);
        if (!result.Succeeded)
        {
            throw new SyncException(result.Error ?? "the replay failed");
        }

        return new ReplayResult(reasons.Count == 0, result.RunId, reasons);
    }

    private async Task<SyncResult> ExecuteAsync(LoadedSource source, string trigger, Dictionary<string, object> details, bool confirmDeletions,
        Func<RunScope, Task<SyncCounts>> work, CancellationToken cancellationToken, long? queuedRunId = null)
    {
        var sourceId = source.Definition.Id;
        var ranks = await _registry.RanksAsync(cancellationToken);
        await using var connection = await _database.OpenAsync(cancellationToken);
        var runId = await RunBook.StartAsync(connection, sourceId, trigger, confirmDeletions, queuedRunId, cancellationToken);
        var clock = Stopwatch.StartNew();
        var counts = new SyncCounts();
        var locks = new SourceLock(connection, _database.Dialect);
        using var finished = new RunFinished(_runs, runId);
        try
        {
            await locks.AcquireAsync(sourceId, runId, cancellationToken);
            try
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await locks.LockEntitiesAsync(transaction, source.Definition.Streams.Select(s => s.Entity), cancellationToken);
                var scope = new RunScope(connection, transaction, _database.Dialect, sourceId, runId, ranks,
                    new PoolIdAllocator(connection, transaction, _database.Dialect, runId), _database.Catalog, confirmDeletions);
                counts = await work(scope);
                foreach (var step in _afterRun)
                {
                    await step.RunCompletedAsync(connection, transaction, _database.Dialect, runId, cancellationToken);
                }

                // Not cancellable: a commit that completes after the token fired would otherwise be recorded as cancelled.
                await transaction.CommitAsync(CancellationToken.None);
            }
            finally
            {
                await locks.ReleaseAsync(sourceId);
            }

            await FinishRunAsync(connection, runId, "succeeded", counts, null, details);
            _logger.LogInformation("Run {RunId} of {SourceId} succeeded in {Elapsed}: {Counts}", runId, sourceId, clock.Elapsed, counts);
            return new SyncResult(sourceId, runId, true, counts, clock.Elapsed, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C, SIGTERM or a server shutting down: the transaction was rolled back and the lock released above.
            await FinishRunAsync(connection, runId, "cancelled", new SyncCounts(), "cancelled before it finished (stopped by a signal or a shutdown); nothing it did was kept", details);
            _logger.LogWarning("Run {RunId} of {SourceId} cancelled, nothing was changed", runId, sourceId);
            throw;
        }
        catch (Exception e) when (e is ConnectorException or SyncException or SourceDefinitionException or IOException or JsonException)
        {
            // Stored, logged and shown: never with a resolved secret in it.
            var error = source.MaskSecrets(e.Message);
            await FinishRunAsync(connection, runId, "failed", new SyncCounts(), error, details);
            _logger.LogWarning("Run {RunId} of {SourceId} failed, nothing was changed: {Error}", runId, sourceId, error);
            return new SyncResult(sourceId, runId, false, counts, clock.Elapsed, error);
        }
        catch (Exception e)
        {
            await FinishRunAsync(connection, runId, "failed", new SyncCounts(), $"{e.GetType().Name}: {e.Message}", details);
            _logger.LogError(e, "Run {RunId} of {SourceId} failed, nothing was changed", runId, sourceId);
            throw;
        }
    }

    private async Task<SyncCounts> SyncStreamAsync(RunScope run, LoadedSource source, StreamDefinition stream, RunProgressTracker progress, CancellationToken cancellationToken)
    {
        var definition = source.Definition;
        if (!_connectors.TryGetValue(definition.Kind, out var connector))
        {
            throw new SyncException($"kind '{definition.Kind}' has no registered connector (registered: {string.Join(", ", _connectors.Keys)})");
        }

        var cursor = stream.Mode == StreamModes.Incremental
            ? await run.Connection.ScalarAsync<string>("SELECT value FROM dp_cursors WHERE source_id = @source AND stream = @stream", run.Transaction, cancellationToken, ("@source", definition.Id), ("@stream", stream.Name))
            : null;
        var context = source.ContextFor(stream, cursor);
        using var sync = new StreamSync(stream, _database.Catalog.Entity(stream.Entity), _database.Catalog, run.Writer(stream), run.Ranks, run.Ids, matching: _matching, controls: _controls);
        await progress.BeginStreamAsync(stream.Name, context.Progress, cancellationToken);
        await foreach (var row in connector.ReadAsync(context, cancellationToken).WithCancellation(cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested(); // connectors read ahead in buffers; stop at the next row
            sync.Process(row);
            await progress.RowAsync(cancellationToken);
        }

        sync.Complete();
        if (stream.Mode == StreamModes.Full)
        {
            if (sync.Counts.Read == 0 && await run.Connection.ScalarAsync<long>(
                    "SELECT COUNT(*) FROM (SELECT 1 FROM dp_source_records WHERE source_id = @source AND stream = @stream AND deleted = 0 LIMIT 1) AS existing",
                    run.Transaction, cancellationToken, ("@source", definition.Id), ("@stream", stream.Name)) > 0)
            {
                // An empty export is far likelier a broken one than a city with no residents.
                throw new SyncException($"stream '{stream.Name}' delivered no rows; refusing to mark all its records deleted");
            }

            sync.DetectDeletions(new DeletionGuard(definition.Id, definition.MaxDeleteShare ?? SourceDefinition.DefaultMaxDeleteShare, run.ConfirmDeletions));
        }
        else if (sync.MaxCursor is { } max && (cursor is null || CursorOrder.Compare(max, cursor) > 0))
        {
            // Written in the run's transaction: the checkpoint commits together with the rows it covers.
            await run.Connection.ExecuteAsync(
                "INSERT INTO dp_cursors (source_id, stream, value, run_id) VALUES (@source, @stream, @value, @run) ON CONFLICT (source_id, stream) DO UPDATE SET value = excluded.value, run_id = excluded.run_id",
                run.Transaction, cancellationToken, ("@source", definition.Id), ("@stream", stream.Name), ("@value", max), ("@run", run.RunId));
        }

        progress.EndStream();
        return sync.Counts;
    }

    private static Task FinishRunAsync(DbConnection connection, long runId, string status, SyncCounts counts, string? error, object details) =>
        connection.ExecuteAsync(
            """
            UPDATE dp_runs SET status = @status, finished_at = @now, read = @read, accepted = @accepted, quarantined = @quarantined,
                new = @new, updated = @updated, unchanged = @unchanged, deleted = @deleted, error = @error, details = @details,
                progress = NULL
            WHERE id = @id
            """,
            null, CancellationToken.None,
            ("@id", runId), ("@status", status), ("@now", SourceLock.Now()), ("@read", counts.Read), ("@accepted", counts.Accepted),
            ("@quarantined", counts.Quarantined), ("@new", counts.New), ("@updated", counts.Updated), ("@unchanged", counts.Unchanged),
            ("@deleted", counts.Deleted), ("@error", error), ("@details", JsonSerializer.Serialize(details, JsonSerializerOptions.Web)));
}

/// <summary>Drops a run's live progress however it ends.</summary>
internal readonly struct RunFinished(RunBook? runs, long runId) : IDisposable
{
    public void Dispose() => runs?.Finished(runId);
}

/// <summary>What one run writes with: its connection and transaction, its ids, and the sources' ranks.</summary>
internal sealed record RunScope(DbConnection Connection, DbTransaction Transaction, SqlDialect Dialect, string SourceId, long RunId,
    IReadOnlyDictionary<string, SourceRank> Ranks, PoolIdAllocator Ids, Schema.SchemaCatalog Catalog, bool ConfirmDeletions)
{
    public PoolWriter Writer(StreamDefinition stream) =>
        new(Connection, Transaction, Dialect, Catalog.Entity(stream.Entity), SourceId, stream.Name, RunId);
}
