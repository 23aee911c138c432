using System.Globalization;
using System.Text.RegularExpressions;
using DataPool.Benchmarks;

// The sync benchmark of the issues "Benchmark: 1M persons" and "a SQL source of 1M rows … a REST source of 100k
// records": generate the world, load the raw baseline of each store (sqlite3 .import, PostgreSQL COPY), then time
// full / unchanged / 1%-changed syncs of the household registration into each store, a full and a 1% incremental
// sync of a generated SQLite source, and a full sync of a paged REST API on loopback, each sync in its own server process. Speed is measured here, never in timed
// tests. See README.md next to this file.
if (args.FirstOrDefault() == "matching")
{
    // The matching scenario runs in-process on its own five-source world (MatchingBenchmark.cs).
    return MatchingBenchmark.RunAsync(args[1..]).GetAwaiter().GetResult();
}

if (args.FirstOrDefault() == "matching-independent")
{
    // F1 per kind of corruption on the independent labelled world (IndependentMatchingBenchmark.cs).
    return IndependentMatchingBenchmark.RunAsync(args[1..]).GetAwaiter().GetResult();
}

if (args.FirstOrDefault() == "query")
{
    // The query API under concurrent clients and the 1M-row export, in-process on loopback (QueryBenchmark.cs).
    return QueryBenchmark.RunAsync(args[1..]).GetAwaiter().GetResult();
}

if (args.FirstOrDefault() == "reports")
{
    // The seven required reports over an N-person pool, in-process (ReportsBenchmark.cs).
    return ReportsBenchmark.RunAsync(args[1..]).GetAwaiter().GetResult();
}

var options = BenchOptions.Parse(args);
if (options is null)
{
    return 2;
}

const string SourceId = "hukou";
var signals = ChildRunner.EndOnInterrupt();
var created = !Directory.Exists(options.Work);
IReadOnlyList<IStoreTarget> stores = [];
RestScenarios? rest = null; // its simulator serves until the run ends
try
{
    Directory.CreateDirectory(options.Work);
    var server = ServerExe.Locate();
    Console.WriteLine($"stores: {string.Join(", ", options.Stores)}");
    stores = StoreTargets.Create(options.Stores, options.Work);
    foreach (var store in stores.Where(s => s.Description is not null))
    {
        Console.WriteLine($"{store.Name}: {store.Description}");
    }

    var world = Path.Combine(options.Work, "world");
    var hukou = options.Groups.Contains("hukou");
    ChildResult? seed = null;
    SourceUnderTest? source = null;
    Expectation? expectation = null;
    var baselines = new List<Baseline>();
    Console.WriteLine($"work folder: {options.Work}");
    Console.WriteLine($"server: {server.Dotnet} {server.Dll}");
    Console.WriteLine($"scenarios: {string.Join(", ", options.Groups)}");
    if (hukou)
    {
        // A world a --keep run left, reused on request: generating 5M persons takes minutes, and the world of a
        // seed is the same every time. Otherwise it is made again, so the seed run is timed.
        var reuse = options.ReuseWorld && File.Exists(Path.Combine(world, "expected.json"));
        if (reuse)
        {
            Console.WriteLine($"reusing the world in {world} (not generated, not timed)");
        }
        else
        {
            if (Directory.Exists(world))
            {
                Directory.Delete(world, recursive: true);
            }

            Console.WriteLine($"generating {options.Persons:N0} persons …");
            seed = ChildRunner.Run(server.Dotnet, server.Args(["seed", "--persons", options.Persons.ToString(CultureInfo.InvariantCulture),
                "--out", world, "--seed", options.Seed.ToString(CultureInfo.InvariantCulture)]), options.Work).EnsureSuccess();
            Console.WriteLine($"  {seed.Wall.TotalSeconds:F2} s");
        }

        source = SourceUnderTest.Find(world, SourceId);
        expectation = Expectation.Load(world, source);

        foreach (var store in stores)
        {
            Console.WriteLine($"baseline of {store.Name} …");
            baselines.Add(store.RunBaseline(source, options.Repeat));
            if (store is SqliteTarget)
            {
                // pandas beside sqlite3 .import: the issue's second yardstick for the SQLite full sync.
                Console.WriteLine("baseline of pandas …");
                baselines.Add(PandasBaseline.Run(source, Path.Combine(options.Work, "pandas-baseline.db"), options.Repeat));
            }
        }
    }

    var sql = options.Groups.Contains("sql") ? new SqlScenarios(server, options.SqlRows, options.Seed, options.Work) : null;
    rest = options.Groups.Contains("rest") ? new RestScenarios(server, options.RestRecords, options.Seed, options.Work) : null;
    var scenarios = source is null ? null : new Scenarios(server, source, expectation, options.Seed, options.Work);
    var results = new List<ScenarioResult>();
    var storages = new List<StorageLine>(); // the pool's size after the hukou syncs, for the capacity plan
    foreach (var store in stores)
    {
        // Repetitions run back to back per store, each from an empty pool, so their medians compare.
        for (var i = 1; i <= options.Repeat; i++)
        {
            var label = options.Repeat == 1 ? store.Name : $"{store.Name} #{i}";
            results.AddRange(scenarios?.Run(store, label) ?? []);
            if (scenarios is not null && StoreStorage.Of(store) is { } storage)
            {
                storages.Add(storage);
                Console.WriteLine($"[{label}] {storage}");
            }

            results.AddRange(sql?.Run(store, label) ?? []);
            results.AddRange(rest?.Run(store, label) ?? []);
        }
    }

    var run = new BenchmarkRun(options, server, source, seed, seed is null ? 0 : GeneratedRows(seed), stores, baselines, results, scenarios?.Change,
        expectation is not null, sql, rest);
    var countsOk = Report.Print(run);
    storages.ForEach(s => Console.WriteLine(s));

    if (!options.Keep)
    {
        stores.ToList().ForEach(s => s.Cleanup());
        if (hukou)
        {
            Directory.Delete(world, recursive: true);
        }

        sql?.Cleanup();
        rest?.Dispose();
        rest?.Cleanup();
    }
    else
    {
        Console.WriteLine($"kept: {options.Work}" + (stores.OfType<PostgresTarget>().Any() && Environment.GetEnvironmentVariable("DATAPOOL_TEST_POSTGRES") is not { Length: > 0 }
            ? " (the throwaway PostgreSQL server and its databases go when the benchmark ends; DATAPOOL_TEST_POSTGRES keeps them)"
            : ""));
    }

    // Targets missed are information (timings move); wrong counts mean the numbers are of the wrong work.
    return countsOk ? 0 : 1;
}
catch (BenchmarkException e)
{
    Console.Error.WriteLine($"benchmark failed: {e.Message}");
    if (Directory.Exists(options.Work) && Directory.EnumerateFileSystemEntries(options.Work).Any())
    {
        Console.Error.WriteLine($"(files left in {options.Work} for a look)");
    }
    return 1;
}
finally
{
    GC.KeepAlive(signals); // the signal registrations live as long as the run
    rest?.Dispose();
    // Remove the folder only if this run made it and nothing is left in it: never a folder the user named.
    if (created && !options.Keep && Directory.Exists(options.Work) && !Directory.EnumerateFileSystemEntries(options.Work).Any())
    {
        Directory.Delete(options.Work);
    }
}

// Rows written over all sources, from the seed verb's per-source lines ("hukou: rows=N …"); 0 when absent.
static long GeneratedRows(ChildResult seed) =>
    seed.Stdout.Select(l => Regex.Match(l, @"^[a-z0-9-]+: rows=(\d+)"))
        .Where(m => m.Success)
        .Sum(m => long.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture));
