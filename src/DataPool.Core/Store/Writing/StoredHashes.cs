using System.Numerics;

namespace DataPool.Core.Store.Writing;

/// <summary>
/// A full stream's stored records as its run starts, read in one pass: for each record the hash of its source key,
/// its row hash, and its id with a deleted bit (24 bytes a record), sorted by key hash. A row whose key hash and row
/// hash both match a live record here is unchanged, found without a query. That is safe against key-hash collisions:
/// the row hash covers the key columns, so two different keys would need both 64-bit hashes to collide at once.
/// Every other row (new, changed, deleted before) goes to the database by its real key, and delete detection walks
/// this same array instead of reading the stream's records a second time.
/// </summary>
internal sealed class StoredHashes : IStoredHashes
{
    /// <summary>Record ids are positive 64-bit integers far below this bit, which marks a record deleted.</summary>
    private const long DeletedBit = 1L << 62;

    /// <summary>Records per bucket of the directory, on average: a lookup then searches a few neighbouring keys.</summary>
    private const int RecordsPerBucket = 8;

    // Sorted together: the key hashes alone, so the sort and the binary search compare plain longs.
    private readonly long[] _keys;
    private readonly Entry[] _entries;
    private readonly int _count;

    // Key hashes are spread evenly over the 64-bit range, so their top bits say where a key lies in the sorted array:
    // _directory[b] is the first entry of bucket b. A lookup searches one bucket instead of the whole array, which at a
    // million records is a few probes in one place instead of twenty across 8 MB (half a byte a record).
    private readonly int[] _directory;
    private readonly int _shift;

    // The key hashes of the records this run inserted: with the sorted array they say "no record has this key" for
    // certain, so a new row needs no lookup.
    private readonly KeyFilter _inserted = new();

    private StoredHashes(long[] keys, Entry[] entries, int count, long live)
    {
        _keys = keys;
        _entries = entries;
        _count = count;
        Live = live;
        var bits = Math.Clamp(64 - BitOperations.LeadingZeroCount((ulong)Math.Max(1, count / RecordsPerBucket)), 1, 30);
        _shift = 64 - bits;
        _directory = new int[(1 << bits) + 1];
        var entry = 0;
        for (var bucket = 0; bucket < _directory.Length; bucket++)
        {
            while (entry < count && Bucket(keys[entry]) < bucket)
            {
                entry++;
            }

            _directory[bucket] = entry;
        }
    }

    /// <summary>Bytes held per stored record (what a stream of N records costs in memory while it syncs).</summary>
    public const int BytesPerRecord = 24;

    /// <summary>Records live (not deleted) when the run started, plus those this run brought back.</summary>
    public long Live { get; private set; }

    /// <summary>
    /// A stream's records in id order, the order they lie in: a read of the table from start to end, not a jump per
    /// record (by the unique key's order a million records took 4 s warm and 15 s cold, in id order 0.4 s and 3.6 s).
    /// </summary>
    internal const string LoadSql = "SELECT source_key, row_hash, id, deleted FROM dp_source_records WHERE source_id = @source AND stream = @stream ORDER BY id";

    /// <summary>How many records (live or deleted) the stream has.</summary>
    public static long Count(PoolWriter writer, string stream)
    {
        using var count = writer.Command("SELECT COUNT(*) FROM dp_source_records WHERE source_id = @source AND stream = @stream");
        count.AddParameter("@source", writer.SourceId);
        count.AddParameter("@stream", stream);
        return Convert.ToInt64(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Reads the stream's <paramref name="size"/> records (counted first, to size the arrays exactly) in one scan.</summary>
    public static StoredHashes Load(PoolWriter writer, string stream, int size)
    {
        var keys = new long[size];
        var entries = new Entry[size];

        var n = 0;
        long live = 0;
        // The run's transaction holds the stream's lock, so the count cannot have moved; the bound only guards the array.
        foreach (var (keyHash, rowHash, id, deleted) in Scan(writer, stream).Take(size))
        {
            live += deleted ? 0 : 1;
            keys[n] = keyHash;
            entries[n++] = new Entry(rowHash, id | (deleted ? DeletedBit : 0));
        }

        Array.Sort(keys, entries, 0, n);
        return new StoredHashes(keys, entries, n, live);
    }

    /// <summary>The stream's records in one scan (<see cref="LoadSql"/>): each one's key hash, row hash, id and whether it is deleted.</summary>
    public static IEnumerable<(long KeyHash, long RowHash, long Id, bool Deleted)> Scan(PoolWriter writer, string stream)
    {
        using var select = writer.Command(LoadSql);
        select.AddParameter("@source", writer.SourceId);
        select.AddParameter("@stream", stream);
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            yield return (RowHasher.HashKey(reader.GetString(0)), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3) != 0);
        }
    }

    /// <summary>The id of the live record this row leaves unchanged (same key hash and row hash), or null: ask the database.</summary>
    public long? Unchanged(long ordinal, long keyHash, long rowHash)
    {
        for (var i = First(keyHash); i < _count && _keys[i] == keyHash; i++)
        {
            if (_entries[i].RowHash == rowHash && (_entries[i].IdAndDeleted & DeletedBit) == 0)
            {
                return _entries[i].IdAndDeleted;
            }
        }

        return null;
    }

    /// <summary>This run rewrote a stored record (and brought it back if deleted): later rows of the run compare with its new hash.</summary>
    public void Rewritten(long keyHash, long id, long rowHash, bool wasDeleted)
    {
        for (var i = First(keyHash); i < _count && _keys[i] == keyHash; i++)
        {
            if ((_entries[i].IdAndDeleted & ~DeletedBit) == id)
            {
                Live += (_entries[i].IdAndDeleted & DeletedBit) != 0 ? 1 : 0;
                _entries[i] = new Entry(rowHash, id);
                Version++;
                return;
            }
        }
    }

    /// <summary>This run inserted a record with this key hash.</summary>
    public void Inserted(long keyHash) => _inserted.Add(keyHash);

    /// <summary>
    /// False only when no record of the stream can have this key: none stored at the start of the run, none inserted
    /// by it. Then the row is new without asking the database.
    /// </summary>
    public bool MayHold(long ordinal, long keyHash)
    {
        var first = First(keyHash);
        return (first < _count && _keys[first] == keyHash) || _inserted.MayContain(keyHash);
    }

    public bool WalksFirst => false;

    /// <summary>The ids of the records live at the start of the run or brought back by it (all of them: this run's unchanged rows answered with their ids).</summary>
    public IEnumerable<long> DeletionCandidates()
    {
        for (var i = 0; i < _count; i++)
        {
            if ((_entries[i].IdAndDeleted & DeletedBit) == 0)
            {
                yield return _entries[i].IdAndDeleted;
            }
        }
    }

    /// <summary>
    /// A number that changes whenever <see cref="Rewritten"/> changes an entry: an answer of <see cref="Unchanged"/>
    /// taken at the same version still holds.
    /// </summary>
    public int Version { get; private set; }

    /// <summary>The bucket of a key hash: its top bits, with the sign flipped so that buckets follow the signed sort order.</summary>
    private int Bucket(long keyHash) => (int)((ulong)(keyHash ^ long.MinValue) >> _shift);

    /// <summary>The first entry whose key hash is not below <paramref name="keyHash"/>.</summary>
    private int First(long keyHash)
    {
        var bucket = Bucket(keyHash);
        int low = _directory[bucket], high = _directory[bucket + 1];
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_keys[middle] < keyHash)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    public void Dispose()
    {
    }

    private readonly record struct Entry(long RowHash, long IdAndDeleted);
}
