using System.Net;
using DataPool.Testing;
using Npgsql;

namespace DataPool.Benchmarks;

/// <summary>
/// A pool store the scenarios run against. Each store says how the server is told to use it (the common
/// options of DESIGN.md "Command line"), how to empty it for the "fresh pool" scenario and what its raw
/// baseline is; everything else (scenarios, checks, the table) is shared, so stores line up side by side
/// in one report.
/// </summary>
internal interface IStoreTarget
{
    /// <summary>Short name for the table's first column.</summary>
    string Name { get; }

    /// <summary>Options appended to every <c>datapool sync</c> of this store.</summary>
    IReadOnlyList<string> ServerArgs { get; }

    /// <summary>What the store runs on, for the report's header; null when there is nothing to say.</summary>
    string? Description { get; }

    /// <summary>True when the store's work is partly done by a server whose memory is not the datapool child's.</summary>
    bool MemoryOutsideChild { get; }

    /// <summary>Drops the whole pool so the next sync starts from nothing.</summary>
    void Reset();

    /// <summary>Loads the source's raw files with the store's own bulk loader, timed: the full sync's yardstick.</summary>
    Baseline RunBaseline(SourceUnderTest source, int repeat);

    /// <summary>Removes what the benchmark created, unless asked to keep it.</summary>
    void Cleanup();
}

/// <summary>The embedded store: SQLite files under <c>--data DIR</c>; its baseline is <c>sqlite3 .import</c>.</summary>
internal sealed class SqliteTarget(string poolDirectory, string baselineDatabase) : IStoreTarget
{
    public string Name => "sqlite";

    public string PoolDirectory => poolDirectory;

    public IReadOnlyList<string> ServerArgs => ["--store", "sqlite", "--data", poolDirectory];

    public string? Description => null;

    public bool MemoryOutsideChild => false;

    public void Reset()
    {
        if (Directory.Exists(poolDirectory))
        {
            Directory.Delete(poolDirectory, recursive: true);
        }
    }

    public Baseline RunBaseline(SourceUnderTest source, int repeat) => SqliteBaseline.Run(source, baselineDatabase, repeat);

    public void Cleanup()
    {
        Reset();
        File.Delete(baselineDatabase);
    }
}

/// <summary>
/// The server store: a PostgreSQL database per pool, <c>--store postgres --connection …</c>. The server is the
/// throwaway one the tests use (<see cref="PostgresServer"/>: Debian's binaries, a temporary cluster on a free
/// loopback port, stopped when the benchmark ends), or the one DATAPOOL_TEST_POSTGRES names. "Empty the pool"
/// drops and re-creates the pool's database; the baseline is COPY into a database of its own.
/// </summary>
internal sealed class PostgresTarget : IStoreTarget
{
    private readonly string _admin;

    public PostgresTarget()
    {
        try
        {
            _admin = PostgresServer.AdminConnection; // starts the server now, so a missing PostgreSQL fails before any timing
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            throw new BenchmarkException($"--store postgres: {e.Message}\n(--store sqlite measures SQLite alone)");
        }

        // Named after this process, so an existing server shared with other runs is not disturbed.
        PoolDatabase = $"datapool_bench_pool_{Environment.ProcessId}";
        BaselineDatabase = $"datapool_bench_baseline_{Environment.ProcessId}";
        var admin = new NpgsqlConnectionStringBuilder(_admin);
        IsLocal = admin.Host is { } host && (host.StartsWith('/') || host == "localhost" || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip)));
        try
        {
            using var connection = new NpgsqlConnection(_admin);
            connection.Open();
            string Show(string setting)
            {
                using var command = new NpgsqlCommand($"SHOW {setting}", connection);
                return (string)command.ExecuteScalar()!;
            }

            Version = Show("server_version").Split(' ')[0];
            var external = Environment.GetEnvironmentVariable("DATAPOOL_TEST_POSTGRES") is { Length: > 0 };
            Description = $"PostgreSQL {Version} ({(external ? "DATAPOOL_TEST_POSTGRES" : "throwaway server")} at {admin.Host}:{admin.Port}; " +
                $"fsync={Show("fsync")}, synchronous_commit={Show("synchronous_commit")}, shared_buffers={Show("shared_buffers")})";
        }
        catch (NpgsqlException e)
        {
            throw new BenchmarkException($"--store postgres: cannot reach the server ({e.Message})");
        }

        // What a user would pass: where the server is, who, which database; everything else the driver's defaults.
        var pool = new NpgsqlConnectionStringBuilder { Host = admin.Host, Port = admin.Port, Username = admin.Username, Database = PoolDatabase };
        if (!string.IsNullOrEmpty(admin.Password))
        {
            pool.Password = admin.Password;
        }

        PoolConnection = pool.ToString();
    }

    public string Name => "postgres";

    public string PoolDatabase { get; }

    public string BaselineDatabase { get; }

    public string PoolConnection { get; }

    public string Version { get; }

    public string? Description { get; }

    public bool MemoryOutsideChild => true;

    /// <summary>The server runs on this machine, so its backends' /proc entries are its own.</summary>
    public bool IsLocal { get; }

    public IReadOnlyList<string> ServerArgs => ["--store", "postgres", "--connection", PoolConnection];

    public void Reset() => FreshDatabase(PoolDatabase);

    public Baseline RunBaseline(SourceUnderTest source, int repeat) => PostgresBaseline.Run(source, this, repeat);

    public void Cleanup()
    {
        Drop(PoolDatabase);
        Drop(BaselineDatabase);
    }

    /// <summary>Drops the database (closing whatever is still connected) and creates it empty; returns a connection string to it.</summary>
    public string FreshDatabase(string name)
    {
        Drop(name);
        Execute($"CREATE DATABASE {name}");
        return new NpgsqlConnectionStringBuilder(_admin) { Database = name }.ToString();
    }

    private void Drop(string name)
    {
        NpgsqlConnection.ClearAllPools();
        Execute($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(_admin);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}

internal static class StoreTargets
{
    /// <summary>The stores named on the command line, in report order.</summary>
    public static IReadOnlyList<IStoreTarget> Create(IEnumerable<string> names, string work) =>
        names.Select(name => name switch
        {
            "sqlite" => (IStoreTarget)new SqliteTarget(Path.Combine(work, "pool"), Path.Combine(work, "baseline.db")),
            "postgres" => new PostgresTarget(),
            _ => throw new BenchmarkException($"--store {name}: unknown store (sqlite, postgres)"),
        }).ToList();
}
