using System.Diagnostics;
using System.Globalization;
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
/// <c>query [--persons N] [--clients 200] [--requests 20] [--lookup-rate 500] [--page-rate 200] [--seconds 10] [--no-export]
/// [--store sqlite|postgres]</c>: a pool of N generated residents (written straight into the person table, 1,000 per
/// community), the real server on loopback, then the one-person lookup by ID number and the filtered page, each measured
/// both ways side by side (<see cref="QueryLoad"/>): an open loop at a fixed arrival rate (latency as users feel it) and a
/// closed loop of <c>--clients</c> clients (throughput); each figure against the issue's target. Then a CSV and an xlsx
/// export of every resident (time, rows/s, peak RSS of the process during the export).
/// </summary>
internal static class QueryBenchmark
{
    private const int PerCommunity = 1000;

    public static async Task<int> RunAsync(string[] args)
    {
        var persons = Option(args, "--persons") is { } p ? int.Parse(p, CultureInfo.InvariantCulture) : 1_000_000;
        var clients = Option(args, "--clients") is { } c ? int.Parse(c, CultureInfo.InvariantCulture) : 200;
        var requests = Option(args, "--requests") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 20;
        var lookupRate = Option(args, "--lookup-rate") is { } lr ? double.Parse(lr, CultureInfo.InvariantCulture) : 500;
        var pageRate = Option(args, "--page-rate") is { } pr ? double.Parse(pr, CultureInfo.InvariantCulture) : 200;
        var seconds = TimeSpan.FromSeconds(Option(args, "--seconds") is { } s ? double.Parse(s, CultureInfo.InvariantCulture) : 10);
        var store = Option(args, "--store") ?? StoreOptions.Sqlite;
        var work = Path.Combine(Path.GetTempPath(), "datapool-query-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(work);
        var database = store == StoreOptions.Postgres ? await DataPool.Testing.PostgresServer.CreateDatabaseAsync() : null;
        var options = new StoreOptions { Provider = store, Connection = database, DataDirectory = work };
        var app = ServerApp.Build(options, null, "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", "--DataPool:Scheduling:Workers=0",
            "--DataPool:RateLimits:LoginPerMinute=100000", "--DataPool:RateLimits:FailedKeysPerMinute=100000");
        var failed = false;
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
            // No connection cap: in the open loop a cap would queue requests in the client, not the server.
            using var http = new HttpClient(new SocketsHttpHandler()) { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(30) };
            http.DefaultRequestHeaders.Add("X-Api-Key", key);

            // Request i asks for a resident spread over the whole pool (a multiplicative walk, the same in every run).
            string Lookup(int i) => $"/api/pool/person?id_number={IdOf(Spread(i, persons))}";
            string Page(int i) =>
                $"/api/pool/person?community_code={CommunityOf(Spread(i, persons))}&gender=2&birth_date=range:1950-01-01..1969-12-31&sort=-birth_date&limit=50";
            Console.WriteLine($"  load average before: {LoadAverage()}");
            var results = new List<LoadResult>();
            foreach (var (name, path, rate) in new[] { ("one-person lookup", (Func<int, string>)Lookup, lookupRate), ("filtered page (50)", Page, pageRate) })
            {
                await QueryLoad.WarmUpAsync(http, path);
                results.Add(await QueryLoad.OpenAsync(http, name, rate, seconds, path));
                Console.WriteLine(results[^1].Line());
                results.Add(await QueryLoad.ClosedAsync(http, name, clients, requests, path));
                Console.WriteLine(results[^1].Line());
            }

            Console.WriteLine($"  load average after: {LoadAverage()}");
            failed = QueryTargets.Print(results, lookupRate, pageRate, clients);

            if (args.Contains("--no-export"))
            {
                return failed ? 1 : 0;
            }

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

        return failed ? 1 : 0;
    }

    /// <summary>The i-th resident of a walk that visits the pool in a scattered order: 1 + (i × a large prime) mod N.</summary>
    private static int Spread(int i, int persons) => 1 + (int)((long)i * 2_654_435_761L % persons);

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

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
