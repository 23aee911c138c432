using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DataPool.Abstractions;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace DataPool.Core.Sync;

/// <summary>
/// Runs one source: every stream read through its connector and merged into the pool inside one
/// transaction, so a run that fails (bad file, lost column, crash) changes nothing but its own run record.
/// </summary>
public sealed class SyncRunner
{
    private const int ProgressEvery = 10_000;
    private readonly PoolDatabase _database;
    private readonly SourceRegistry _registry;
    private readonly IReadOnlyDictionary<string, IConnector> _connectors;
    private readonly ILogger<SyncRunner> _logger;

    public SyncRunner(PoolDatabase database, SourceRegistry registry, IEnumerable<IConnector> connectors, ILogger<SyncRunner> logger)
    {
        _database = database;
        _registry = registry;
        _connectors = connectors.ToDictionary(c => c.Kind, StringComparer.Ordinal);
        _logger = logger;
    }

    public IReadOnlyCollection<string> Kinds => _connectors.Keys.ToList();

    public async Task<SyncResult> RunAsync(string sourceId, string trigger = "manual", IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var source = await _registry.GetAsync(sourceId, cancellationToken)
            ?? throw new SyncException($"no source '{sourceId}' is registered");
        var ranks = await _registry.RanksAsync(cancellationToken);
        await using var connection = (SqliteConnection)await _database.OpenAsync(cancellationToken);
        var runId = await StartRunAsync(connection, sourceId, trigger, cancellationToken);
        var clock = Stopwatch.StartNew();
        var counts = new SyncCounts();
        var details = new Dictionary<string, object>();
        try
        {
            await AcquireAsync(connection, sourceId, runId, cancellationToken);
            try
            {
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
                var ids = new PoolIdAllocator(connection, transaction, runId);
                foreach (var stream in source.Definition.Streams)
                {
                    var streamClock = Stopwatch.StartNew();
                    var streamCounts = await SyncStreamAsync(connection, transaction, source, stream, ranks, ids, runId, progress, cancellationToken);
                    counts.Add(streamCounts);
                    details[stream.Name] = new { streamCounts.Read, streamCounts.Accepted, streamCounts.Quarantined, streamCounts.New, streamCounts.Updated, streamCounts.Unchanged, streamCounts.Deleted, Milliseconds = streamClock.ElapsedMilliseconds };
                }

                await transaction.CommitAsync(cancellationToken);
            }
            finally
            {
                await ReleaseAsync(connection, sourceId);
            }

            await FinishRunAsync(connection, runId, "succeeded", counts, null, details);
            _logger.LogInformation("Run {RunId} of {SourceId} succeeded in {Elapsed}: {Counts}", runId, sourceId, clock.Elapsed, counts);
            return new SyncResult(sourceId, runId, true, counts, clock.Elapsed, null);
        }
        catch (Exception e) when (e is ConnectorException or SyncException or SourceDefinitionException or IOException or JsonException or SqliteException { SqliteErrorCode: 5 or 6 })
        {
            await FinishRunAsync(connection, runId, "failed", new SyncCounts(), e.Message, details);
            _logger.LogWarning("Run {RunId} of {SourceId} failed, nothing was changed: {Error}", runId, sourceId, e.Message);
            return new SyncResult(sourceId, runId, false, counts, clock.Elapsed, e.Message);
        }
        catch (Exception e)
        {
            await FinishRunAsync(connection, runId, "failed", new SyncCounts(), $"{e.GetType().Name}: {e.Message}", details);
            _logger.LogError(e, "Run {RunId} of {SourceId} failed, nothing was changed", runId, sourceId);
            throw;
        }
    }

    private async Task<SyncCounts> SyncStreamAsync(SqliteConnection connection, SqliteTransaction transaction, LoadedSource source, StreamDefinition stream,
        IReadOnlyDictionary<string, SourceRank> ranks, PoolIdAllocator ids, long runId, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var definition = source.Definition;
        if (!_connectors.TryGetValue(definition.Kind, out var connector))
        {
            throw new SyncException($"kind '{definition.Kind}' has no registered connector (registered: {string.Join(", ", _connectors.Keys)})");
        }

        var entity = _database.Catalog.Entity(stream.Entity);
        var settings = SourceSettings.ResolveSecrets(SourceSettings.Merge(definition.Settings, stream.Settings));
        var cursor = stream.Mode == StreamModes.Incremental ? await ReadCursorAsync(connection, transaction, definition.Id, stream.Name, cancellationToken) : null;
        var context = new ConnectorContext(definition, stream, settings, source.BaseDirectory, cursor);
        using var sync = new StreamSync(stream, entity, _database.Catalog, new PoolWriter(connection, transaction, entity, definition.Id, stream.Name, runId), ranks, ids);
        long delivered = 0;
        await foreach (var row in connector.ReadAsync(context, cancellationToken).WithCancellation(cancellationToken))
        {
            sync.Process(row);
            if (++delivered % ProgressEvery == 0)
            {
                progress?.Report(new SyncProgress(definition.Id, stream.Name, delivered));
            }
        }

        sync.Complete();

        if (stream.Mode == StreamModes.Full)
        {
            if (sync.Counts.Read == 0 && await HasRecordsAsync(connection, transaction, definition.Id, stream.Name, cancellationToken))
            {
                // An empty export is far likelier a broken one than a city with no residents.
                throw new SyncException($"stream '{stream.Name}' delivered no rows; refusing to mark all its records deleted");
            }

            sync.DetectDeletions(definition.Id);
        }
        else if (sync.MaxCursor is { } max && (cursor is null || CursorOrder.Compare(max, cursor) > 0))
        {
            // Written in the run's transaction: the checkpoint commits together with the rows it covers.
            await connection.ExecuteAsync(
                "INSERT INTO dp_cursors (source_id, stream, value, run_id) VALUES (@source, @stream, @value, @run) ON CONFLICT (source_id, stream) DO UPDATE SET value = excluded.value, run_id = excluded.run_id",
                transaction, cancellationToken, ("@source", definition.Id), ("@stream", stream.Name), ("@value", max), ("@run", runId));
        }

        progress?.Report(new SyncProgress(definition.Id, stream.Name, sync.Counts.Read));
        return sync.Counts;
    }

