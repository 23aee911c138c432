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

    public string SqlitePath => Path.Combine(Path.GetFullPath(DataDirectory), "pool.db");
}
