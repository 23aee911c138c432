using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using DataPool.Connectors.Csv;
using DataPool.Core;
using DataPool.Core.Matching;
using DataPool.Core.Schema;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Benchmarks;

/// <summary>
/// <c>matching [--persons N] [--store sqlite|postgres] [--work DIR] [--cache-mb M] [--only hukou,civil]</c>: N persons from five sources
/// (<see cref="MatchingWorld"/>), synced in-process into a fresh pool (the register first); prints the
/// link time (the matcher's own time, from <see cref="MatchingMetrics"/>) beside each whole sync's time,
/// peak RSS and precision/recall of the departmental rows with and without ID numbers.
/// </summary>
internal static class MatchingBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var persons = Option(args, "--persons") is { } p ? int.Parse(p, CultureInfo.InvariantCulture) : 100_000;
        var store = Option(args, "--store") ?? StoreOptions.Sqlite;
        var work = Option(args, "--work") ?? Path.Combine(Path.GetTempPath(), "datapool-matching-" + Environment.ProcessId);
        Directory.CreateDirectory(work);
        var clock = Stopwatch.StartNew();
        var rows = new MatchingWorld(persons, 20190101).Write(work);
        Console.WriteLine($"world: {persons:N0} persons, {rows:N0} rows in 5 sources, generated in {clock.Elapsed.TotalSeconds:F1} s");

        if (Directory.Exists(Path.Combine(work, "data")))
        {
            // A kept work folder (--work) is synced into a fresh pool again, not re-synced unchanged.
            Directory.Delete(Path.Combine(work, "data"), recursive: true);
        }

        string? database = store == StoreOptions.Postgres ? await DataPool.Testing.PostgresServer.CreateDatabaseAsync() : null;
        var cache = Option(args, "--cache-mb") is { } mb ? int.Parse(mb, CultureInfo.InvariantCulture) : StoreOptions.DefaultSqliteCacheMegabytes;
        var options = new StoreOptions { Provider = store, Connection = database, DataDirectory = Path.Combine(work, "data"), SqliteCacheMegabytes = cache };
        await using (var services = new ServiceCollection().AddLogging().AddDataPoolCore(options, SchemaCatalog.Locate()).AddCsvConnector().BuildServiceProvider())
        {
            await services.GetRequiredService<PoolDatabase>().InitialiseAsync();
            var sync = TimeSpan.Zero;
            var linking = 0.0;
            using var listener = new MeterListener();
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == MatchingMetrics.MeterName && instrument.Name is MatchingMetrics.DurationName or "datapool.matching.candidates")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            var phases = new Dictionary<string, double>();
            long candidates = 0;
            listener.SetMeasurementEventCallback<long>((instrument, count, _, _) =>
            {
                if (instrument.Name == "datapool.matching.candidates")
                {
                    candidates += count;
                }
            });
            listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
            {
                linking += seconds;
                foreach (var tag in tags)
                {
                    if (tag is { Key: "phase", Value: string phase })
                    {
                        phases[phase] = phases.GetValueOrDefault(phase) + seconds;
                    }
                }
            });
            listener.Start();
            var only = Option(args, "--only")?.Split(',');
            foreach (var source in MatchingWorld.Departments.Prepend("hukou").Where(s => only is null || only.Contains(s)))
            {
                var loaded = services.GetRequiredService<SourceDefinitionLoader>().Load(Path.Combine(work, source + ".source.json"));
                await services.GetRequiredService<SourceRegistry>().UpsertAsync(loaded);
                clock.Restart();
                var linkedBefore = linking;
                var phasesBefore = new Dictionary<string, double>(phases);
                var candidatesBefore = candidates;
                var result = await services.GetRequiredService<SyncRunner>().RunAsync(source);
                sync += clock.Elapsed;
                var c = result.Counts;
                Console.WriteLine($"  {source}: read={c.Read} accepted={c.Accepted} quarantined={c.Quarantined} new={c.New} updated={c.Updated} unchanged={c.Unchanged} in {clock.Elapsed.TotalSeconds:F1} s, of which linking {linking - linkedBefore:F1} s{(result.Succeeded ? "" : " FAILED: " + result.Error)}");
                Console.WriteLine("    linking by phase: " + string.Join(", ", MatchingMetrics.Phases.Select(p => $"{p} {phases.GetValueOrDefault(p) - phasesBefore.GetValueOrDefault(p):F1} s"))
                    + $"; candidate persons read {candidates - candidatesBefore:N0}");
            }

            Console.WriteLine($"link time (5 sources, fresh pool): {linking:F1} s; whole syncs {sync.TotalSeconds:F1} s; peak RSS {PeakRssMegabytes()} MB");
            Console.WriteLine("link time by phase: " + string.Join(", ", MatchingMetrics.Phases.Select(p => $"{p} {phases.GetValueOrDefault(p):F1} s")));
            if (only is null)
            {
                await ReportQualityAsync(services.GetRequiredService<PoolDatabase>(), work);
            }
        }

        if (database is not null)
        {
            await DataPool.Testing.PostgresServer.DropDatabaseAsync(database);
        }

        if (Option(args, "--work") is null)
        {
            Directory.Delete(work, recursive: true);
        }

        return 0;
    }

    /// <summary>Precision and recall of the departmental rows' links against the truth (the register's record of the same person).</summary>
    private static async Task ReportQualityAsync(PoolDatabase database, string work)
    {
        var pools = new Dictionary<(string, string), long>();
        await using (var connection = await database.OpenAsync())
        await using (var command = connection.Command("SELECT source_id, source_key, pool_id FROM dp_source_records WHERE deleted = 0"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                pools[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
            }
        }

        var registered = pools.Where(p => p.Key.Item1 == "hukou").Select(p => p.Value).ToHashSet();
        foreach (var withId in new[] { true, false })
        {
            long tp = 0, fp = 0, fn = 0;
            foreach (var line in File.ReadLines(Path.Combine(work, "truth.csv")))
            {
                var f = line.Split(',');
                if ((f[3] == "1") != withId)
                {
                    continue;
                }

                var truth = pools[("hukou", f[2])];
                if (!pools.TryGetValue((f[0], f[1]), out var linked) || linked != truth)
                {
                    fn++;
                    fp += registered.Contains(linked) ? 1 : 0;
                    continue;
                }

                tp++;
            }

            var precision = tp / (double)Math.Max(1, tp + fp);
            var recall = tp / (double)Math.Max(1, tp + fn);
            Console.WriteLine($"rows {(withId ? "with" : "without")} an ID number: {tp + fn:N0}; precision {precision:F4} recall {recall:F4} F1 {2 * precision * recall / Math.Max(1e-9, precision + recall):F4}");
        }
    }

    private static long PeakRssMegabytes() =>
        File.ReadLines("/proc/self/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).FirstOrDefault();

    internal static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
