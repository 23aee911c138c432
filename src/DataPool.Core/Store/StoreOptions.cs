namespace DataPool.Core.Store;

/// <summary>Where the pool lives: the embedded SQLite files under <see cref="DataDirectory"/>, or a PostgreSQL server.</summary>
public sealed record StoreOptions
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary>The configuration section of these options (environment: <c>DataPool__Store__…</c>).</summary>
    public const string Section = "DataPool:Store";

    /// <summary>The folder of the embedded pool (environment <c>DataPool__Data</c>; the command line's <c>--data</c>).</summary>
    public const string DataKey = "DataPool:Data";

    /// <summary>The connection string of a server store: <c>ConnectionStrings:Pool</c> (environment <c>ConnectionStrings__Pool</c>).</summary>
    public const string ConnectionKey = "ConnectionStrings:Pool";

    /// <summary>The folder of the schema files (the command line's <c>--schemas</c>); unset, the one shipped with the program.</summary>
    public const string SchemasKey = "DataPool:Schemas";

    public string Provider { get; set; } = Sqlite;
    /// <summary>For PostgreSQL: the connection string. For SQLite it is derived from <see cref="DataDirectory"/>.</summary>
    public string? Connection { get; set; }
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// SQLite's page cache per connection. A first full sync of a million persons writes random keys into
    /// large indexes in one transaction; when their pages do not fit, SQLite spills them to the WAL over and
    /// over. Memory is only taken as pages are used.
    /// </summary>
    public int SqliteCacheMegabytes { get; set; } = DefaultSqliteCacheMegabytes;

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
    public int ReadTimeoutSeconds { get; set; } = DefaultReadTimeoutSeconds;

    public const int DefaultReadTimeoutSeconds = 10;

    /// <summary>
    /// These options as configuration entries, for hosts given a <see cref="StoreOptions"/> (tests, benchmarks): only what
    /// differs from the defaults, so a setting made elsewhere (an argument, the environment) is not overridden by a default.
    /// </summary>
    public Dictionary<string, string?> ToSettings(string? schemasRoot = null)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"{Section}:{nameof(Provider)}"] = Provider,
            [DataKey] = DataDirectory,
        };
        if (Connection is not null)
        {
            settings[ConnectionKey] = Connection;
        }

        if (SqliteCacheMegabytes != DefaultSqliteCacheMegabytes)
        {
            settings[$"{Section}:{nameof(SqliteCacheMegabytes)}"] = SqliteCacheMegabytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (ReadTimeoutSeconds != DefaultReadTimeoutSeconds)
        {
            settings[$"{Section}:{nameof(ReadTimeoutSeconds)}"] = ReadTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (schemasRoot is not null)
        {
            settings[SchemasKey] = schemasRoot;
        }

        return settings;
    }
}
