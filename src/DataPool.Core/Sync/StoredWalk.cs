using System.Collections;
using DataPool.Core.Store.Writing;

namespace DataPool.Core.Sync;

/// <summary>
/// A full stream too large to hold its stored hashes in memory, known by a merge walk instead. The export's rows
/// pass twice: from the source, then from the spill that kept them (<see cref="RowSpill"/>), or from the source again
/// when <see cref="SyncOptions.WalkRereadsSource"/>. The first pass (<see cref="Observe"/>) keeps only each row's
/// key hash, row hash and position here. Those and the stored records' hashes are sorted by key hash in bounded runs
/// (<see cref="SortedRuns"/>) and walked side by side once (<see cref="Walk"/>). That leaves two bits a row
/// (unchanged, certainly new) and a spilled list of records the export may no longer hold. The second pass works the
/// rows as ever, asking the database only about the others.
/// <para>
/// Both passes must deliver the same rows: each is summed into a trace, and a second that differs (a source read again
/// that changed meanwhile; a spill never does) fails the run, nothing changed, instead of trusting bits taken from
/// other rows.
/// </para>
/// </summary>
internal sealed class StoredWalk : IStoredHashes
{
    /// <summary>A full stream's stored hashes: in memory up to <see cref="SyncOptions.StoredHashesInMemory"/> records, walked past that.</summary>
    public static IStoredHashes Open(PoolWriter writer, string stream, SyncOptions options)
    {
        var size = StoredHashes.Count(writer, stream);
        return size <= options.StoredHashesInMemory ? StoredHashes.Load(writer, stream, (int)size) : new StoredWalk(writer, stream, options);
    }

    private const long DeletedBit = 1L << 62;
    private const long UnreadableBit = 1L << 62;

    private readonly PoolWriter _writer;
    private readonly string _stream;
    private readonly SortedRuns _rows;
    private readonly SortedRuns _records;
    private readonly string _directory;
    private RowTrace _firstRead, _secondRead;
    private long _rowsRead, _rowsReread;
    private BitArray _unchanged = new(0);
    private BitArray _new = new(0);
    private FileStream? _candidates;
    private BinaryWriter? _candidateWriter;
    private long _candidateCount;
    private bool _walked;

    public StoredWalk(PoolWriter writer, string stream, SyncOptions options)
    {
        _writer = writer;
        _stream = stream;
        _directory = options.SpillFolder;
        _rows = new SortedRuns(options.WalkRunRecords, _directory);
        _records = new SortedRuns(options.WalkRunRecords, _directory);
    }

    public long Live { get; private set; }

    public int Version => 0;

    public bool WalksFirst => !_walked;

    /// <summary>The first read's next row; <paramref name="key"/> false: no readable key, true with <paramref name="readable"/> false: a key but no readable row.</summary>
    public void Observe(bool key, bool readable, long keyHash, long rowHash)
    {
        _firstRead.Add(keyHash, rowHash, key, readable);
        var ordinal = _rowsRead++;
        if (key)
        {
            _rows.Add(new WalkEntry(keyHash, rowHash, ordinal | (readable ? 0 : UnreadableBit)));
        }
    }

    /// <summary>The second read's next row, as <see cref="Observe"/> took the first's.</summary>
    public void Reread(bool key, bool readable, long keyHash, long rowHash)
    {
        _secondRead.Add(keyHash, rowHash, key, readable);
        _rowsReread++;
    }

    /// <summary>After the first read: reads the stored records in one scan and walks both sides by key hash.</summary>
    public void Walk()
    {
        _rows.Seal(); // the rows' last run goes to disk before the records fill theirs: one run in memory at a time
        foreach (var (keyHash, rowHash, id, deleted) in StoredHashes.Scan(_writer, _stream))
        {
            Live += deleted ? 0 : 1;
            _records.Add(new WalkEntry(keyHash, rowHash, id | (deleted ? DeletedBit : 0)));
        }

        _unchanged = new BitArray(checked((int)_rowsRead));
        _new = new BitArray(checked((int)_rowsRead));
        _candidates = SpillFile.Create(_directory, "gone");
        _candidateWriter = new BinaryWriter(_candidates, System.Text.Encoding.UTF8, leaveOpen: true);

        using var rows = _rows.Sorted().GetEnumerator();
        using var records = _records.Sorted().GetEnumerator();
        bool moreRows = rows.MoveNext(), moreRecords = records.MoveNext();
        var rowGroup = new List<WalkEntry>();
        var recordGroup = new List<WalkEntry>();
        while (moreRows || moreRecords)
        {
            var key = !moreRecords || (moreRows && rows.Current.Key <= records.Current.Key) ? rows.Current.Key : records.Current.Key;
            rowGroup.Clear();
            recordGroup.Clear();
            for (; moreRows && rows.Current.Key == key; moreRows = rows.MoveNext())
            {
                rowGroup.Add(rows.Current);
            }

            for (; moreRecords && records.Current.Key == key; moreRecords = records.MoveNext())
            {
                recordGroup.Add(records.Current);
            }

            Judge(rowGroup, recordGroup);
        }

        _rows.Dispose();
        _records.Dispose();
        _candidateWriter.Flush();
        _walked = true;
    }

