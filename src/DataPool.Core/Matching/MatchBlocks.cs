using System.Data.Common;
using DataPool.Core.Store;
using DataPool.Core.Sync;

namespace DataPool.Core.Matching;

/// <summary>
/// The blocking index a sync reads and files: <c>dp_match_blocks</c>, each key (<see cref="MatchRecord.BlockingKeys"/>)
/// as the 64-bit hash of its text beside the pool id, clustered on both (WITHOUT ROWID on SQLite). A million
/// persons file three million keys; as text in a table with two indexes that was three random B-tree inserts
/// each and most of a register's linking time, as one compact tree of numbers it is one. A hash collision
/// only adds a candidate, which the score then judges. Keys are filed in order once a batch, duplicates skipped.
/// </summary>
internal sealed class MatchBlocks
{
    public const string Table = "dp_match_blocks";

    /// <summary>Filed beside the keys of every open person (one without a valid ID number), so that whether any exists is one seek.</summary>
    private static readonly long OpenMark = Hash("o");

    private readonly SqlDialect _dialect;
    private readonly DbCommand _find, _anyOpen;
    private readonly IBulkWriter _writer;
    private readonly HashSet<(long Hash, long Pool)> _filed = [];

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
    public bool AnyOpen() => _anyOpen.ExecuteScalar() is not null and not DBNull;

    /// <summary>The pool ids filed under these key hashes.</summary>
    public IEnumerable<(long Hash, long Pool)> Find(IReadOnlyCollection<long> hashes)
    {
        if (hashes.Count == 0)
        {
            yield break;
        }

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
            _filed.Add((hash, pool));
        }
    }

    /// <summary>Writes the batch's keys in key order, so that the inserts walk the tree once instead of at random.</summary>
    public void Flush()
    {
        foreach (var (hash, pool) in _filed.Order())
        {
            _writer.Add(hash, pool);
        }

        _writer.Flush();
        _filed.Clear();
    }
}
