using System.Data.Common;
using DataPool.Core.Schema;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DataPool.Core.Store;

/// <summary>
/// The pool's database, embedded SQLite or a PostgreSQL server: opens connections and brings the tables
/// up to the schema files (operational tables, one table per pool entity, then each feature's own).
/// </summary>
public sealed class PoolDatabase : IAsyncDisposable
{
    private readonly string? _sqliteConnectionString;
    private readonly NpgsqlDataSource? _postgres;
    private readonly ReadConnections? _readers;
    private readonly IReadOnlyList<IStoreInitializer> _initializers;

    public PoolDatabase(StoreOptions options, SchemaCatalog catalog, IEnumerable<IStoreInitializer>? initializers = null)
    {
        _initializers = initializers?.ToList() ?? [];
        Options = options;
        Catalog = catalog;
        switch (options.Provider)
        {
            case StoreOptions.Sqlite:
                Directory.CreateDirectory(Path.GetFullPath(options.DataDirectory));
                _sqliteConnectionString = new SqliteConnectionStringBuilder { DataSource = options.SqlitePath, Pooling = true, DefaultTimeout = 60 }.ToString();
                _readers = new ReadConnections(options);
                break;
            case StoreOptions.Postgres:
                if (string.IsNullOrWhiteSpace(options.Connection))
                {
                    throw new SchemaException("store 'postgres' needs a connection string (--connection or ConnectionStrings__Pool)");
                }

                var builder = new NpgsqlDataSourceBuilder(options.Connection);
                if (!options.Connection.Contains("Command Timeout", StringComparison.OrdinalIgnoreCase))
                {
                    // Npgsql's 30 s default is short for delete detection over millions of records on a busy server.
                    builder.ConnectionStringBuilder.CommandTimeout = 600;
                }

                if (!options.Connection.Contains("Max Auto Prepare", StringComparison.OrdinalIgnoreCase))
                {
                    // A statement run again and again (a sync's per-row updates, a lookup, its audit) is prepared on its
                    // connection instead of being parsed on every run.
                    builder.ConnectionStringBuilder.MaxAutoPrepare = AutoPreparedStatements;
                }

                if (builder.ConnectionStringBuilder.MaxAutoPrepare > 0 && string.IsNullOrEmpty(builder.ConnectionStringBuilder.Options))
                {
                    // Prepared, yet planned for its values every time: a generic plan, made once while a freshly loaded
                    // table had no statistics, walked a million rows in key order for each one-person lookup.
                    builder.ConnectionStringBuilder.Options = "-c plan_cache_mode=force_custom_plan";
                }

                _postgres = builder.Build();
                break;
            default:
                throw new NotSupportedException($"store '{options.Provider}' is not a store; use '{StoreOptions.Sqlite}' or '{StoreOptions.Postgres}'");
        }
    }

    public StoreOptions Options { get; }
    public SchemaCatalog Catalog { get; }
    public SqlDialect Dialect => SqlDialect.For(Options.Provider);

    /// <summary>
    /// Statements each PostgreSQL connection keeps prepared (Npgsql prepares one after its fifth run), unless the
    /// connection string sets <c>Max Auto Prepare</c> itself (0 turns it off).
    /// </summary>
    public const int AutoPreparedStatements = 100;

    /// <summary>The page size a new SQLite pool is created with.</summary>
    public const int SqlitePageSize = 16_384;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken);
        }

        var connection = new SqliteConnection(_sqliteConnectionString);
        await connection.OpenAsync(cancellationToken);
        // WAL lets readers (the web UI, reports) go on while a sync writes; the sync's own
        // transaction makes each source run all-or-nothing, so NORMAL durability is enough.
        // A new pool gets 16 KB pages (an existing one keeps its own): a register's load writes hundreds of MB
        // of records, history and indexes, and with pages four times the default it costs a third less CPU
        // (fewer B-tree splits, page cache entries and WAL frames), for the same cache in bytes.
        await connection.ExecuteAsync(
            $"PRAGMA page_size={SqlitePageSize}; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=60000; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-{Options.SqliteCacheMegabytes * 1024};",
            cancellationToken: cancellationToken);
        return connection;
    }

    /// <summary>
    /// A connection for one short read a request makes (a page, a record, a key), returned when the lease is disposed:
    /// on SQLite one of a few kept read-only connections (<see cref="ReadConnections"/>), on PostgreSQL one from the
    /// driver's pool. Give it back before waiting on anything else, such as the audit log.
    /// </summary>
    public async Task<ReadLease> ReadAsync(CancellationToken cancellationToken = default) =>
        _readers is not null ? await _readers.LeaseAsync(cancellationToken) : new ReadLease(await OpenAsync(cancellationToken), null);

    /// <summary>Creates what is missing and migrates additive schema changes; refuses breaking ones.</summary>
    public async Task InitialiseAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (Dialect.IsPostgres)
        {
            // Several nodes may start at once: the first creates the tables, the others wait and find them.
            await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(4242001)", transaction, cancellationToken);
        }

        await connection.ExecuteAsync(OperationalTables.For(Dialect), transaction, cancellationToken);
        await OperationalTables.MigrateAsync(connection, transaction, Dialect, cancellationToken);
        await EntityTables.MigrateAsync(connection, transaction, Catalog, Dialect, cancellationToken);
        foreach (var initializer in _initializers)
        {
            await initializer.InitialiseAsync(connection, transaction, Dialect, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        await Writing.SourceLock.CloseAbandonedRunsAtStartAsync(connection, Dialect, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_readers is not null)
        {
            await _readers.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}
