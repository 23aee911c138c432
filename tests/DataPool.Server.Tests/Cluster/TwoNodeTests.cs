using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using DataPool.Core.Values;
using DataPool.Testing;
using Npgsql;

namespace DataPool.Server.Tests.Cluster;

/// <summary>
/// Two real server processes on one PostgreSQL pool, sharing the work through Hangfire: a schedule fires
/// once, syncs of one source never overlap, work lands on both nodes, and a node killed in the middle of a
/// sync leaves nothing half-written — the re-run gives the same pool as an undisturbed sync.
/// </summary>
[NonParallelizable]
public sealed class TwoNodeTests
{
    private string _connection = null!;
    private string _folder = null!;
    private ServerNode _a = null!, _b = null!;
    private HttpClient _clientA = null!, _clientB = null!;

    [OneTimeSetUp]
    public async Task StartTwoNodes()
    {
        _connection = await PostgresServer.CreateDatabaseAsync();
        _folder = Path.Combine(Path.GetTempPath(), "datapool-cluster-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(_folder, "sources"));
        var store = new[] { "--store", "postgres", "--connection", _connection, "--data", _folder };
        var user = await Cli.RunInAsync(_folder, Cli.DefaultTimeout, ["users", "add", "--name", "admin", "--role", "admin", "--password", "cluster-admin-pass", .. store]);
        Assert.That(user.ExitCode, Is.Zero, user.ToString());
        var key = await Cli.RunInAsync(_folder, Cli.DefaultTimeout, ["keys", "create", "--user", "admin", .. store]);
        Assert.That(key.ExitCode, Is.Zero, key.ToString());
        var apiKey = key.StdoutLines.Single().Trim();

        _a = await ServerNode.StartAsync("node-a", _connection, _folder);
        _b = await ServerNode.StartAsync("node-b", _connection, _folder);
        _clientA = Client(_a, apiKey);
        _clientB = Client(_b, apiKey);
    }

    [OneTimeTearDown]
    public async Task StopNodes()
    {
        _clientA?.Dispose();
        _clientB?.Dispose();
        if (_a is not null)
        {
            await _a.DisposeAsync();
        }

        if (_b is not null)
        {
            await _b.DisposeAsync();
        }

        await PostgresServer.DropDatabaseAsync(_connection);
        Directory.Delete(_folder, recursive: true);
    }

    [Test, Order(1)]
    public async Task A_schedule_fires_once_across_both_nodes()
    {
        await AddSourceAsync(_clientA, "scheduled", rows: 200, schedule: "* * * * *");

        var runs = await WaitForAsync(TimeSpan.FromSeconds(100), async () =>
        {
            var scheduled = await RunsAsync("scheduled");
            return scheduled.Any(r => r.Trigger == "schedule" && r.Status == "succeeded") ? scheduled : null;
        });
        await Task.Delay(TimeSpan.FromSeconds(5));
        runs = await RunsAsync("scheduled");

        var perMinute = runs.Where(r => r.Trigger == "schedule").GroupBy(r => r.Started.ToString("yyyy-MM-ddTHH:mm"));
        Assert.That(perMinute.Select(m => m.Count()), Is.All.EqualTo(1), "each minute's firing ran the sync once, not once per node");
        using var removed = await _clientA.DeleteAsync("/api/sources/scheduled");
        Assert.That(removed.IsSuccessStatusCode, Is.True);
    }

    [Test, Order(2)]
    public async Task Syncs_of_one_source_never_overlap_and_the_work_spreads_over_both_nodes()
    {
        var sources = Enumerable.Range(1, 4).Select(i => $"spread-{i}").ToList();
        foreach (var id in sources)
        {
            await AddSourceAsync(_clientA, id, rows: 20_000, area: $"13010{id[^1]}");
        }

        // Every source asked for twice, once through each node, all at once.
        var asks = sources.SelectMany(id => new[] { _clientA, _clientB }.Select(client => client.PostAsync($"/api/sources/{id}/sync", null)));
        foreach (var response in await Task.WhenAll(asks))
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(202), await response.Content.ReadAsStringAsync());
        }

        var runs = await WaitForAsync(TimeSpan.FromSeconds(150), async () =>
        {
            var all = (await Task.WhenAll(sources.Select(RunsAsync))).SelectMany(r => r).ToList();
            return sources.All(id => all.Any(r => r.SourceId == id && r.Status == "succeeded")) && all.All(r => r.Status is not ("running" or "queued")) ? all : null;
        });

