using System.Diagnostics;
using System.Globalization;
using DataPool.Connectors.Csv;
using DataPool.Core;
using DataPool.Core.Matching;
using DataPool.Core.Schema;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using DataPool.Core.Tests.Matching.Independent;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Benchmarks;

/// <summary>
/// <c>matching-independent [--persons N] [--seed S] [--audit PREFIX]</c>: the independent labelled world (its own corruption
/// model, no ID numbers; the same generator the tests use, compiled in from the test project) synced into a fresh SQLite
/// pool, then pairwise precision, recall and F1 against its truth, overall and for each kind of corruption separately, so a
/// weakness on one kind is not hidden by the average. Twice, as a deployment runs: first with the prior weights, then
/// trained on that pool (what <c>match train</c> does) and synced again into a second pool holding the model. With
/// <c>--audit</c>, each run's missed and wrong pairs are written (<c>PREFIX-prior.csv</c>, <c>PREFIX-trained.csv</c>) as
/// <c>match evaluate --audit</c> writes them.
/// </summary>
internal static class IndependentMatchingBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var persons = MatchingBenchmark.Option(args, "--persons") is { } p ? int.Parse(p, CultureInfo.InvariantCulture) : 5_000;
        var seed = MatchingBenchmark.Option(args, "--seed") is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : 16;
        var audit = MatchingBenchmark.Option(args, "--audit");
        var world = new IndependentWorld(persons, seed);
        var (records, trainedOn) = await RunOnceAsync(world, null, audit is null ? null : audit + "-prior.csv");
        var model = MatchTraining.Train(records, MatchSettings.Default.Blocking);
        await RunOnceAsync(world, (model, trainedOn), audit is null ? null : audit + "-trained.csv");
        return 0;
    }

    /// <summary>Syncs the world into a fresh pool (holding <paramref name="trained"/> when given), prints its figures and returns its records for training.</summary>
    private static async Task<(List<MatchRecord> Records, int Count)> RunOnceAsync(IndependentWorld world, (TrainedModel Model, int Records)? trained, string? auditPath)
    {
        // A directory of its own per run: the store's pooled connections outlive the run's services.
        var work = Path.Combine(Path.GetTempPath(), $"datapool-independent-{Environment.ProcessId}-{(trained is null ? "prior" : "trained")}");
        Directory.CreateDirectory(work);
        try
        {
            var options = new StoreOptions { Provider = StoreOptions.Sqlite, DataDirectory = Path.Combine(work, "data") };
            await using var services = new ServiceCollection().AddLogging().AddDataPoolCore(options, SchemaCatalog.Locate()).AddCsvConnector().BuildServiceProvider();
            var database = services.GetRequiredService<PoolDatabase>();
            await database.InitialiseAsync();
            if (trained is { } t)
            {
                await MatchModelStore.SaveAsync(database, "person", t.Model, t.Records);
            }

            Console.WriteLine(trained is null ? "with the prior weights:" : $"with weights trained on the first pool ({trained.Value.Records:N0} records):");
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

            Console.WriteLine($"independent world: {world.Rows.Count:N0} rows, synced in {clock.Elapsed.TotalSeconds:F1} s");
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
            if (auditPath is not null)
            {
                var labelled = world.Rows.Select(r => new TruthRow(r.Source, r.Key, r.Entity.ToString(CultureInfo.InvariantCulture))).ToList();
                var (report, _) = await MatchEvaluationStore.EvaluateAsync(database, labelled, MatchSettings.Default);
                MatchEvaluationStore.WriteAudit(auditPath, report.Audit);
                Console.WriteLine($"audit: {report.Audit.Count(a => a.Kind == "wrong")} wrong and {report.Audit.Count(a => a.Kind == "missed")} missed pairs in {Path.GetFileName(auditPath)}");
            }

            var records = await MatchModelStore.RecordsAsync(database, "person", 200_000);
            return (records, records.Count);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
