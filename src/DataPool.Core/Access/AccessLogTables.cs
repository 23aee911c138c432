using System.Data.Common;
using DataPool.Core.Store;
using Microsoft.Data.Sqlite;

namespace DataPool.Core.Access;

/// <summary>
/// On SQLite the audit log lives in a database file of its own (<see cref="StoreOptions.AccessLogPath"/>): a sync
/// holds pool.db's single write lock for its whole run, and a read that had to write its audit entries into pool.db
/// waited for the sync to end (up to the busy timeout, then a 500). In a file of its own only the log's writer takes
/// its lock. On PostgreSQL the log stays in the pool's database: an insert there takes no lock a sync holds.
/// </summary>
public sealed class AccessLogFile(StoreOptions options)
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = options.AccessLogPath,
        Pooling = true,
        DefaultTimeout = options.ReadTimeoutSeconds,
    }.ToString();

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(options.AccessLogPath)!);
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        // WAL: the admin's access-log route reads while reads write. FULL: an entry is on disk before its read
        // answers (group commit makes that one fsync per batch of reads).
        await connection.ExecuteAsync(
            $"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout={options.ReadTimeoutSeconds * 1000};",
            cancellationToken: cancellationToken);
        return connection;
    }
}

/// <summary>
/// Creates <c>dp_access_log</c>: in the pool's database on PostgreSQL, in <see cref="AccessLogFile"/> on SQLite,
/// where rows an older version wrote into pool.db move over once. It takes the grants so that a bad grant file stops
/// the program when the store is initialised at start, not at the first query.
/// </summary>
internal sealed class AccessLogTables(AccessGrants grants, AccessLogFile file) : IStoreInitializer
{
    private const string Table = "dp_access_log";
    private const string Columns = "id, at, viewer, role, department, community, entity, pool_id, fields, purpose";

    private const string Template = """
        CREATE TABLE IF NOT EXISTS dp_access_log (
            id {AutoId},
            at TEXT NOT NULL,
            viewer TEXT NOT NULL,
            role TEXT NOT NULL,
            department TEXT,
            community TEXT,
            entity TEXT NOT NULL,
            pool_id {BigInt} NOT NULL,
            fields TEXT NOT NULL,
            purpose TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_dp_access_log_record ON dp_access_log (entity, pool_id, id);
        """;

    public async Task InitialiseAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, CancellationToken cancellationToken)
    {
        _ = grants.Departments;
        var create = Template.Replace("{AutoId}", dialect.AutoId).Replace("{BigInt}", dialect.BigInt);
        if (!dialect.LogsInOwnFile)
        {
            await connection.ExecuteAsync(create, transaction, cancellationToken);
            return;
        }

        await using var log = await file.OpenAsync(cancellationToken);
        await log.ExecuteAsync(create, cancellationToken: cancellationToken);
        await MoveOutOfPoolAsync(connection, transaction, log, cancellationToken);
    }

    /// <summary>
    /// Copies the log rows pool.db still holds (same ids, so the order and the admin's view stay as they were) and
    /// drops them from pool.db in the pool's start-up transaction. The copy commits first; if the process dies before
    /// the drop commits, the next start copies again and <c>OR IGNORE</c> skips the ids already there.
    /// </summary>
    private static async Task MoveOutOfPoolAsync(DbConnection pool, DbTransaction transaction, SqliteConnection log, CancellationToken cancellationToken)
    {
        if (await pool.ScalarAsync<long>(SqlDialect.Sqlite.TableCount("@name"), transaction, cancellationToken, ("@name", Table)) == 0)
        {
            return;
        }

        await using (var copy = log.BeginTransaction())
        await using (var insert = log.Command(
            $"INSERT OR IGNORE INTO {Table} ({Columns}) VALUES (@id, @at, @viewer, @role, @department, @community, @entity, @pool_id, @fields, @purpose)", copy))
        await using (var read = pool.Command($"SELECT {Columns} FROM {Table} ORDER BY id", transaction))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            var parameters = Columns.Split(", ").Select(c => insert.AddParameter("@" + c)).ToArray();
            while (await reader.ReadAsync(cancellationToken))
            {
                for (var i = 0; i < parameters.Length; i++)
                {
                    parameters[i].Value = reader.GetValue(i);
                }

                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            await copy.CommitAsync(cancellationToken);
        }

        await pool.ExecuteAsync($"DROP TABLE {Table}", transaction, cancellationToken);
    }
}
