using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace DataPool.Benchmarks;

/// <summary>
/// One measurement of one request kind: how many answered, how many failed (a wrong answer or an error), how many the
/// server turned away as too busy (503), over how long, and every latency.
/// </summary>
internal sealed record LoadResult(string Name, string Mode, int Answered, int Failed, double Seconds, double[] Latencies)
{
    public int Busy { get; init; }

    /// <summary>Answers per second of wall time.</summary>
    public double Throughput => Answered / Seconds;

    /// <summary>The nearest-rank percentile of the latencies in ms (q = 0.99 for p99).</summary>
    public double Percentile(double q) =>
        Latencies.Length == 0 ? double.NaN : Latencies[Math.Clamp((int)Math.Ceiling(q * Latencies.Length) - 1, 0, Latencies.Length - 1)];

    public string Line() =>
        $"  {Name,-20} {Mode,-26} {Answered,7:N0} answered{(Busy > 0 ? $", {Busy:N0} busy (503)" : "")}{(Failed > 0 ? $", {Failed:N0} FAILED" : "")} in {Seconds,5:F1} s: " +
        $"p50 {Percentile(0.50),7:F1} ms, p95 {Percentile(0.95),7:F1} ms, p99 {Percentile(0.99),7:F1} ms, {Throughput,6:N0} req/s";
}

/// <summary>
/// The two ways of loading the query API. A closed loop (<see cref="ClosedAsync"/>) keeps a fixed number of clients each
/// sending its next request when the last one answered: it measures throughput, and its latency only mirrors it (with 200
/// clients always waiting, every request queues behind 199 others). An open loop (<see cref="OpenAsync"/>) starts
/// requests on a fixed schedule whether or not earlier ones answered, and measures each latency from the moment the
/// request was due, so time spent queueing (in the client, the thread pool or the server) counts, as a user feels it.
/// </summary>
internal static class QueryLoad
{
    /// <summary>A few requests before measuring: connections, JIT, the store's and the caches' first fill.</summary>
    public static async Task WarmUpAsync(HttpClient http, Func<int, string> path, int count = 200)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 10 }, async (i, _) =>
            await OneAsync(http, path(1_000_000 + i), Stopwatch.GetTimestamp()));
    }

    /// <summary><paramref name="clients"/> clients, each sending <paramref name="requests"/> requests one after another.</summary>
    public static async Task<LoadResult> ClosedAsync(HttpClient http, string name, int clients, int requests, Func<int, string> path)
    {
        var latencies = new double[clients * requests];
        var (failed, busy) = (0, 0);
        var start = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(Enumerable.Range(0, clients), new ParallelOptions { MaxDegreeOfParallelism = clients }, async (client, _) =>
        {
            for (var i = 0; i < requests; i++)
            {
                var index = client * requests + i;
                var (outcome, ms) = await OneAsync(http, path(index), Stopwatch.GetTimestamp());
                latencies[index] = ms;
                if (outcome == Outcome.Busy)
                {
                    Interlocked.Increment(ref busy);
                }
                else if (outcome == Outcome.Failed)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        });
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Array.Sort(latencies);
        return new LoadResult(name, $"closed loop, {clients} clients", latencies.Length - failed - busy, failed, seconds, latencies) { Busy = busy };
    }

    /// <summary>
    /// Requests started at <paramref name="rate"/> per second for <paramref name="duration"/>, on schedule whatever the
    /// answers; each latency runs from the request's due time to the last byte of its answer. The scheduler is a thread
    /// of its own, so a busy thread pool delays requests (and that delay is counted) but never thins the schedule.
    /// </summary>
    public static async Task<LoadResult> OpenAsync(HttpClient http, string name, double rate, TimeSpan duration, Func<int, string> path)
    {
        var count = (int)(rate * duration.TotalSeconds);
        var results = new ConcurrentBag<(Outcome Outcome, double Ms)>();
        var inFlight = new Task[count];
        var start = Stopwatch.GetTimestamp();
        var ticksPerRequest = Stopwatch.Frequency / rate;
        var scheduler = new Thread(() =>
        {
            for (var i = 0; i < count; i++)
            {
                var due = start + (long)(i * ticksPerRequest);
                while (Stopwatch.GetTimestamp() is var now && now < due)
                {
                    // Sleep for the coarse part of the wait, then spin the last fraction of a millisecond.
                    if ((due - now) * 1000 / Stopwatch.Frequency >= 2)
                    {
                        Thread.Sleep(1);
                    }
                    else
                    {
                        Thread.SpinWait(50);
                    }
                }

                var index = i;
                inFlight[i] = Task.Run(async () => results.Add(await OneAsync(http, path(index), due)));
            }
        }) { IsBackground = true, Name = "open-loop scheduler" };
        scheduler.Start();
        await Task.Run(scheduler.Join);
        await Task.WhenAll(inFlight);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var latencies = results.Select(r => r.Ms).Order().ToArray();
        var failed = results.Count(r => r.Outcome == Outcome.Failed);
        var busy = results.Count(r => r.Outcome == Outcome.Busy);
        return new LoadResult(name, $"open loop, {rate:N0} req/s", latencies.Length - failed - busy, failed, seconds, latencies) { Busy = busy };
    }

    private enum Outcome { Ok, Busy, Failed }

    /// <summary>One request, read to its end: ok when it answered 200 with at least one item, busy when 503.</summary>
    private static async Task<(Outcome Outcome, double Ms)> OneAsync(HttpClient http, string path, long due)
    {
        try
        {
            using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead);
            var body = await response.Content.ReadAsByteArrayAsync();
            var ms = Stopwatch.GetElapsedTime(due).TotalMilliseconds;
            var outcome = response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable ? Outcome.Busy
                : response.IsSuccessStatusCode && HasItems(body) ? Outcome.Ok : Outcome.Failed;
            return (outcome, ms);
        }
        catch (HttpRequestException)
        {
            return (Outcome.Failed, Stopwatch.GetElapsedTime(due).TotalMilliseconds);
        }
    }

    private static bool HasItems(byte[] body)
    {
        using var page = JsonDocument.Parse(body);
        return page.RootElement.TryGetProperty("items", out var items) && items.GetArrayLength() > 0;
    }
}
