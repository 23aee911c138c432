using System.Globalization;
using System.Text;
using DataPool.Core.Sync;
using DataPool.Core.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Core.Tests.Sync;

/// <summary>
/// A sync whose token is cancelled mid-stream (a server shutting down cancels its Hangfire job's token; the command
/// line cancels on SIGINT/SIGTERM) ends <c>cancelled</c>, not failed or running: rolled back, lock released.
/// </summary>
[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class CancelledRunTests(string store)
{
    [Test]
    public async Task A_run_cancelled_mid_stream_is_marked_cancelled_and_changes_nothing()
    {
        var host = await PoolTestHost.CreateAsync(store);
        await using var _ = host;
        var csv = new StringBuilder("id,name\n");
        for (var i = 0; i < 12_000; i++)
        {
            var birth = new DateOnly(1950, 1, 1).AddDays(i / 900).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
            csv.Append(Residents.Id(birth, 100 + (i % 900))).Append(",居民").Append(i).Append('\n');
        }

        host.WriteFile("persons.csv", csv.ToString());
        host.WriteFile("hukou.source.json", """
            {
              "id": "hukou", "name": "hukou", "department": "public-security", "kind": "csv", "settings": { "path": "persons.csv" },
              "streams": [{ "name": "persons", "entity": "person", "key": ["id"], "fields": { "id_number": { "from": "id" }, "name": { "from": "name" } } }]
            }
            """);
        var source = host.Services.GetRequiredService<DataPool.Core.Sources.SourceDefinitionLoader>().Load(Path.Combine(host.Root, "hukou.source.json"));
        await host.Services.GetRequiredService<DataPool.Core.Store.SourceRegistry>().UpsertAsync(source);
        using var stop = new CancellationTokenSource();

        // Progress comes every 10,000 rows: the shutdown arrives there, well inside the stream.
        Assert.That(async () => await host.Services.GetRequiredService<SyncRunner>().RunAsync("hukou", "schedule", new Progress(stop), stop.Token),
            Throws.InstanceOf<OperationCanceledException>());

        var run = (await host.QueryAsync("SELECT status, error FROM dp_runs")).Single();
        Assert.That(run["status"], Is.EqualTo("cancelled"), (string?)run["error"]);
        Assert.That(await host.CountAsync("SELECT COUNT(*) FROM pool_person"), Is.Zero);
        Assert.That(await host.CountAsync("SELECT COUNT(*) FROM dp_source_records"), Is.Zero);
        var again = await host.SyncAsync("hukou.source.json");
        Assert.That(again.Succeeded, Is.True, "the lock was released: " + again.Error);
        Assert.That(again.Counts.New, Is.EqualTo(12_000));
    }

    private sealed class Progress(CancellationTokenSource stop) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value) => stop.Cancel();
    }
}
