using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using DataPool.Core.Identity;
using DataPool.Core.Store;
using DataPool.Server.Hosting;
using DataPool.Server.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Benchmarks;

/// <summary>
/// <c>query [--persons N] [--clients 200] [--requests 20] [--store sqlite|postgres]</c>: a pool of N generated residents
/// (written straight into the person table, 1,000 per community), the real server on loopback, then
/// one-person lookups by ID number and a filtered page, each from <c>--clients</c> concurrent clients (p50, p99, req/s),
/// and a CSV and an xlsx export of every resident (time, rows/s, peak RSS of the process during the export).
/// </summary>
internal static class QueryBenchmark
{
    private const int PerCommunity = 1000;

    public static async Task<int> RunAsync(string[] args)
    {
        var persons = Option(args, "--persons") is { } p ? int.Parse(p, CultureInfo.InvariantCulture) : 1_000_000;
        var clients = Option(args, "--clients") is { } c ? int.Parse(c, CultureInfo.InvariantCulture) : 200;
        var requests = Option(args, "--requests") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 20;
        var store = Option(args, "--store") ?? StoreOptions.Sqlite;
        var work = Path.Combine(Path.GetTempPath(), "datapool-query-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(work);
        var database = store == StoreOptions.Postgres ? await DataPool.Testing.PostgresServer.CreateDatabaseAsync() : null;
        var options = new StoreOptions { Provider = store, Connection = database, DataDirectory = work };
        var app = ServerApp.Build(options, null, "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", "--DataPool:Scheduling:Workers=0",
            "--DataPool:RateLimits:LoginPerMinute=100000", "--DataPool:RateLimits:FailedKeysPerMinute=100000");
        try
        {
            await ServerApp.InitialiseAsync(app, CancellationToken.None);
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            var clock = Stopwatch.StartNew();
            await SeedAsync(app.Services.GetRequiredService<PoolDatabase>(), persons);
            Console.WriteLine($"{store}: {persons:N0} residents written in {clock.Elapsed.TotalSeconds:F1} s");

            await app.Services.GetRequiredService<UserAccounts>().CreateAsync(new NewUser("bench-admin", null, Roles.Admin, null, null, "bench-password"));
            await app.Services.GetRequiredService<UserAccounts>().CreateAsync(new NewUser("bench-analyst", null, Roles.Analyst, null, "civil-affairs", "bench-password"));
            var key = (await app.Services.GetRequiredService<ApiKeys>().CreateAsync("bench-analyst"))!.Key;
            var adminKey = (await app.Services.GetRequiredService<ApiKeys>().CreateAsync("bench-admin"))!.Key;
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(30) };
            http.DefaultRequestHeaders.Add("X-Api-Key", key);

            var random = new Random(7);
            await LoadAsync(http, clients, requests, "one-person lookup", _ => $"/api/pool/person?id_number={IdOf(random.Next(1, persons + 1))}");
            await LoadAsync(http, clients, requests, "filtered page (50)", _ =>
                $"/api/pool/person?community_code={CommunityOf(random.Next(1, persons + 1))}&gender=2&birth_date=range:1950-01-01..1969-12-31&sort=-birth_date&limit=50");

            using var admin = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(60) };
            admin.DefaultRequestHeaders.Add("X-Api-Key", adminKey);
            foreach (var format in new[] { "csv", "xlsx" })
            {
                await ExportAsync(admin, format, persons);
            }
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            if (database is not null)
            {
                await DataPool.Testing.PostgresServer.DropDatabaseAsync(database);
            }

            Directory.Delete(work, recursive: true);
        }

        return 0;
    }

    private static string IdOf(int i) => "9" + (100000000000000000L + i).ToString(CultureInfo.InvariantCulture);

    private static string CommunityOf(int i) => (110101000000L + 1 + (i / PerCommunity)).ToString(CultureInfo.InvariantCulture);

    private static async Task SeedAsync(PoolDatabase database, int persons)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(
            """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @count)
            INSERT INTO pool_person (id_number, name, gender, birth_date, address, phone, community_code)
            SELECT '9' || (100000000000000000 + i), '居民' || i, CASE WHEN i % 2 = 0 THEN '2' ELSE '1' END,
                   (1930 + i % 70) || '-0' || (1 + i % 9) || '-1' || (i % 10), '朝阳区某街道' || (i % 500) || '号', '1380000' || (i % 10000),
                   (110101000000 + 1 + i / @per)
            FROM n
            """,
            transaction, default, ("@count", (long)persons), ("@per", (long)PerCommunity));
        await transaction.CommitAsync();
    }

    private static async Task LoadAsync(HttpClient http, int clients, int requests, string name, Func<int, string> path)
    {
        // Warm up: connections, JIT, the store's caches.
        for (var i = 0; i < 20; i++)
        {
            (await http.GetAsync(path(i))).EnsureSuccessStatusCode();
        }

        var latencies = new double[clients * requests];
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, clients), new ParallelOptions { MaxDegreeOfParallelism = clients }, async (client, _) =>
        {
            for (var i = 0; i < requests; i++)
            {
                var one = Stopwatch.StartNew();
                using var response = await http.GetAsync(path(client * requests + i));
                response.EnsureSuccessStatusCode();
                var page = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (page.GetProperty("items").GetArrayLength() == 0)
                {
                    throw new InvalidOperationException($"{name}: an empty answer");
                }

                latencies[client * requests + i] = one.Elapsed.TotalMilliseconds;
            }
        });
        Array.Sort(latencies);
        Console.WriteLine($"  {name,-20} {clients} clients × {requests}: p50 {latencies[latencies.Length / 2]:F1} ms, p99 {latencies[(int)(latencies.Length * 0.99)]:F1} ms, " +
            $"{latencies.Length / clock.Elapsed.TotalSeconds:F0} req/s");
    }

    private static async Task ExportAsync(HttpClient admin, string format, int persons)
    {
        GC.Collect();
        var before = Rss("VmRSS");
        ResetPeak();
        var clock = Stopwatch.StartNew();
        using var response = await admin.GetAsync($"/api/pool/person/export?format={format}", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var counter = new CountingStream();
        await body.CopyToAsync(counter);
        Console.WriteLine($"  export {format,-4} {persons:N0} rows: {clock.Elapsed.TotalSeconds:F1} s ({persons / clock.Elapsed.TotalSeconds:N0} rows/s), " +
            $"{counter.Length / 1024 / 1024} MB; RSS before {before} MB, peak during {Rss("VmHWM")} MB");
    }

    /// <summary>Resets the kernel's peak-RSS mark so VmHWM then measures the export alone.</summary>
    private static void ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static long Rss(string field) =>
        File.ReadLines("/proc/self/status").Where(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).FirstOrDefault();

    private static string? Option(string[] args, string name) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    private sealed class CountingStream : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Position;
        public override long Position { get; set; }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Position += count;
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Position += buffer.Length;
            return ValueTask.CompletedTask;
        }
    }
}
