using System.Data.Common;
using DataPool.Core.Schema;
using Microsoft.Data.Sqlite;

namespace DataPool.Core.Store;

/// <summary>
/// The pool's database: opens connections and brings the tables up to the schema files
/// (operational tables, then one table per pool entity).
/// </summary>
public sealed class PoolDatabase
{
    private readonly string _connectionString;

    private readonly IReadOnlyList<IStoreInitializer> _initializers;

    public PoolDatabase(StoreOptions options, SchemaCatalog catalog, IEnumerable<IStoreInitializer>? initializers = null)
    {
        _initializers = initializers?.ToList() ?? [];
        Options = options;
        Catalog = catalog;
        if (options.Provider != StoreOptions.Sqlite)
        {
            throw new NotSupportedException($"store '{options.Provider}' is not supported yet; use '{StoreOptions.Sqlite}'");
        }

        Directory.CreateDirectory(Path.GetFullPath(options.DataDirectory));
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.SqlitePath,
            Pooling = true,
            DefaultTimeout = 60,
        }.ToString();
    }

    public StoreOptions Options { get; }
    public SqlDialect Dialect => SqlDialect.For(Options.Provider);
    public SchemaCatalog Catalog { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        // WAL lets readers (the web UI, reports) go on while a sync writes; the sync's own
        // transaction makes each source run all-or-nothing, so NORMAL durability is enough.
        await connection.ExecuteAsync(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=60000; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-32768;",
            cancellationToken: cancellationToken);
        return connection;
    }

    /// <summary>Creates what is missing and migrates additive schema changes; refuses breaking ones.</summary>
    public async Task InitialiseAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(OperationalTables.Sqlite, transaction, cancellationToken: cancellationToken);
        await EntityTables.MigrateAsync(connection, transaction, Catalog, cancellationToken);
        foreach (var initializer in _initializers)
        {
            await initializer.InitialiseAsync(connection, transaction, Dialect, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
