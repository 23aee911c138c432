using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using DataPool.Core.Values;
using DataPool.Server.Identity;
using DataPool.Server.Sync;
using DataPool.Server.Sources;
using Microsoft.Extensions.DependencyInjection;
using static DataPool.Server.Tests.Sources.ApiSources;

namespace DataPool.Server.Tests.Sync;

/// <summary>
/// "Sync now" and its progress through the API alone: 202 with the run id and its Location, then
/// <c>GET /api/runs/{id}</c> polled while a big CSV is read shows rows, rows/s, the stream and a percentage (the file's
/// size is known) rising to the summary. On PostgreSQL the progress is also in the run's row, where other nodes read it.
/// </summary>
[TestFixture(StoreOptions.Sqlite)]
[TestFixture(StoreOptions.Postgres)]
public sealed class RunProgressTests(string store)
{
    private const string Id = "big-export";
    private const int Rows = 80_000;
    private ServerHost _server = null!;
    private HttpClient _admin = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await ServerHost.StartAsync(store, "--DataPool:Scheduling:Workers=1");
        _admin = await _server.ClientAsync(Roles.Admin);
        await File.WriteAllTextAsync(Path.Combine(Root(_server), Id + ".csv"), BigExports.Persons(Rows));
        await AddAsync(_admin, BigExports.Definition(Id, Id + ".csv"));
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Sync_now_answers_202_with_the_run_and_the_run_reports_rising_progress_until_its_summary()
    {
        // Every row changed, so the run writes as a sync does: after another test of this fixture has synced the
        // same file, an unchanged re-sync (one hash pass) ends before a second progress sample can be taken.
        await File.WriteAllTextAsync(Path.Combine(Root(_server), Id + ".csv"), BigExports.Persons(Rows, namePrefix: "住户"));
        using var response = await _admin.PostAsync($"/api/sources/{Id}/sync", null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        var queued = await response.Content.ReadFromJsonAsync<SyncQueued>();
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/runs/{queued!.RunId}"));

        var seen = new List<RunProgress>();
        var storedProgress = false;
        RunDetail run;
        var until = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            run = (await _admin.GetFromJsonAsync<RunDetail>(response.Headers.Location))!;
            Assert.That(run.Id, Is.EqualTo(queued.RunId));
            if (run.Status is not ("queued" or "running"))
            {
                break;
            }

            if (run.Progress is { } progress)
            {
                seen.Add(progress);
            }

            storedProgress |= store == StoreOptions.Postgres && await StoredProgressAsync(run.Id) is not null;
            Assert.That(DateTime.UtcNow, Is.LessThan(until), "the run did not finish");
            await Task.Delay(40);
        }

        Assert.That(run.Status, Is.EqualTo("succeeded"), run.Error);
        Assert.That(run.Progress, Is.Null, "an ended run reports its summary, not progress");
        Assert.That(run.Counts.Read, Is.EqualTo(Rows));
        Assert.That(run.Streams?.GetProperty("persons").GetProperty("read").GetInt64(), Is.EqualTo(Rows), "run JSON is camelCase throughout");
        var reading = seen.Where(p => p.RowsRead > 0).ToList();
        Assert.That(reading, Has.Count.GreaterThanOrEqualTo(2), $"progress samples while reading: {JsonSerializer.Serialize(seen)}");
        Assert.Multiple(() =>
        {
            Assert.That(reading.Select(p => p.RowsRead), Is.Ordered, "rows read never go back");
            Assert.That(reading[^1].RowsRead, Is.GreaterThan(reading[0].RowsRead), "rows read rise while the run goes");
            Assert.That(reading.Select(p => p.Percent), Is.All.InRange(0.0, 100.0), "a percentage: the file's size is known");
            Assert.That(reading.Select(p => p.Percent), Is.Ordered, "the percentage never goes back");
            Assert.That(reading.Select(p => (p.Stream, p.StreamIndex, p.StreamCount, p.Unit)), Is.All.EqualTo(("persons", 1, 1, "bytes")));
            Assert.That(reading.Select(p => p.Total), Is.All.EqualTo(new FileInfo(Path.Combine(Root(_server), Id + ".csv")).Length));
            Assert.That(reading.Where(p => p.RowsRead > 1000).Select(p => p.RowsPerSecond), Is.All.GreaterThan(0));
            Assert.That(reading.Any(p => p.EtaSeconds is > 0), Is.True, "an ETA while rows remain");
        });
        if (store == StoreOptions.Postgres)
        {
            Assert.That(storedProgress, Is.True, "PostgreSQL: the progress is in the run's row for every node to read");
            Assert.That(await StoredProgressAsync(run.Id), Is.Null, "and cleared when the run ends");
        }
    }

    [Test]
    public async Task A_finished_run_lists_what_it_changed_per_entity_with_the_change_feed_cursor()
    {
        using var response = await _admin.PostAsync($"/api/sources/{Id}/sync", null);
        var queued = (await response.Content.ReadFromJsonAsync<SyncQueued>())!;
        await WaitForRunAsync(_admin, Id, after: queued.RunId - 1, timeout: TimeSpan.FromMinutes(3));

        var changes = await _admin.GetFromJsonAsync<List<DataPool.Core.History.RunEntityChanges>>($"/api/runs/{queued.RunId}/changes");
        var runs = await _admin.GetFromJsonAsync<List<RunSummary>>($"/api/sources/{Id}/runs");
        var first = runs!.Min(r => r.Id);
        var firstChanges = await _admin.GetFromJsonAsync<List<DataPool.Core.History.RunEntityChanges>>($"/api/runs/{first}/changes");
        using var missing = await _admin.GetAsync("/api/runs/987654/changes");

        Assert.That(firstChanges!.Single(c => c.Entity == "person").Created, Is.EqualTo(Rows), "the first sync created every person");
        var feed = await _admin.GetFromJsonAsync<JsonElement>($"/api/pool/person/changes?since={firstChanges!.Single(c => c.Entity == "person").Since}&limit=1");
        Assert.That(feed.GetProperty("items")[0].GetProperty("run").GetInt64(), Is.EqualTo(first), "the cursor starts the feed at the run's first change");
        if (queued.RunId != first)
        {
            Assert.That(changes!.Where(c => c.Entity == "person").Sum(c => c.Created + c.Updated + c.Deleted), Is.Zero, "a re-sync of the same file changes nothing");
        }

        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Others_may_not_follow_runs()
    {
        using var worker = await _server.ClientAsync(Roles.Worker);
        using var analyst = await _server.ClientAsync(Roles.Analyst);

        using var run = await worker.GetAsync("/api/runs/1");
        using var changes = await analyst.GetAsync("/api/runs/1/changes");
        using var sync = await worker.PostAsync($"/api/sources/{Id}/sync", null);

        Assert.That(new[] { run.StatusCode, changes.StatusCode, sync.StatusCode }, Is.All.EqualTo(HttpStatusCode.Forbidden));
    }

    private async Task<string?> StoredProgressAsync(long runId)
    {
        await using var connection = await _server.Services.GetRequiredService<PoolDatabase>().OpenAsync();
        return await connection.ScalarAsync<string>("SELECT progress FROM dp_runs WHERE id = @id", null, default, ("@id", runId));
    }
}