    /// <summary>
    /// One key hash: a single readable row with no record is certainly new; a single readable row matching a live
    /// record's row hash leaves it unchanged. Any other live record may be gone. Several rows (a duplicate key, or
    /// keys whose hashes collide) decide nothing here: the database answers them by their real keys.
    /// </summary>
    private void Judge(List<WalkEntry> rowGroup, List<WalkEntry> recordGroup)
    {
        var single = rowGroup.Count == 1 && (rowGroup[0].Second & UnreadableBit) == 0 ? rowGroup[0] : (WalkEntry?)null;
        if (single is { } lone && recordGroup.Count == 0)
        {
            _new[(int)lone.Second] = true;
        }

        foreach (var record in recordGroup)
        {
            if ((record.Second & DeletedBit) != 0)
            {
                continue;
            }

            if (single is { } row && record.First == row.First)
            {
                _unchanged[(int)row.Second] = true;
                single = null; // a second record with the same hashes (a collision of both) is judged by the database
                continue;
            }

            _candidateWriter!.Write(record.Second);
            _candidateCount++;
        }
    }

    /// <summary>Fails the run unless the second read delivered the rows the walk was made from.</summary>
    public void Verify()
    {
        if (_rowsReread != _rowsRead || !_secondRead.Equals(_firstRead))
        {
            throw new SyncException($"stream '{_stream}' changed while it was read: the export was read twice ({_rowsRead:N0} rows, then {_rowsReread:N0}) " +
                "and the reads differ. Nothing was changed; run the sync again once the export is complete and no longer being written.");
        }
    }

    // A second read longer than the first finds no bit past the first's rows (and fails at its end, by Verify).
    public long? Unchanged(long ordinal, long keyHash, long rowHash) => ordinal < _unchanged.Length && _unchanged[(int)ordinal] ? 0 : null;

    public bool MayHold(long ordinal, long keyHash) => !(ordinal < _new.Length && _new[(int)ordinal]);

    public void Rewritten(long keyHash, long id, long rowHash, bool wasDeleted) => Live += wasDeleted ? 1 : 0;

    public void Inserted(long keyHash)
    {
    }

    public IEnumerable<long> DeletionCandidates()
    {
        if (_candidates is not { } file)
        {
            yield break;
        }

        file.Position = 0;
        using var reader = new BinaryReader(file, System.Text.Encoding.UTF8, leaveOpen: true);
        for (var i = 0L; i < _candidateCount; i++)
        {
            yield return reader.ReadInt64();
        }
    }

    public void Dispose()
    {
        _rows.Dispose();
        _records.Dispose();
        _candidateWriter?.Dispose();
        _candidates?.Dispose();
    }
}

/// <summary>An order-sensitive sum of a read's rows (key hash, row hash, readability): two reads alike sum alike.</summary>
internal struct RowTrace : IEquatable<RowTrace>
{
    private ulong _sum;

    public void Add(long keyHash, long rowHash, bool key, bool readable)
    {
        var h = (_sum ^ (ulong)keyHash) * 0x9E3779B97F4A7C15UL;
        h = (h ^ (ulong)rowHash ^ (key ? 1UL : 0) ^ (readable ? 2UL : 0)) * 0xC2B2AE3D27D4EB4FUL;
        _sum = h ^ (h >> 29);
    }

    public readonly bool Equals(RowTrace other) => _sum == other._sum;

    public override readonly bool Equals(object? obj) => obj is RowTrace other && Equals(other);

    public override readonly int GetHashCode() => _sum.GetHashCode();
}
