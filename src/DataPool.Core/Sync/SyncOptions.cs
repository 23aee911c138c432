namespace DataPool.Core.Sync;

/// <summary>How a sync holds a large stream (section <c>DataPool:Sync</c>).</summary>
public sealed class SyncOptions
{
    public const string Section = "DataPool:Sync";

    /// <summary>
    /// A full stream of up to this many stored records keeps their hashes in memory during a run (24 bytes a record,
    /// 48 MB at the default). A larger one is walked instead: the export is read twice and the hashes are sorted on
    /// disk in runs of <see cref="WalkRunRecords"/>, so memory no longer grows with the stream.
    /// </summary>
    public long StoredHashesInMemory { get; set; } = 2_000_000;

    /// <summary>Entries a walk sorts in memory before it spills them to disk (24 bytes each; two such runs at most at once).</summary>
    public int WalkRunRecords { get; set; } = 1_000_000;

    /// <summary>
    /// Where a walk spills its sorted runs; empty: <c>datapool-sync-USER</c> in the system's temporary folder. The
    /// folder is made this user's alone; the files have no name while open and are gone when the run ends.
    /// </summary>
    public string? SpillDirectory { get; set; }

    public static SyncOptions Default { get; } = new();
}
