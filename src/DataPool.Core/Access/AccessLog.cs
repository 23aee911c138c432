using System.Data.Common;
using DataPool.Core.Store;
using DataPool.Core.Store.Writing;

namespace DataPool.Core.Access;

/// <summary>One read of one pool record: who, as what, when, which fields, and why (the route or purpose).</summary>
public sealed record AccessEntry(
    long Id, DateTimeOffset At, string Viewer, string Role, string? Department, string? Community, string Entity, long PoolId, string Fields, string Purpose);

/// <summary>
/// The audit log of reads of personal data (<c>dp_access_log</c>): one row per record read. A page or an export
/// writes its rows through the store's bulk writer (COPY on PostgreSQL), so auditing a million-row export
/// costs a few hundred bulk writes, not a million statements. Concurrent reads are group-committed: one
/// writer takes every entry waiting and writes them in one transaction, and each read's call returns only once its
/// entries are committed — so nothing is shown unaudited, and 200 concurrent readers do not queue on SQLite's one
/// write lock 200 times. The log is written where a running sync cannot block it (<see cref="AccessLogFile"/>); a read
/// whose entries are not committed within <see cref="StoreOptions.ReadTimeoutSeconds"/> fails with a
/// <see cref="TimeoutException"/> (the server answers 503), never shown unaudited.
/// </summary>
public sealed class AccessLog(PoolDatabase database, AccessLogFile file, TimeProvider time)
{
    /// <summary>Rows the bulk writer holds before it writes them.</summary>
    public const int Batch = 5000;

    private static readonly string[] Columns = ["at", "viewer", "role", "department", "community", "entity", "pool_id", "fields", "purpose"];

    private sealed record Pending(Viewer Viewer, string Entity, IReadOnlyCollection<long> PoolIds, string Fields, string Purpose, string At, TaskCompletionSource Done);

    private readonly System.Threading.Channels.Channel<Pending> _queue = System.Threading.Channels.Channel.CreateUnbounded<Pending>(new() { SingleReader = true });
    private int _writerStarted;

    // The writer's connection, kept between batches (opening one and setting it up cost as much as a small batch's
    // insert); dropped after a failed batch, so the next batch starts on a fresh one.
    private DbConnection? _writer;

    private TimeSpan Timeout => TimeSpan.FromSeconds(database.Options.ReadTimeoutSeconds);

    /// <summary>A connection to the database that holds <c>dp_access_log</c>: the log's own file on SQLite, the pool on PostgreSQL.</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        database.Dialect.LogsInOwnFile ? await file.OpenAsync(cancellationToken) : await database.OpenAsync(cancellationToken);

    /// <summary>Queues the entries and returns once they are committed; only <see cref="PoolView.AuditAsync"/> calls it.</summary>
    internal Task WriteAsync(Viewer viewer, string entity, IReadOnlyCollection<long> poolIds, IReadOnlyCollection<string> fields, string purpose, CancellationToken cancellationToken)
    {
        if (poolIds.Count == 0)
        {
            return Task.CompletedTask;
        }

        if (Interlocked.Exchange(ref _writerStarted, 1) == 0)
        {
            _ = Task.Run(WriteQueuedAsync, CancellationToken.None);
        }

        var pending = new Pending(viewer, entity, poolIds.ToArray(), string.Join(",", fields), purpose,
            time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _queue.Writer.TryWrite(pending);
        // The caller's cancellation does not take back an entry already queued: the read happened. An entry whose
        // read gave up waiting may still be written: the log errs on the side of recording.
        return WaitAsync(pending.Done.Task);
    }

    private async Task WaitAsync(Task done)
    {
        try
        {
            await done.WaitAsync(Timeout, time);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the audit log did not commit the read within {database.Options.ReadTimeoutSeconds} s; nothing was shown");
        }
    }

    private async Task WriteQueuedAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>();
        while (await reader.WaitToReadAsync())
        {
            while (batch.Count < 500 && reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            try
            {
                await InsertAsync(_writer ??= await OpenAsync(), batch);
                batch.ForEach(p => p.Done.TrySetResult());
            }
            catch (Exception e)
            {
                batch.ForEach(p => p.Done.TrySetException(e));
                if (_writer is not null)
                {
                    await _writer.DisposeAsync();
                    _writer = null;
                }
            }

            batch.Clear();
        }
    }

    private async Task InsertAsync(DbConnection connection, List<Pending> batch)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        if (database.Dialect.LocalTimeouts(database.Options.ReadTimeoutSeconds * 1000) is { } timeouts)
        {
            // Nothing a sync locks is touched here; should anything hold the table, give up as the reader does.
            await connection.ExecuteAsync(timeouts, transaction);
        }

        // The whole batch through the store's bulk writer (COPY on PostgreSQL, one statement bound by position on
        // SQLite): a statement per read cost PostgreSQL a parse, a plan and a round trip each, at 200 readers a third
        // of its work for a one-person lookup.
        using var rows = BulkWriters.Open(connection, "dp_access_log", Columns);
        var written = 0;
        foreach (var entry in batch)
        {
            foreach (var poolId in entry.PoolIds)
            {
                rows.Add(entry.At, entry.Viewer.Name, entry.Viewer.Role, entry.Viewer.Department, entry.Viewer.Community, entry.Entity, poolId,
                    entry.Fields, entry.Purpose);
                if (++written % Batch == 0)
                {
                    rows.Flush();
                }
            }
        }

        rows.Flush();
        await transaction.CommitAsync();
    }

