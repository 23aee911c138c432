namespace DataPool.Benchmarks;

/// <summary>
/// The issue's four query targets, each printed with the figure measured in this run, their ratio and PASS or MISS:
/// the lookup's open-loop p99 under 50 ms at 500 req/s and at least 2,000 req/s from 200 clients; the filtered page's
/// open-loop p99 under 250 ms at 200 req/s and at least 800 req/s from 200 clients. A target is only named as the issue
/// states it; a run at another rate or client count prints its figures with "(target at …)" and no verdict.
/// </summary>
internal static class QueryTargets
{
    private const string Lookup = "one-person lookup";
    private const string Page = "filtered page (50)";

    /// <summary>Prints the targets table; true when any request failed (a wrong answer, not a slow one).</summary>
    public static bool Print(IReadOnlyList<LoadResult> results, double lookupRate, double pageRate, int clients)
    {
        Console.WriteLine();
        Console.WriteLine($"  {"measure",-47}  {"target",-14}  {"measured",12}  {"ratio",7}  verdict");
        Console.WriteLine($"  {new string('-', 47)}  {new string('-', 14)}  {new string('-', 12)}  {new string('-', 7)}  -------");
        foreach (var (name, rate, p99Target, throughputTarget, issueRate) in new[] { (Lookup, lookupRate, 50.0, 2000.0, 500.0), (Page, pageRate, 250.0, 800.0, 200.0) })
        {
            var open = results.Single(r => r.Name == name && r.Mode.StartsWith("open", StringComparison.Ordinal));
            var closed = results.Single(r => r.Name == name && r.Mode.StartsWith("closed", StringComparison.Ordinal));
            var p99 = open.Percentile(0.99);
            Row($"{name}, open loop {rate:N0} req/s, p99", $"< {p99Target:N0} ms", $"{p99:F1} ms", p99 / p99Target, p99 < p99Target, rate == issueRate);
            Row($"{name}, closed loop {clients} clients", $">= {throughputTarget:N0} req/s", $"{closed.Throughput:N0} req/s",
                closed.Throughput / throughputTarget, closed.Throughput >= throughputTarget, clients == 200);
        }

        if (results.Sum(r => r.Busy) is var busy and > 0)
        {
            Console.WriteLine($"  {busy:N0} requests were turned away as busy (503: no reader or no audit commit within ReadTimeoutSeconds); their latencies count");
        }

        var failed = results.Sum(r => r.Failed);
        if (failed > 0)
        {
            Console.WriteLine($"  !! {failed:N0} requests failed (not 200, or an empty answer)");
        }

        return failed > 0;
    }

    private static void Row(string measure, string target, string measured, double ratio, bool pass, bool comparable) =>
        Console.WriteLine($"  {measure,-47}  {target,-14}  {measured,12}  {ratio,6:F2}×  {(comparable ? pass ? "PASS" : "MISS" : "(target at the issue's load)")}");
}
