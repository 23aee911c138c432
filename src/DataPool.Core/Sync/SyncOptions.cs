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
    /// Where a walk spills its sorted runs and the rows it keeps; empty: <c>datapool-sync-USER</c> in the system's
    /// temporary folder. The folder is made this user's alone; the files have no name while open and are gone when
    /// the run ends.
    /// </summary>
    public string? SpillDirectory { get; set; }

    /// <summary>
    /// false (the default): a walk keeps the rows of its first read in a sealed spill and works those, so the source is
    /// read once and may change meanwhile. The spill needs room for the rows (about their size as text: 208 bytes a
    /// resident, measured at 5M). true: the second read goes back to the source, which must then hold still (a run whose two
    /// reads differ fails and changes nothing); for a machine without that room.
    /// </summary>
    public bool WalkRereadsSource { get; set; }

    /// <summary>The folder <see cref="SpillDirectory"/> names, or its default.</summary>
    public string SpillFolder => SpillDirectory is { Length: > 0 } spill ? spill : Path.Combine(Path.GetTempPath(), $"datapool-sync-{Environment.UserName}");

    public static SyncOptions Default { get; } = new();
}
