using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace DataPool.Core.Store;

/// <summary>
/// A connection lent for one short read (a page, a record, an API key): give it back by disposing the lease, never
/// by disposing the connection. On PostgreSQL it is a connection of the driver's own pool, closed on return.
/// </summary>
public sealed class ReadLease : IAsyncDisposable
{
    private readonly ReadConnections? _owner;
    private readonly SqliteConnection? _pooled;

    internal ReadLease(DbConnection connection, ReadConnections? owner)
    {
        Connection = connection;
        _owner = owner;
        _pooled = owner is null ? null : (SqliteConnection)connection;
    }

    public DbConnection Connection { get; }

    public async ValueTask DisposeAsync()
    {
        if (_owner is not null)
        {
            _owner.Return(_pooled!);
            return;
        }

        await Connection.DisposeAsync();
    }
}

/// <summary>
/// SQLite's readers for the short reads a request makes: a few read-only connections, opened once and kept, and a
/// limit on how many run at once. Two costs of a read on a fresh pooled connection go away: its settings (five PRAGMAs
/// prepared and run on every open) and the driver's pool lock, which 200 concurrent requests contended for twice each.
/// The limit matters because SQLite's calls block their thread: 200 requests each blocking a thread-pool thread starved
/// the pool, and queued requests then waited for threads to be added one by one; here a request beyond the limit waits
/// without a thread until a reader is free, within <see cref="StoreOptions.ReadTimeoutSeconds"/> (then 503). The
/// database is in WAL mode, so these readers run in parallel and never wait for a sync's write transaction. Long reads
/// (exports, reports) keep their own connections and do not take a reader from the requests.
/// </summary>
public sealed class ReadConnections : IAsyncDisposable
{
    /// <summary>Readers per core: SQLite spends part of a read waiting on the page cache and the kernel.</summary>
    private const int PerCore = 2;

    private readonly string _connectionString;
    private readonly StoreOptions _options;
    private readonly SemaphoreSlim _free;
    private readonly ConcurrentBag<SqliteConnection> _idle = [];

    public ReadConnections(StoreOptions options)
    {
        _options = options;
        Size = Math.Max(4, Environment.ProcessorCount * PerCore);
        _free = new SemaphoreSlim(Size, Size);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.SqlitePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = options.ReadTimeoutSeconds,
        }.ToString();
    }

    /// <summary>How many reads run at once.</summary>
    public int Size { get; }

    public async Task<ReadLease> LeaseAsync(CancellationToken cancellationToken)
    {
        if (!await _free.WaitAsync(TimeSpan.FromSeconds(_options.ReadTimeoutSeconds), cancellationToken))
        {
            throw new TimeoutException($"no reader of the pool was free within {_options.ReadTimeoutSeconds} s");
        }

        try
        {
            return new ReadLease(_idle.TryTake(out var idle) ? idle : await OpenAsync(cancellationToken), this);
        }
        catch
        {
            _free.Release();
            throw;
        }
    }

    internal void Return(SqliteConnection connection)
    {
        if (connection.State == System.Data.ConnectionState.Open)
        {
            _idle.Add(connection);
        }
        else
        {
            connection.Dispose();
        }

        _free.Release();
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // Memory-mapped reads share the kernel's page cache among the readers instead of each copying pages into
            // its own; a small private cache is then enough.
            await connection.ExecuteAsync(
                $"PRAGMA busy_timeout={_options.ReadTimeoutSeconds * 1000}; PRAGMA mmap_size=268435456; PRAGMA cache_size=-4096; PRAGMA temp_store=MEMORY;",
                cancellationToken: cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        while (_idle.TryTake(out var connection))
        {
            await connection.DisposeAsync();
        }
    }
}