    /// <summary>
    /// Who read a resident's data: reads of the person record and of every record keyed by the same ID number
    /// (disability, employment, …), newest first; null when there is no such person.
    /// </summary>
    public async Task<IReadOnlyList<AccessEntry>?> ForPersonAsync(long personId, int limit, CancellationToken cancellationToken)
    {
        const string person = "person", idNumber = "id_number";
        var records = new List<(string Entity, long PoolId)> { (person, personId) };
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            var id = await connection.ScalarAsync<string>(
                $"SELECT {idNumber} FROM {EntityTables.TableName(person)} WHERE {EntityTables.PoolId} = @id", null, cancellationToken, ("@id", personId));
            if (id is null)
            {
                return await connection.ScalarAsync<long?>(
                    $"SELECT {EntityTables.PoolId} FROM {EntityTables.TableName(person)} WHERE {EntityTables.PoolId} = @id", null, cancellationToken, ("@id", personId)) is null
                    ? null
                    : await ReadAsync(records, limit, cancellationToken);
            }

            foreach (var entity in database.Catalog.Entities.Values.Where(e => e.Name != person && e.Fields.ContainsKey(idNumber)))
            {
                if (await connection.ScalarAsync<long?>(
                    $"SELECT {EntityTables.PoolId} FROM {EntityTables.TableName(entity.Name)} WHERE {idNumber} = @id", null, cancellationToken, ("@id", id)) is { } poolId)
                {
                    records.Add((entity.Name, poolId));
                }
            }
        }

        return await ReadAsync(records, limit, cancellationToken);
    }

    /// <summary>Every read of the given records, newest first (at most <paramref name="limit"/>).</summary>
    public async Task<IReadOnlyList<AccessEntry>> ReadAsync(IReadOnlyCollection<(string Entity, long PoolId)> records, int limit, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return [];
        }

        var conditions = records.Select((_, i) => $"(entity = @e{i} AND pool_id = @p{i})");
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"""
            SELECT id, at, viewer, role, department, community, entity, pool_id, fields, purpose FROM dp_access_log
            WHERE {string.Join(" OR ", conditions)} ORDER BY id DESC LIMIT @limit
            """,
            null, [.. records.SelectMany((r, i) => new (string, object?)[] { ($"@e{i}", r.Entity), ($"@p{i}", r.PoolId) }), ("@limit", limit)]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<AccessEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new AccessEntry(reader.GetInt64(0), DateTimeOffset.Parse(reader.GetString(1), System.Globalization.CultureInfo.InvariantCulture),
                reader.GetString(2), reader.GetString(3), reader.GetNullableString(4), reader.GetNullableString(5), reader.GetString(6),
                reader.GetInt64(7), reader.GetString(8), reader.GetString(9)));
        }

        return entries;
    }
}
