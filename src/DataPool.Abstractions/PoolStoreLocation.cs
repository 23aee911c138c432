namespace DataPool.Abstractions;

/// <summary>
/// Where the pool itself lives, so that a connector reading databases can refuse it: no source may read the pool's
/// own tables (its users and password hashes among them).
/// </summary>
/// <param name="DataDirectory">For the embedded store: the folder of the pool's database files (pool, scheduler, logs); null otherwise.</param>
/// <param name="PostgresConnection">For PostgreSQL: the pool's connection string; null otherwise.</param>
public sealed record PoolStoreLocation(string? DataDirectory, string? PostgresConnection);
