using System.Data.Common;
using System.Diagnostics;
using System.Globalization;

namespace DataPool.Core.Store.Writing;

/// <summary>
/// One sync of a source at a time, across every node. PostgreSQL: a session advisory lock, released by
/// the server itself when the node holding it dies. SQLite (one machine): a lock row naming the
/// process, taken over when that process is gone. A new holder marks the dead holder's run as failed.
/// </summary>
internal sealed class SourceLock(DbConnection connection, SqlDialect dialect)
{
    public static string Node { get; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    public static string Now() => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);

    public async Task AcquireAsync(string sourceId, long runId, CancellationToken cancellationToken)
    {
        if (dialect.IsPostgres)
        {
            var taken = await connection.ScalarAsync<bool>("SELECT pg_try_advisory_lock(hashtext(@name))", null, cancellationToken, ("@name", "sync:" + sourceId));
            if (!taken)
            {
                var holder = await connection.ScalarAsync<long?>("SELECT MAX(id) FROM dp_runs WHERE source_id = @source AND status = 'running' AND id <> @run",
                    null, cancellationToken, ("@source", sourceId), ("@run", runId));
                throw new SourceBusyException($"source '{sourceId}' is already being synced by run {holder}; one sync of a source at a time");
            }
        }
        else
        {
            await AcquireRowAsync(sourceId, runId, cancellationToken);
        }

        await CloseAbandonedRunsAsync(sourceId, runId, cancellationToken);
    }

    /// <summary>
    /// Whoever ran this source before and is not running any more left its run open: close it. A run of a process
    /// still alive on this machine is not abandoned — it is only waiting for the lock we now hold (it will fail
    /// as "already being synced", or run after us) — so only runs of dead or other nodes are closed.
    /// </summary>
    private async Task CloseAbandonedRunsAsync(string sourceId, long runId, CancellationToken cancellationToken)
    {
        var open = new List<(long Id, string? Node)>();
        await using (var command = connection.Command("SELECT id, node FROM dp_runs WHERE source_id = @source AND status = 'running' AND id <> @run", null, ("@source", sourceId), ("@run", runId)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                open.Add((reader.GetInt64(0), reader.GetNullableString(1)));
            }
        }

        foreach (var (id, node) in open.Where(r => r.Node is null || !IsLiveLocalProcess(r.Node)))
        {
            await CloseAbandonedAsync(connection, id, node, cancellationToken);
        }
    }

    /// <summary>
    /// At the start of the command line or the server: runs left <c>running</c> by a process that died (kill -9, a
    /// crash, a pulled plug) are closed as failed, and their SQLite lock rows freed, so no run stays open for good.
    /// A run of this machine is abandoned when its process is gone; on PostgreSQL a run of another node when the
    /// source's lock is free (the server released it with the node's session) and the run is not just starting.
    /// </summary>
    public static async Task CloseAbandonedRunsAtStartAsync(DbConnection connection, SqlDialect dialect, CancellationToken cancellationToken)
    {
        var open = new List<(long Id, string SourceId, string? Node, string StartedAt)>();
        await using (var command = connection.Command("SELECT id, source_id, node, started_at FROM dp_runs WHERE status = 'running'"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                open.Add((reader.GetInt64(0), reader.GetString(1), reader.GetNullableString(2), reader.GetString(3)));
            }
        }

        var settled = DateTimeOffset.UtcNow.AddMinutes(-1);
        foreach (var (id, sourceId, node, startedAt) in open)
        {
            var abandoned = node is not null && IsDeadLocalProcess(node);
            if (!abandoned && dialect.IsPostgres && (node is null || !node.StartsWith(Environment.MachineName + ":", StringComparison.Ordinal))
                && DateTimeOffset.Parse(startedAt, CultureInfo.InvariantCulture) < settled)
            {
                abandoned = await connection.ScalarAsync<bool>("SELECT pg_try_advisory_lock(hashtext(@name))", null, cancellationToken, ("@name", "sync:" + sourceId));
                if (abandoned)
                {
                    await connection.ExecuteAsync("SELECT pg_advisory_unlock(hashtext(@name))", null, cancellationToken, ("@name", "sync:" + sourceId));
                }
            }

            if (abandoned)
            {
                await CloseAbandonedAsync(connection, id, node, cancellationToken);
                if (!dialect.IsPostgres && node is not null)
                {
                    await connection.ExecuteAsync("DELETE FROM dp_locks WHERE owner = @owner", null, cancellationToken, ("@owner", node));
                }
            }
        }
    }

