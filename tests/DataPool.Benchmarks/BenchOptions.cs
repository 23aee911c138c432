using System.Globalization;

namespace DataPool.Benchmarks;

/// <summary>
/// The benchmark's command line:
/// <c>[--persons N] [--work DIR] [--keep] [--seed S] [--repeat R] [--store all|sqlite|postgres]
/// [--scenarios hukou,sql,rest] [--sql-rows N] [--rest-records N] [--reuse-world]</c>.
/// Hand-parsed on purpose: the harness should not depend on the CLI library the server is built with.
/// </summary>
internal sealed record BenchOptions(int Persons, string Work, bool Keep, int Seed, int Repeat, IReadOnlyList<string> Stores,
    IReadOnlyList<string> Groups, int SqlRows, int RestRecords, bool ReuseWorld = false)
{
    public const int DefaultPersons = 1_000_000;

    public const int DefaultSqlRows = 1_000_000;

    public const int DefaultRestRecords = 100_000;

    /// <summary>The scenario groups there are, in run order: the CSV source, the SQL source, the REST source.</summary>
    public static readonly IReadOnlyList<string> AllGroups = ["hukou", "sql", "rest"];

    /// <summary>The stores there are, in report order; <c>--store all</c> (the default) means all of them.</summary>
    public static readonly IReadOnlyList<string> AllStores = ["sqlite", "postgres"];

    /// <summary>The seed verb's own default, so a benchmark world equals the world <c>seed</c> makes unasked.</summary>
    public const int DefaultSeed = 20190101;

    public const string Usage =
        "usage: dotnet run -c Release --project tests/DataPool.Benchmarks -- [--persons N] [--work DIR] [--keep] [--seed S] [--repeat R] [--store all|sqlite|postgres]\n" +
        "       [--scenarios hukou,sql,rest] [--sql-rows N] [--rest-records N] [--reuse-world]\n" +
        "  --persons N   residents in the generated world (default 1000000)\n" +
        "  --work DIR    folder for the world, the pools and the baseline database (default: a temporary folder)\n" +
        "  --keep        keep the generated files afterwards (default: delete them)\n" +
        "  --seed S      the generator's random seed (default 20190101)\n" +
        "  --repeat R    run the baseline and the three scenarios R times; report the median time (default 1)\n" +
        "  --store NAME  store to benchmark: sqlite, postgres or all; repeatable (default all: both side by side)\n" +
        "                postgres starts a throwaway server from /usr/lib/postgresql/*/bin (or uses DATAPOOL_TEST_POSTGRES)\n" +
        "  --scenarios L  comma-separated scenario groups: hukou (CSV, 3 syncs), sql (SQLite source, full + 1% incremental),\n" +
        "                rest (paged JSON API on loopback); default all\n" +
        "  --sql-rows N   rows in the generated SQL source table (default 1000000)\n" +
        "  --rest-records N  records the loopback REST API serves (default 100000)\n" +
        "  --reuse-world  keep a world that --keep left in --work (same --persons and --seed) instead of generating it again;\n" +
        "                the seed run is then not timed";

    /// <summary>Parses the arguments; null (after printing why) when they are unusable.</summary>
    public static BenchOptions? Parse(string[] args)
    {
        var persons = DefaultPersons;
        var seed = DefaultSeed;
        var repeat = 1;
        string? work = null;
        var keep = false;
        var stores = new List<string>();
        var groups = new List<string>();
        var sqlRows = DefaultSqlRows;
        var restRecords = DefaultRestRecords;
        var reuseWorld = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--persons" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out persons) && persons > 0:
                    i++;
                    break;
                case "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out seed):
                    i++;
                    break;
                case "--repeat" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out repeat) && repeat > 0:
                    i++;
                    break;
                case "--work" when i + 1 < args.Length:
                    work = args[++i];
                    break;
                case "--store" when i + 1 < args.Length && (AllStores.Contains(args[i + 1].ToLowerInvariant()) || args[i + 1].Equals("all", StringComparison.OrdinalIgnoreCase)):
                    var store = args[++i].ToLowerInvariant();
                    stores.AddRange(store == "all" ? AllStores : [store]);
                    break;
                case "--scenarios" when i + 1 < args.Length && args[i + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } named
                    && named.All(g => AllGroups.Contains(g.ToLowerInvariant()) || g.Equals("all", StringComparison.OrdinalIgnoreCase)):
                    i++;
                    groups.AddRange(named.SelectMany(g => g.Equals("all", StringComparison.OrdinalIgnoreCase) ? AllGroups : [g.ToLowerInvariant()]));
                    break;
                case "--sql-rows" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out sqlRows) && sqlRows >= 100:
                    i++;
                    break;
                case "--rest-records" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out restRecords) && restRecords > 0:
                    i++;
                    break;
                case "--keep":
                    keep = true;
                    break;
                case "--reuse-world":
                    reuseWorld = true;
                    break;
                case "-h" or "--help":
                    Console.WriteLine(Usage);
                    return null;
                default:
                    Console.Error.WriteLine($"bad argument '{args[i]}' (or its value is missing or invalid)");
                    Console.Error.WriteLine(Usage);
                    return null;
            }
        }

        var workDir = Path.GetFullPath(work ?? Path.Combine(Path.GetTempPath(), $"datapool-bench-{Environment.ProcessId}"));
        return new BenchOptions(persons, workDir, keep, seed, repeat, stores.Count == 0 ? AllStores : AllStores.Where(stores.Contains).ToList(),
            groups.Count == 0 ? AllGroups : AllGroups.Where(groups.Contains).ToList(), sqlRows, restRecords, reuseWorld);
    }
}
