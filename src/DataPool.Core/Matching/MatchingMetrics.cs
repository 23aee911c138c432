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

    /// <summary>Seconds spent deciding links (blocking reads, scoring, filing keys and decisions), tagged by <see cref="Phases"/>.</summary>
    public static readonly Counter<double> Seconds = Meter.CreateCounter<double>(DurationName, "s", "Time spent linking rows to pool persons");

    /// <summary>
    /// The phases of <see cref="Seconds"/> (its "phase" tag), so that a slow link time says where it went: looking up
    /// ID numbers, looking up blocking keys, reading candidate persons, reading their source records, scoring and deciding
    /// rows, filing keys and decisions in memory, and writing them (links, merges, keys, stale reviews).
    /// </summary>
    public static readonly string[] Phases = ["ids", "blocks", "candidates", "records", "scoring", "filing", "writing"];

    /// <summary>Candidate persons read for scoring (their golden records), the cost the blocking rules set.</summary>
    public static readonly Counter<long> Candidates = Meter.CreateCounter<long>("datapool.matching.candidates", "{person}", "Candidate persons read for scoring");

    /// <summary>Rows placed, tagged by decision (kept, auto, review, new).</summary>
    public static readonly Counter<long> Rows = Meter.CreateCounter<long>("datapool.matching.rows", "{row}", "Rows linked to pool persons");
}
