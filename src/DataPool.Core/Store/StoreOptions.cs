namespace DataPool.Core.Store;

/// <summary>Where the pool lives: the embedded SQLite files under <see cref="DataDirectory"/>, or a PostgreSQL server.</summary>
public sealed record StoreOptions
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public string Provider { get; init; } = Sqlite;
    /// <summary>For PostgreSQL: the connection string. For SQLite it is derived from <see cref="DataDirectory"/>.</summary>
    public string? Connection { get; init; }
    public string DataDirectory { get; init; } = "data";

    /// <summary>
    /// SQLite's page cache per connection. A first full sync of a million persons writes random keys into
    /// large indexes in one transaction; when their pages do not fit, SQLite spills them to the WAL over and
    /// over. Memory is only taken as pages are used.
    /// </summary>
    public int SqliteCacheMegabytes { get; init; } = DefaultSqliteCacheMegabytes;

    public const int DefaultSqliteCacheMegabytes = 32;

    public string SqlitePath => Path.Combine(Path.GetFullPath(DataDirectory), "pool.db");

    /// <summary>
    /// The audit log's own SQLite file beside <c>pool.db</c>: a sync holds pool.db's one write lock for its whole
    /// run, and a read must not wait for that to write its audit entries.
    /// </summary>
    public string AccessLogPath => Path.Combine(Path.GetFullPath(DataDirectory), "access-log.db");

    /// <summary>
    /// How long a read may wait on the store (its audit entries above all) before it gives up and answers
    /// 503 with Retry-After (configuration <c>DataPool:Store:ReadTimeoutSeconds</c>).
    /// </summary>
    public int ReadTimeoutSeconds { get; init; } = DefaultReadTimeoutSeconds;

    public const int DefaultReadTimeoutSeconds = 10;
}
