namespace DataPool.Benchmarks;

/// <summary>
/// A pool store the scenarios run against. Each store says how the server is told to use it (the common
/// options of DESIGN.md "Command line") and how to empty it for the "fresh pool" scenario; everything else
/// (scenarios, checks, the table) is shared, so stores line up side by side in one report.
/// </summary>
internal interface IStoreTarget
{
    /// <summary>Short name for the table's first column.</summary>
    string Name { get; }

    /// <summary>Options appended to every <c>datapool sync</c> of this store.</summary>
    IReadOnlyList<string> ServerArgs { get; }

    /// <summary>Drops the whole pool so the next sync starts from nothing.</summary>
    void Reset();

    /// <summary>Removes what the benchmark created, unless asked to keep it.</summary>
    void Cleanup();
}

/// <summary>The embedded store: SQLite files under <c>--data DIR</c>.</summary>
internal sealed class SqliteTarget(string poolDirectory) : IStoreTarget
{
    public string Name => "sqlite";

    public IReadOnlyList<string> ServerArgs => ["--store", "sqlite", "--data", poolDirectory];

    public void Reset()
    {
        if (Directory.Exists(poolDirectory))
        {
            Directory.Delete(poolDirectory, recursive: true);
        }
    }

    public void Cleanup() => Reset();
}

internal static class StoreTargets
{
    /// <summary>
    /// The stores named on the command line. PostgreSQL joins here later as a target whose ServerArgs are
    /// <c>--store postgres --connection …</c> and whose Reset drops the pool's schema.
    /// </summary>
    public static IReadOnlyList<IStoreTarget> Create(IEnumerable<string> names, string work) =>
        names.Select(name => name switch
        {
            "sqlite" => (IStoreTarget)new SqliteTarget(Path.Combine(work, "pool")),
            "postgres" => throw new BenchmarkException("--store postgres: not implemented yet; add a PostgresTarget in StoreTargets.cs"),
            _ => throw new BenchmarkException($"--store {name}: unknown store (sqlite)"),
        }).ToList();
}