    private static async Task<string?> ReadCursorAsync(SqliteConnection connection, SqliteTransaction transaction, string sourceId, string stream, CancellationToken cancellationToken) =>
        await connection.ScalarAsync<string>("SELECT value FROM dp_cursors WHERE source_id = @source AND stream = @stream", transaction, cancellationToken, ("@source", sourceId), ("@stream", stream));

    private static async Task<bool> HasRecordsAsync(SqliteConnection connection, SqliteTransaction transaction, string sourceId, string stream, CancellationToken cancellationToken) =>
        await connection.ScalarAsync<long>("SELECT COUNT(*) FROM (SELECT 1 FROM dp_source_records WHERE source_id = @source AND stream = @stream AND deleted = 0 LIMIT 1)", transaction, cancellationToken, ("@source", sourceId), ("@stream", stream)) > 0;

    private static async Task<long> StartRunAsync(SqliteConnection connection, string sourceId, string trigger, CancellationToken cancellationToken) =>
        await connection.ScalarAsync<long>(
            "INSERT INTO dp_runs (source_id, status, trigger, node, started_at) VALUES (@source, 'running', @trigger, @node, @now) RETURNING id",
            null, cancellationToken, ("@source", sourceId), ("@trigger", trigger), ("@node", Environment.MachineName), ("@now", Now()));

    private static Task FinishRunAsync(SqliteConnection connection, long runId, string status, SyncCounts counts, string? error, object details) =>
        connection.ExecuteAsync(
            """
            UPDATE dp_runs SET status = @status, finished_at = @now, read = @read, accepted = @accepted, quarantined = @quarantined,
                new = @new, updated = @updated, unchanged = @unchanged, deleted = @deleted, error = @error, details = @details
            WHERE id = @id
            """,
            null, CancellationToken.None,
            ("@id", runId), ("@status", status), ("@now", Now()), ("@read", counts.Read), ("@accepted", counts.Accepted),
            ("@quarantined", counts.Quarantined), ("@new", counts.New), ("@updated", counts.Updated), ("@unchanged", counts.Unchanged),
            ("@deleted", counts.Deleted), ("@error", error), ("@details", JsonSerializer.Serialize(details)));

    /// <summary>One sync of a source at a time: a lock row names the run holding it; a dead holder's lock is taken over.</summary>
    private static async Task AcquireAsync(SqliteConnection connection, string sourceId, long runId, CancellationToken cancellationToken)
    {
        var name = "sync:" + sourceId;
        var owner = $"{Environment.MachineName}:{Environment.ProcessId}";
        var inserted = await connection.ExecuteAsync(
            "INSERT INTO dp_locks (name, owner, run_id, acquired_at) VALUES (@name, @owner, @run, @now) ON CONFLICT (name) DO NOTHING",
            null, cancellationToken, ("@name", name), ("@owner", owner), ("@run", runId), ("@now", Now()));
        if (inserted == 1)
        {
            return;
        }

        await using var command = connection.Command("SELECT owner, run_id, acquired_at FROM dp_locks WHERE name = @name", null, ("@name", name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            await AcquireAsync(connection, sourceId, runId, cancellationToken);
            return;
        }

        var holder = reader.GetString(0);
        var holderRun = reader.GetNullableInt64(1);
        var since = reader.GetString(2);
        await reader.DisposeAsync();
        if (IsDeadLocalProcess(holder))
        {
            await connection.ExecuteAsync("UPDATE dp_runs SET status = 'failed', error = 'the process running it stopped', finished_at = @now WHERE id = @run AND status = 'running'",
                null, cancellationToken, ("@run", holderRun), ("@now", Now()));
            await connection.ExecuteAsync("UPDATE dp_locks SET owner = @owner, run_id = @run, acquired_at = @now WHERE name = @name AND owner = @holder",
                null, cancellationToken, ("@name", name), ("@owner", owner), ("@run", runId), ("@now", Now()), ("@holder", holder));
            return;
        }

        throw new SyncException($"source '{sourceId}' is already being synced by run {holderRun} (since {since}); one sync of a source at a time");
    }

    private static Task ReleaseAsync(SqliteConnection connection, string sourceId) =>
        connection.ExecuteAsync("DELETE FROM dp_locks WHERE name = @name AND owner = @owner", null, CancellationToken.None,
            ("@name", "sync:" + sourceId), ("@owner", $"{Environment.MachineName}:{Environment.ProcessId}"));

    private static bool IsDeadLocalProcess(string owner)
    {
        var parts = owner.Split(':');
        if (parts.Length != 2 || parts[0] != Environment.MachineName || !int.TryParse(parts[1], out var pid))
        {
            return false;
        }

        if (pid == Environment.ProcessId)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
}