        foreach (var group in runs.Where(r => r.Status == "succeeded").GroupBy(r => r.SourceId))
        {
            var ordered = group.OrderBy(r => r.Started).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                Assert.That(ordered[i].Started, Is.GreaterThanOrEqualTo(ordered[i - 1].Finished!.Value), $"{group.Key}: runs {ordered[i - 1].Id} and {ordered[i].Id} overlap");
            }
        }

        // A run still queued (recorded by "sync now", not yet claimed by a node) has no node yet.
        var nodes = runs.Where(r => r.Node is not null).Select(r => r.Node).Distinct().ToList();
        Assert.That(nodes, Has.Count.EqualTo(2), $"runs ran on: {string.Join(", ", nodes)}");
        Assert.That(nodes, Is.EquivalentTo(new[] { $"{Environment.MachineName}:{_a.ProcessId}", $"{Environment.MachineName}:{_b.ProcessId}" }));
    }

    [Test, Order(3)]
    public async Task A_node_killed_mid_sync_leaves_nothing_half_written_and_the_rerun_gives_the_same_pool()
    {
        const int rows = 150_000;
        var expected = await AddSourceAsync(_clientA, "big", rows, area: "120102");
        using (var ask = await _clientA.PostAsync("/api/sources/big/sync", null))
        {
            Assert.That((int)ask.StatusCode, Is.EqualTo(202));
        }

        var running = await WaitForAsync(TimeSpan.FromSeconds(60), async () => (await RunsAsync("big")).FirstOrDefault(r => r.Status == "running"));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var victim = running.Node!.EndsWith($":{_a.ProcessId}") ? _a : _b;
        var survivor = victim == _a ? _clientB : _clientA;
        victim.Kill();

        Assert.That(await ScalarAsync("SELECT COUNT(*) FROM dp_source_records WHERE source_id = 'big'"), Is.Zero, "the killed run's transaction left nothing behind");
        Assert.That(await ScalarAsync("SELECT COUNT(*) FROM pool_person WHERE id_number LIKE '120102%'"), Is.Zero);

        using (var again = await survivor.PostAsync("/api/sources/big/sync", null))
        {
            Assert.That((int)again.StatusCode, Is.EqualTo(202));
        }

        var done = await WaitForAsync(TimeSpan.FromSeconds(240), async () => (await RunsAsync("big")).FirstOrDefault(r => r.Status == "succeeded"));
        Assert.That(done.Read, Is.EqualTo(rows));
        var killed = (await RunsAsync("big")).Single(r => r.Id == running.Id);
        Assert.That(killed.Status, Is.EqualTo("failed"), "the next run closes the abandoned one");
        await using var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync();
        await using var digest = new NpgsqlCommand("SELECT md5(string_agg(id_number || '|' || name || '|' || phone, ',' ORDER BY id_number)) FROM pool_person WHERE id_number LIKE '120102%'", connection);
        Assert.That(await digest.ExecuteScalarAsync(), Is.EqualTo(expected), "the pool equals an undisturbed sync of the file");
    }

    /// <summary>Writes a CSV of valid residents under the sources root and registers it; returns the digest the pool must end with.</summary>
    private async Task<string> AddSourceAsync(HttpClient client, string id, int rows, string? schedule = null, string area = "120101")
    {
        var lines = new List<string>(rows);
        var csv = new StringBuilder("id,name,gender,phone\n");
        for (var i = 0; i < rows; i++)
        {
            var birth = new DateOnly(1940, 1, 1).AddDays(i / 400);
            var first17 = $"{area}{birth:yyyyMMdd}{i % 400 * 2 + 1:000}";
            var number = first17 + IdNumber.CheckCharacter(first17);
            var line = $"{number},居民{i},男,139{i:00000000}";
            csv.Append(line).Append('\n');
            lines.Add($"{number}|居民{i}|139{i:00000000}");
        }

        await File.WriteAllTextAsync(Path.Combine(_folder, "sources", id + ".csv"), csv.ToString());
        var definition = $$"""
            {
              "id": "{{id}}", "name": "{{id}}", "department": "public-security", "kind": "csv",
              "settings": { "path": "{{id}}.csv" }, "priority": 10,{{(schedule is null ? "" : $" \"schedule\": \"{schedule}\",")}}
              "streams": [{ "name": "persons", "entity": "person", "key": ["id"],
                "fields": { "id_number": { "from": "id" }, "name": { "from": "name" }, "gender": { "from": "gender", "codes": { "男": "1" } }, "phone": { "from": "phone" } } }]
            }
            """;
        using var response = await client.PostAsync("/api/sources", new StringContent(definition, Encoding.UTF8, "application/json"));
        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
        lines.Sort(StringComparer.Ordinal);
        return Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(string.Join(',', lines))));
    }

    private sealed record Run(long Id, string SourceId, string Status, string? Trigger, string? Node, DateTimeOffset Started, DateTimeOffset? Finished, long Read);

    private async Task<List<Run>> RunsAsync(string sourceId)
    {
        await using var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id, source_id, status, trigger, node, started_at, finished_at, read FROM dp_runs WHERE source_id = @s ORDER BY id", connection);
        command.Parameters.AddWithValue("s", sourceId);
        await using var reader = await command.ExecuteReaderAsync();
        var runs = new List<Run>();
        while (await reader.ReadAsync())
        {
            runs.Add(new Run(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                DateTimeOffset.Parse(reader.GetString(5)), reader.IsDBNull(6) ? null : DateTimeOffset.Parse(reader.GetString(6)), reader.GetInt64(7)));
        }

        return runs;
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private static async Task<T> WaitForAsync<T>(TimeSpan timeout, Func<Task<T?>> probe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(500);
        }

        Assert.Fail($"not reached within {timeout.TotalSeconds} s");
        throw new TimeoutException();
    }

    private static HttpClient Client(ServerNode node, string apiKey)
    {
        var client = new HttpClient { BaseAddress = node.Address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }
}
