using System.Diagnostics.Metrics;

namespace DataPool.Core.Matching;

/// <summary>
/// What linking costs, apart from the rest of a sync (reading, rules, survivorship, history): the time
/// the matcher spends per batch and the rows it places, as counters of the "DataPool.Matching" meter
/// for any metrics listener (OpenTelemetry, dotnet-counters, the benchmark).
/// </summary>
public static class MatchingMetrics
{
    public const string MeterName = "DataPool.Matching";
    public const string DurationName = "datapool.matching.duration";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Seconds spent deciding links (blocking reads, scoring, filing keys and decisions).</summary>
    public static readonly Counter<double> Seconds = Meter.CreateCounter<double>(DurationName, "s", "Time spent linking rows to pool persons");

    /// <summary>Rows placed, tagged by decision (kept, auto, review, new).</summary>
    public static readonly Counter<long> Rows = Meter.CreateCounter<long>("datapool.matching.rows", "{row}", "Rows linked to pool persons");
}
