using System.Diagnostics;
using System.Globalization;
using DataPool.Connectors.Csv;
using DataPool.Core;
using DataPool.Core.Schema;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using DataPool.Core.Tests.Matching.Independent;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Benchmarks;

/// <summary>
/// <c>matching-independent [--persons N] [--seed S]</c>: the independent labelled world (its own corruption model, no ID
/// numbers; the same generator the tests use, compiled in from the test project) synced into a fresh SQLite pool, then
/// pairwise precision, recall and F1 against its truth, overall and for each kind of corruption separately, so a
/// weakness on one kind is not hidden by the average.
/// </summary>
internal static class IndependentMatchingBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var persons = MatchingBenchmark.Option(args, "--persons") is { } p ? int.Parse(p, CultureInfo.InvariantCulture) : 5_000;
        var seed = MatchingBenchmark.Option(args, "--seed") is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : 16;
        var work = Path.Combine(Path.GetTempPath(), "datapool-independent-" + Environment.ProcessId);
        Directory.CreateDirectory(work);
        try
        {
            var world = new IndependentWorld(persons, seed);
            var options = new StoreOptions { Provider = StoreOptions.Sqlite, DataDirectory = Path.Combine(work, "data") };
            await using var services = new ServiceCollection().AddLogging().AddDataPoolCore(options, SchemaCatalog.Locate()).AddCsvConnector().BuildServiceProvider();
            var database = services.GetRequiredService<PoolDatabase>();
            await database.InitialiseAsync();
            var clock = Stopwatch.StartNew();
            foreach (var source in new[] { IndependentWorld.Register, IndependentWorld.Ledger })
            {
                await File.WriteAllTextAsync(Path.Combine(work, $"{source}.csv"), world.Csv(source));
                var definition = Path.Combine(work, $"{source}.source.json");
                await File.WriteAllTextAsync(definition, IndependentWorld.Definition(source, mapIdNumber: false));
                await services.GetRequiredService<SourceRegistry>().UpsertAsync(services.GetRequiredService<SourceDefinitionLoader>().Load(definition));
                var result = await services.GetRequiredService<SyncRunner>().RunAsync(source);
                Console.WriteLine($"  {source}: read={result.Counts.Read} accepted={result.Counts.Accepted} quarantined={result.Counts.Quarantined} new={result.Counts.New}{(result.Succeeded ? "" : " FAILED: " + result.Error)}");
            }

            Console.WriteLine($"independent world: {persons:N0} persons, {world.Rows.Count:N0} rows, synced in {clock.Elapsed.TotalSeconds:F1} s");
            var clusters = new Dictionary<string, long>();
            await using (var connection = await database.OpenAsync())
            await using (var command = connection.Command("SELECT source_id, source_key, pool_id FROM dp_source_records WHERE deleted = 0"))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    clusters[$"{reader.GetString(0)}/{reader.GetString(1)}"] = reader.GetInt64(2);
                }
            }

            var truth = world.Rows.ToDictionary(r => $"{r.Source}/{r.Key}", r => r.Entity);
            Console.WriteLine($"{"all rows, no ID numbers",-26} {PairMetrics.Overall(clusters, truth)}");
            foreach (var kind in Corruptor.Kinds)
            {
                var rows = world.Rows.Where(r => r.Source == IndependentWorld.Ledger && r.Kinds.Contains(kind)).Select(r => $"{r.Source}/{r.Key}");
                Console.WriteLine($"{kind,-26} {PairMetrics.Involving(rows, clusters, truth)}");
            }

            Console.WriteLine($"quarantined: {truth.Keys.Count(k => !clusters.ContainsKey(k))} of {truth.Count}");
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
