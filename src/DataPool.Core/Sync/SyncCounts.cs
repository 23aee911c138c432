namespace DataPool.Core.Sync;

/// <summary>What a run did. read = accepted + quarantined; accepted = new + updated + unchanged.</summary>
public sealed class SyncCounts
{
    public long Read { get; set; }
    public long Quarantined { get; set; }
    public long New { get; set; }
    public long Updated { get; set; }
    public long Unchanged { get; set; }
    public long Deleted { get; set; }
    public long Accepted => New + Updated + Unchanged;

    public void Add(SyncCounts other)
    {
        Read += other.Read;
        Quarantined += other.Quarantined;
        New += other.New;
        Updated += other.Updated;
        Unchanged += other.Unchanged;
        Deleted += other.Deleted;
    }

    public override string ToString() =>
        $"read={Read} accepted={Accepted} quarantined={Quarantined} new={New} updated={Updated} unchanged={Unchanged} deleted={Deleted}";
}

/// <summary>The outcome of one source run.</summary>
public sealed record SyncResult(string SourceId, long RunId, bool Succeeded, SyncCounts Counts, TimeSpan Duration, string? Error)
{
    /// <summary>The contract's summary line: <c>&lt;source-id&gt;: read=N accepted=N …</c>.</summary>
    public string SummaryLine => Succeeded ? $"{SourceId}: {Counts}" : $"{SourceId}: failed: {Error}";
}

/// <summary>
/// Progress of a running sync: every 10,000 rows and at a stream's end (<paramref name="Periodic"/> false), and a few
/// times a second in between (true). <paramref name="Run"/> has the rate, and the percentage and ETA where known.
/// </summary>
public readonly record struct SyncProgress(string SourceId, string Stream, long Read, RunProgress? Run = null, bool Periodic = false);
