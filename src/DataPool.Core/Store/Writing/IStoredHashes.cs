namespace DataPool.Core.Store.Writing;

/// <summary>
/// What a full stream's run knows of the stream's stored records without a query per row: which rows are unchanged,
/// which keys no record can have, and which records may be gone at the end. Held in memory
/// (<see cref="StoredHashes"/>) up to the sync's <c>StoredHashesInMemory</c> records; past that, found by a walk in
/// key-hash order that reads the export twice (the sync's <c>StoredWalk</c>), so memory stays flat at any size.
/// </summary>
internal interface IStoredHashes : IDisposable
{
    /// <summary>Records live when the run started, plus those this run brought back.</summary>
    long Live { get; }

    /// <summary>Changes whenever <see cref="Rewritten"/> changes what <see cref="Unchanged"/> answers.</summary>
    int Version { get; }

    /// <summary>The export must be walked (read once for its hashes) before its rows are worked.</summary>
    bool WalksFirst { get; }

    /// <summary>
    /// Row <paramref name="ordinal"/> of the export leaves a live record unchanged: that record's id, or 0 when the
    /// record was matched by the walk (which leaves it out of <see cref="DeletionCandidates"/>). Null: ask the database.
    /// </summary>
    long? Unchanged(long ordinal, long keyHash, long rowHash);

    /// <summary>False only when no record of the stream can have this key (none stored, none inserted by the run).</summary>
    bool MayHold(long ordinal, long keyHash);

    /// <summary>This run rewrote a stored record (bringing it back if <paramref name="wasDeleted"/>).</summary>
    void Rewritten(long keyHash, long id, long rowHash, bool wasDeleted);

    /// <summary>This run inserted a record with this key hash.</summary>
    void Inserted(long keyHash);

    /// <summary>
    /// Records live at the start of the run or brought back by it, except those <see cref="Unchanged"/> answered 0 for:
    /// every record the export no longer holds is among them. The caller drops those the run saw.
    /// </summary>
    IEnumerable<long> DeletionCandidates();
}
