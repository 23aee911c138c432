using System.Diagnostics;
using System.Net;
using DataPool.Core.Access;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using DataPool.Server.Identity;
using DataPool.Demo.Simulator;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Server.Tests.Query;

/// <summary>
/// A bounded loopback load test: 200 audited reads over about 10 s while a real sync runs, printing p50/p99. The sync
/// reads the health commission's REST API from the legacy-system simulator, slowed down so that it holds SQLite's
/// write lock for the whole load. The bound is generous: the machine may be busy; before, p99 was 13.9 s.
/// </summary>
[TestFixture]
public sealed class ReadsUnderSyncLoadTests
{
    private const int Reads = 200;
    private static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(50);

    [Test]
    public async Task Audited_reads_stay_quick_while_a_sync_holds_the_write_lock()
    {
        await using var simulator = await LegacySimulator.StartAsync(Path.Combine(Workspace.RepoRoot(), "seeds"), "http://127.0.0.1:0",
            new SimulatorFaults { Latency = TimeSpan.FromMilliseconds(600) }, "load-token");
        await using var server = await ServerHost.StartAsync();
        await QueryWorld.SeedAsync(server);
        var client = await server.ClientAsync(Roles.Admin);
        client.Timeout = TimeSpan.FromSeconds(20);
        var ids = await PersonIdsAsync(server);
        var sync = StartSlowSync(server, simulator);
        await WaitForWriteLockAsync(server, sync, simulator);

        var load = Stopwatch.StartNew();
        var reads = Enumerable.Range(0, Reads).Select(async i =>
        {
            // Open loop: read i starts at i × 50 ms whatever the earlier ones do, as independent users would.
            await Task.Delay(Spacing * i - load.Elapsed is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
            // Records of the bulk community, pages of another: the log's rows for the bulk ids are the record reads'.
            var path = i % 2 == 0 ? $"/api/pool/person/{ids[i % ids.Count]}" : $"/api/pool/person?community_code={QueryWorld.CommunityA}&limit=20";
            var clock = Stopwatch.StartNew();
            try
            {
                using var response = await client.GetAsync(path);
                return (StatusCode: response.StatusCode, clock.Elapsed, path);
            }
            catch (TaskCanceledException)
            {
                return (StatusCode: HttpStatusCode.RequestTimeout, clock.Elapsed, path);
            }
        }).ToList();
        var results = await Task.WhenAll(reads);
        var loadTime = load.Elapsed;
        var lockHeld = IsWriteLocked(server);
        var syncStillRunning = !sync.IsCompleted;
        var syncState = $"{simulator.Requests.Count} API requests, {(sync.IsCompleted ? (await sync).Error ?? "ended" : "running")}";

        var times = results.Select(r => r.Elapsed.TotalMilliseconds).Order().ToList();
        double Percentile(double p) => times[(int)Math.Ceiling(p * times.Count) - 1];
        TestContext.Out.WriteLine(string.Join("; ", results.OrderByDescending(r => r.Elapsed).Take(3).Select(r => $"{r.path} {(int)r.StatusCode} {r.Elapsed.TotalMilliseconds:F0} ms")));
        TestContext.Out.WriteLine($"{Reads} audited reads in {loadTime.TotalSeconds:F1} s during a sync: p50 {Percentile(0.50):F0} ms, p99 {Percentile(0.99):F0} ms, max {times[^1]:F0} ms");

        simulator.Faults = SimulatorFaults.None;
        var synced = await sync;
        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.StatusCode), Has.All.EqualTo(HttpStatusCode.OK));
            Assert.That(syncStillRunning, Is.True, $"the sync ran through the whole load ({syncState})");
            Assert.That(lockHeld, Is.True, "the sync held the write lock through the whole load");
            Assert.That(Percentile(0.99), Is.LessThan(5000), "p99 of audited reads during a sync");
            Assert.That(synced.Succeeded, Is.True, synced.Error);
        });
        var audited = await server.Services.GetRequiredService<AccessLog>().ReadAsync(ids.Select(id => ("person", id)).ToList(), 1000, default);
        Assert.That(audited.Count(e => e.Viewer == "t-admin"), Is.EqualTo(Reads / 2), "every record read is audited");
        Assert.That(loadTime, Is.LessThan(TimeSpan.FromSeconds(30)), "the load stays bounded");
    }

    /// <summary>The health contracts in pages of 20 at 600 ms each: about 45 s unless the latency is lifted.</summary>
    private static Task<SyncResult> StartSlowSync(ServerHost server, SimulatorHandle simulator)
    {
        var file = Path.Combine(server.Folder, "slow-health.source.json");
        File.WriteAllText(file, $$"""
            {
              "id": "slow-health", "name": "卫健委（慢）", "department": "health-commission", "kind": "rest", "priority": 40,
              "settings": {
                "baseUrl": "{{simulator.BaseUrl}}",
                "headers": { "Authorization": "Bearer {{simulator.Token}}" },
                "timeoutSeconds": 30, "totalTimeoutSeconds": 120
              },
              "streams": [{
                "name": "contracts", "entity": "family_doctor", "key": ["id_number"], "mode": "full",
                "settings": { "path": "/api/contracts", "recordsPath": "$.data",
                  "pagination": { "style": "page", "pageParam": "page", "sizeParam": "size", "size": 20, "firstPage": 1 } },
                "fields": { "id_number": { "from": "id_number", "parse": "id_number" }, "contract_no": { "from": "contract_no" } }
              }]
            }
            """);
        return Task.Run(async () =>
        {
            await server.Services.GetRequiredService<SourceRegistry>().UpsertAsync(server.Services.GetRequiredService<SourceDefinitionLoader>().Load(file));
            return await server.Services.GetRequiredService<SyncRunner>().RunAsync("slow-health");
        });
    }

    private static async Task WaitForWriteLockAsync(ServerHost server, Task<SyncResult> sync, SimulatorHandle simulator)
    {
        for (var waited = Stopwatch.StartNew(); !IsWriteLocked(server); await Task.Delay(100))
        {
            if (sync.IsCompleted || waited.Elapsed > TimeSpan.FromSeconds(20))
            {
                Assert.Fail($"the sync never took the write lock: {(sync.IsCompleted ? (await sync).Error : "still waiting")}; {simulator.Requests.Count} API requests");
            }
        }
    }

    /// <summary>Whether someone holds pool.db's write lock: a write transaction of our own is refused at once.</summary>
    private static bool IsWriteLocked(ServerHost server)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = server.Store.SqlitePath, Pooling = false, DefaultTimeout = 1 }.ToString());
        connection.Open();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA busy_timeout = 0";
            command.ExecuteNonQuery();
        }

        try
        {
            // Microsoft.Data.Sqlite begins with BEGIN IMMEDIATE: the write lock, as a sync takes it.
            connection.BeginTransaction().Rollback();
            return false;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 5)
        {
            return true;
        }
    }

    private static async Task<List<long>> PersonIdsAsync(ServerHost server)
    {
        await using var connection = await server.Services.GetRequiredService<PoolDatabase>().OpenAsync();
        await using var command = connection.Command("SELECT pool_id FROM pool_person WHERE community_code = @c ORDER BY pool_id LIMIT 50", null, ("@c", QueryWorld.BulkCommunity));
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<long>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }
}