    private static Task CloseAbandonedAsync(DbConnection connection, long id, string? node, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(
            "UPDATE dp_runs SET status = 'failed', error = @error, finished_at = @now WHERE id = @id AND status = 'running'",
            null, cancellationToken, ("@now", Now()), ("@id", id),
            ("@error", $"abandoned: the process running it ({node ?? "unknown node"}) stopped before it finished; nothing it did was kept"));

    private static bool IsLiveLocalProcess(string owner)
    {
        var parts = owner.Split(':');
        return parts.Length == 2 && parts[0] == Environment.MachineName && int.TryParse(parts[1], out var pid)
            && (pid == Environment.ProcessId || !IsDeadLocalProcess(owner));
    }

    /// <summary>
    /// PostgreSQL: syncs writing the same pool entities take turns (held to the end of the transaction),
    /// so survivorship never recomputes a record from another run's half-written state.
    /// </summary>
    public async Task LockEntitiesAsync(DbTransaction transaction, IEnumerable<string> entities, CancellationToken cancellationToken)
    {
        if (!dialect.IsPostgres)
        {
            return; // SQLite's write transaction already excludes every other writer.
        }

        foreach (var entity in entities.Distinct().Order(StringComparer.Ordinal))
        {
            await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext(@name))", transaction, cancellationToken, ("@name", "entity:" + entity));
        }
    }

    public async Task ReleaseAsync(string sourceId)
    {
        if (dialect.IsPostgres)
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(hashtext(@name))", null, CancellationToken.None, ("@name", "sync:" + sourceId));
            return;
        }

        await connection.ExecuteAsync("DELETE FROM dp_locks WHERE name = @name AND owner = @owner", null, CancellationToken.None, ("@name", "sync:" + sourceId), ("@owner", Node));
    }

    private async Task AcquireRowAsync(string sourceId, long runId, CancellationToken cancellationToken)
    {
        var name = "sync:" + sourceId;
        var inserted = await connection.ExecuteAsync(
            "INSERT INTO dp_locks (name, owner, run_id, acquired_at) VALUES (@name, @owner, @run, @now) ON CONFLICT (name) DO NOTHING",
            null, cancellationToken, ("@name", name), ("@owner", Node), ("@run", runId), ("@now", Now()));
        if (inserted == 1)
        {
            return;
        }

        string holder;
        long? holderRun;
        string since;
        await using (var command = connection.Command("SELECT owner, run_id, acquired_at FROM dp_locks WHERE name = @name", null, ("@name", name)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                await AcquireRowAsync(sourceId, runId, cancellationToken);
                return;
            }

            (holder, holderRun, since) = (reader.GetString(0), reader.GetNullableInt64(1), reader.GetString(2));
        }

        if (!IsDeadLocalProcess(holder))
        {
            throw new SourceBusyException($"source '{sourceId}' is already being synced by run {holderRun} (since {since}); one sync of a source at a time");
        }

        await connection.ExecuteAsync("UPDATE dp_locks SET owner = @owner, run_id = @run, acquired_at = @now WHERE name = @name AND owner = @holder",
            null, cancellationToken, ("@name", name), ("@owner", Node), ("@run", runId), ("@now", Now()), ("@holder", holder));
    }

    private static bool IsDeadLocalProcess(string owner)
    {
        var parts = owner.Split(':');
        if (parts.Length != 2 || parts[0] != Environment.MachineName || !int.TryParse(parts[1], out var pid) || pid == Environment.ProcessId)
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
}

/// <summary>Another run of the same source holds its lock: the run is refused and changes nothing.</summary>
public sealed class SourceBusyException(string message) : Exception(message);
