using System.Diagnostics;
using System.Globalization;
using DataPool.Connectors.Csv;
using DataPool.Connectors.Excel;
using DataPool.Connectors.FixedWidth;
using DataPool.Connectors.Sql;
using DataPool.Core;
using DataPool.Core.Reports;
using DataPool.Core.Schema;
using DataPool.Demo.Seeding;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Benchmarks;

/// <summary>
/// <c>reports [--persons N] [--store sqlite|postgres] [--work DIR] [--reuse]</c>: the demo world at N persons synced
/// in-process into a fresh pool (every generated source), then the required reports of schemas/reports generated one
/// after another; prints each report's time and rows, and the total (target: the seven over 1M persons in under 10 s).
/// <c>--reuse</c> (SQLite, with <c>--work</c>) times the reports again over the pool a previous run left there.
/// </summary>
internal static class ReportsBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var persons = Option(args, "--persons") is { } p ? int.Parse(p, CultureInfo.InvariantCulture) : 1_000_000;
        var store = Option(args, "--store") ?? StoreOptions.Sqlite;
        var work = Option(args, "--work") ?? Path.Combine(Path.GetTempPath(), "datapool-reports-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(work);
        var clock = Stopwatch.StartNew();
        var world = Path.Combine(work, "world");
        var reuse = args.Contains("--reuse") && store == StoreOptions.Sqlite && File.Exists(Path.Combine(work, "data", "pool.db"));
        var summary = reuse ? null : DemoWorldGenerator.Generate(new DemoWorldOptions(persons, world));
        Console.WriteLine(reuse ? $"reusing the pool in {work}" : $"world: {persons:N0} persons generated in {clock.Elapsed.TotalSeconds:F1} s");

        var database = store == StoreOptions.Postgres ? await DataPool.Testing.PostgresServer.CreateDatabaseAsync() : null;
        var options = new StoreOptions { Provider = store, Connection = database, DataDirectory = Path.Combine(work, "data") };
        var failed = false;
        await using (var services = new ServiceCollection().AddLogging().AddDataPoolCore(options, SchemaCatalog.Locate())
            .AddCsvConnector().AddExcelConnector().AddSqlConnector().AddFixedWidthConnector().AddDataPoolReports().BuildServiceProvider())
        {
            await services.GetRequiredService<PoolDatabase>().InitialiseAsync();
            foreach (var source in summary?.Sources ?? [])
            {
                var loaded = services.GetRequiredService<SourceDefinitionLoader>().Load(Path.Combine(world, source.Definition));
                await services.GetRequiredService<SourceRegistry>().UpsertAsync(loaded);
                clock.Restart();
                var result = await services.GetRequiredService<SyncRunner>().RunAsync(loaded.Definition.Id);
                Console.WriteLine($"  sync {result.SummaryLine} in {clock.Elapsed.TotalSeconds:F1} s");
            }

            var generator = services.GetRequiredService<ReportGenerator>();
            var reports = services.GetRequiredService<ReportCatalog>().Reports.Keys.ToList();
            long residents;
            await using (var connection = await services.GetRequiredService<PoolDatabase>().OpenAsync())
            {
                residents = await connection.ScalarAsync<long>("SELECT COUNT(*) FROM pool_person WHERE _deleted = 0");
            }

            // Twice: the first pass includes loading and compiling the code (a fresh process, as `datapool report`
            // is); the second is what a long-running server pays each time a schedule fires.
            foreach (var pass in new[] { "cold", "warm" })
            {
                var total = TimeSpan.Zero;
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                Console.WriteLine($"reports on {store}, {residents:N0} persons in the pool ({pass}):");
                foreach (var id in reports)
                {
                    clock.Restart();
                    var run = await generator.RunAsync(id, "benchmark");
                    total += clock.Elapsed;
                    failed |= !run.Succeeded;
                    Console.WriteLine($"  {id,-28} {clock.Elapsed.TotalSeconds,6:F2} s  rows={run.Rows}{(run.Succeeded ? "" : " FAILED: " + run.Error)}");
                }

                // CPU seconds beside the wall time: on a shared machine the wall time mostly measures the other tenants.
                using var self = Process.GetCurrentProcess();
                Console.WriteLine($"total ({pass}): {total.TotalSeconds:F2} s wall, {(self.TotalProcessorTime - cpu).TotalSeconds:F2} s CPU for {reports.Count} reports " +
                    $"(target < 10 s: {(total.TotalSeconds < 10 ? "PASS" : "MISS")}); peak RSS {self.PeakWorkingSet64 / 1024 / 1024} MB");
            }
        }

        if (database is not null)
        {
            await DataPool.Testing.PostgresServer.DropDatabaseAsync(database);
        }

        if (Option(args, "--work") is null && !reuse)
        {
            Directory.Delete(work, recursive: true);
        }

        return failed ? 1 : 0;
    }

    private static string? Option(string[] args, string name) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
