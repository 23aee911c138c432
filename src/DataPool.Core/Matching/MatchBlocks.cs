using System.Data.Common;
using DataPool.Core.Store;
using DataPool.Core.Sync;

namespace DataPool.Core.Matching;

/// <summary>
/// The blocking index a sync reads and files: <c>dp_match_blocks</c>, each key (<see cref="MatchRecord.BlockingKeys"/>)
/// as the 64-bit hash of its text beside the pool id, clustered on both (WITHOUT ROWID on SQLite). A million
/// persons file three million keys; as text in a table with two indexes that was three random B-tree inserts
/// each and most of a register's linking time, as one compact tree of numbers it is one. A hash collision
/// only adds a candidate, which the score then judges.
/// Filed keys wait in memory, 16 bytes each, until a lookup needs them, the sync completes or a bound is reached;
/// then they are written in key order, duplicates skipped. A register's first sync (no lookups: every ID number is
/// valid and new) thus writes its three million keys as one sorted run instead of a random insert per key.
/// </summary>
internal sealed class MatchBlocks
{
    public const string Table = "dp_match_blocks";

    /// <summary>Filed beside the keys of every open person (one without a valid ID number), so that whether any exists is one seek.</summary>
    private static readonly long OpenMark = Hash("o");

    private readonly SqlDialect _dialect;
    private readonly DbCommand _find, _anyOpen;
    private readonly IBulkWriter _writer;
    /// <summary>Keys waiting in memory at most: 64 MB.</summary>
    private const int MaxWaiting = 4_000_000;

    private readonly List<(long Hash, long Pool)> _waiting = [];
    private bool _openWaiting;

    public MatchBlocks(PoolWriter writer)
    {
        _dialect = writer.Dialect;
        _find = writer.Command($"SELECT key_hash, pool_id FROM {Table} WHERE {MatchTables.IdIn(_dialect, "key_hash", "@keys")}");
        _find.AddParameter("@keys");
        _anyOpen = writer.Command($"SELECT 1 FROM {Table} WHERE key_hash = @open LIMIT 1");
        _anyOpen.AddParameter("@open", OpenMark);
        _writer = writer.OpenBulk(Table, ["key_hash", "pool_id"], skipDuplicates: true);
    }

    public static long Hash(string key) => RowHasher.HashText(key);

    /// <summary>Whether any open person is filed: while none is (a register's first sync), a valid ID number has nothing to look up.</summary>
    public bool AnyOpen() => _openWaiting || _anyOpen.ExecuteScalar() is not null and not DBNull;

    /// <summary>The pool ids filed under these key hashes.</summary>
    public IEnumerable<(long Hash, long Pool)> Find(IReadOnlyCollection<long> hashes)
    {
        if (hashes.Count == 0)
        {
            yield break;
        }

        Write();

        _find.Parameters["@keys"].Value = MatchTables.IdList(_dialect, hashes);
        using var reader = _find.ExecuteReader();
        while (reader.Read())
        {
            yield return (reader.GetInt64(0), reader.GetInt64(1));
        }
    }

    /// <summary>The hashes a key is filed under: its own, and the open mark beside an open block.</summary>
    public static IEnumerable<long> Filed(string key)
    {
        yield return Hash(key);
        if (key.StartsWith(MatchRecord.Open, StringComparison.Ordinal))
        {
            yield return OpenMark;
        }
    }

    public void File(string key, long pool)
    {
        foreach (var hash in Filed(key))
        {
            _waiting.Add((hash, pool));
            _openWaiting |= hash == OpenMark;
        }

        if (_waiting.Count >= MaxWaiting)
        {
            Write();
        }
    }

    /// <summary>Writes the waiting keys in key order, so that the inserts walk the tree once instead of at random.</summary>
    public void Write()
    {
        if (_waiting.Count == 0)
        {
            return;
        }

        _waiting.Sort();
        var previous = (Hash: 0L, Pool: -1L);
        foreach (var entry in _waiting)
        {
            if (entry != previous)
            {
                _writer.Add(entry.Hash, entry.Pool);
                previous = entry;
            }
        }

        _writer.Flush();
        _waiting.Clear();
        _openWaiting = false;
    }
}
