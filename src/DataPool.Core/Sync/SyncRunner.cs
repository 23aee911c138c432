using System.Diagnostics;
using System.Text.Json;
using DataPool.Abstractions;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using DataPool.Core.Store.Writing;
using Microsoft.Extensions.Logging;

namespace DataPool.Core.Sync;

/// <summary>The outcome of replaying one corrected quarantined row.</summary>
public sealed record ReplayResult(bool Accepted, long RunId, IReadOnlyList<string> Reasons);

/// <summary>
/// Runs one source: every stream read through its connector and merged into the pool inside one
/// transaction, so a run that fails (bad file, lost column, crash) changes nothing but its own run record.
/// The run itself (lock, transaction, after-run steps, its record) is <see cref="PoolWriting"/>'s.
/// </summary>
public sealed class SyncRunner
{
    private readonly PoolDatabase _database;
    private readonly SourceRegistry _registry;
    private readonly IReadOnlyDictionary<string, IConnector> _connectors;
    private readonly ILogger<SyncRunner> _logger;
    private readonly PoolWriting _writing;
    private readonly IReadOnlyList<EntityLinking> _linking;
    private readonly Values.ControlCharacterPolicy _controls;
    private readonly RunBook? _runs;
    private readonly SyncOptions _options;

    /// <param name="linking">How rows of some entities link beyond their key (matching registers the persons').</param>
    public SyncRunner(PoolDatabase database, SourceRegistry registry, IEnumerable<IConnector> connectors, ILogger<SyncRunner> logger,
        PoolWriting writing, IEnumerable<EntityLinking> linking, Values.TextOptions? text = null, RunBook? runs = null, SyncOptions? options = null)
    {
        _options = options ?? SyncOptions.Default;
        _runs = runs;
        _controls = (text ?? Values.TextOptions.Default).ControlCharacters;
        _writing = writing;
        _linking = linking.ToList();
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
    /// pipeline as its source. Every attempt is recorded with the row as replayed and its reasons; the entry keeps
    /// the row as the source delivered it. Accepted: the entry is marked replayed. Still bad: it stays open.
    /// </summary>
    /// <param name="by">Who replayed it (kept with the attempt).</param>
    public async Task<ReplayResult> ReplayAsync(long quarantineId, IReadOnlyDictionary<string, string?> corrections, CancellationToken cancellationToken = default, string? by = null)
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
            using var sync = NewStreamSync(run, stream, replayOf: quarantineId);
            sync.Process(row);
            sync.Complete();
            reasons = sync.Counts.Quarantined > 0 ? sync.LastReasons : [];
            await QuarantineAttempts.RecordAsync(run.Connection, run.Transaction, quarantineId, run.RunId, by, corrections, entry.CorrectedValues(corrections), reasons, cancellationToken);
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
        Func<PoolRunScope, Task<SyncCounts>> work, CancellationToken cancellationToken, long? queuedRunId = null)
    {
        var sourceId = source.Definition.Id;
        var request = new PoolRunRequest(sourceId, trigger, source.Definition.Streams.Select(s => s.Entity).ToList())
        {
            OneAtATime = true,
            DeletionsConfirmed = confirmDeletions,
            QueuedRunId = queuedRunId,
            // Stored, logged and shown: never with a resolved secret in it.
            DescribeFailure = e => IsRunFailure(e) ? source.MaskSecrets(e.Message) : $"{e.GetType().Name}: {e.Message}",
        };
        await using var run = await _writing.StartAsync(request, cancellationToken);
        using var finished = new RunFinished(_runs, run.RunId);
        var clock = Stopwatch.StartNew();
        var counts = new SyncCounts();
        try
        {
            await run.ExecuteAsync(async scope =>
            {
                counts = await work(scope);
                return new RunTotals(counts.Read, counts.Accepted, counts.Quarantined, counts.New, counts.Updated, counts.Unchanged, counts.Deleted);
            }, details, cancellationToken);
            _logger.LogInformation("Run {RunId} of {SourceId} succeeded in {Elapsed}: {Counts}", run.RunId, sourceId, clock.Elapsed, counts);
            return new SyncResult(sourceId, run.RunId, true, counts, clock.Elapsed, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("Run {RunId} of {SourceId} cancelled, nothing was changed", run.RunId, sourceId);
            throw;
        }
        catch (Exception e) when (IsRunFailure(e))
        {
            _logger.LogWarning("Run {RunId} of {SourceId} failed, nothing was changed: {Error}", run.RunId, sourceId, run.Error);
            return new SyncResult(sourceId, run.RunId, false, counts, clock.Elapsed, run.Error);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Run {RunId} of {SourceId} failed, nothing was changed", run.RunId, sourceId);
            throw;
        }
    }

    /// <summary>Failures of the run's own making (its source, its file, its definition, a run already going): reported, not thrown.</summary>
    private static bool IsRunFailure(Exception e) =>
        e is ConnectorException or SyncException or SourceBusyException or SourceDefinitionException or IOException or JsonException;

    private StreamSync NewStreamSync(PoolRunScope run, StreamDefinition stream, long? replayOf = null)
    {
        var writer = run.Writer(_database.Catalog.Entity(stream.Entity), stream.Name);
        var linker = _linking.Select(l => l.For(writer, run.RunId)).FirstOrDefault(l => l is not null);
        return new StreamSync(stream, _database.Catalog, writer, run.Ranks, run.Ids, linker, replayOf, _controls, _options);
    }

    private async Task<SyncCounts> SyncStreamAsync(PoolRunScope run, LoadedSource source, StreamDefinition stream, RunProgressTracker progress, CancellationToken cancellationToken)
    {
        var definition = source.Definition;
        if (!_connectors.TryGetValue(definition.Kind, out var connector))
        {
            throw new SyncException($"kind '{definition.Kind}' has no registered connector (registered: {string.Join(", ", _connectors.Keys)})");
        }

        var cursor = stream.Mode == StreamModes.Incremental
            ? await run.Connection.ScalarAsync<string>("SELECT value FROM dp_cursors WHERE source_id = @source AND stream = @stream", run.Transaction, cancellationToken, ("@source", definition.Id), ("@stream", stream.Name))
            : null;
        using var sync = NewStreamSync(run, stream);
        var walked = sync.WalksFirst;
        // A walk works its second read from the rows of its first (RowSpill), unless told to read the source again.
        using var spill = walked && !_options.WalkRereadsSource ? RowSpill.Create(_options.SpillFolder) : null;

        // One read of the source, with the connector's own progress; a fresh context each time.
        Task ReadSourceAsync(Action<RawRow> take, string? phase)
        {
            var context = source.ContextFor(stream, cursor);
            return ReadAsync(stream.Name, connector.ReadAsync(context, cancellationToken), context.Progress, take, progress, phase, cancellationToken);
        }

        if (walked)
        {
            // Too large to hold its stored hashes: a first read of the export walks them in key order (StoredWalk).
            Action<RawRow> walk = spill is null ? sync.Walk : row =>
            {
                sync.Walk(row);
                spill.Add(row); // for the second read
            };
            await ReadSourceAsync(walk, RunProgress.Walking);
            sync.EndWalk();
            if (spill is not null)
            {
                // What the spill folder must hold for this stream (sealing adds 20 bytes to each 64 KB).
                _logger.LogInformation("Walked stream {Stream} of {SourceId}: {Rows} rows kept for the second read, {Megabytes:N0} MB spilled",
                    stream.Name, definition.Id, spill.Rows, spill.Bytes / 1_048_576.0);
            }
        }

        await (spill is null
            ? ReadSourceAsync(sync.Process, walked ? RunProgress.Applying : null)
            : ReadAsync(stream.Name, spill.ReadAsync(cancellationToken), spill.Progress, sync.Process, progress, RunProgress.Applying, cancellationToken));

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

    /// <summary>One read of a stream's rows, each handed to <paramref name="take"/> and counted in the run's progress.</summary>
    /// <param name="read">How far the rows' reader has got, as it tells.</param>
    /// <param name="phase">Which read of a walked stream this is (<see cref="RunProgress.Walking"/>, <see cref="RunProgress.Applying"/>); null: its only one.</param>
    private static async Task ReadAsync(string stream, IAsyncEnumerable<RawRow> rows, ReadProgress read, Action<RawRow> take, RunProgressTracker progress, string? phase,
        CancellationToken cancellationToken)
    {
        await progress.BeginStreamAsync(stream, read, cancellationToken, phase);
        // Parsed on one core, written on the other: the rows are read ahead on a task of their own, a bounded queue ahead.
        await foreach (var row in ReadAhead.ReadAsync(rows, cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested(); // connectors read ahead in buffers; stop at the next row
            take(row);
            await progress.RowAsync(cancellationToken);
        }
    }
}

/// <summary>Drops a run's live progress however it ends.</summary>
internal readonly struct RunFinished(RunBook? runs, long runId) : IDisposable
{
    public void Dispose() => runs?.Finished(runId);
}
