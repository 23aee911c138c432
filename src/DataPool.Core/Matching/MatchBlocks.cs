using System.Data.Common;
using DataPool.Core.Store;
using DataPool.Core.Store.Writing;

namespace DataPool.Core.Matching;

/// <summary>
/// The blocking index a sync reads and files, one table per tier: <c>dp_match_blocks</c> for persons with a valid
/// ID number, <c>dp_match_open_blocks</c> for open persons (the "o" blocks and ID prefixes "i:" of persons without
/// one). Each key (<see cref="MatchRecord.BlockingKeys(BlockingRules?)"/>) is the 64-bit hash of its text beside the pool id,
/// clustered on both (WITHOUT ROWID on SQLite). A million persons file three million keys; as text in a table
/// with two indexes that was three random B-tree inserts each and most of a register's linking time, as one
/// compact tree of numbers it is one. The open tier stays small however large the pool, so the lookups every
/// row without an ID number makes there (and the probe for whether any open person exists) stay cheap.
/// A hash collision only adds a candidate, which the score then judges.
/// Filed keys wait in memory, 16 bytes each, until a lookup needs them, the sync completes or a bound is reached;
/// then they are written in key order, duplicates skipped. A register's first sync (no lookups: every ID number is
/// valid and new) thus writes its three million keys as one sorted run instead of a random insert per key.
/// </summary>
internal sealed class MatchBlocks
{
    public const string Table = "dp_match_blocks";
    public const string OpenTable = "dp_match_open_blocks";

    /// <summary>Keys waiting in memory at most: 64 MB.</summary>
    private const int MaxWaiting = 4_000_000;

    private readonly Tier _plain, _open;
    private readonly DbCommand _anyOpen;

    public MatchBlocks(PoolWriter writer)
    {
        _plain = new Tier(writer, Table);
        _open = new Tier(writer, OpenTable);
        _anyOpen = writer.Command($"SELECT 1 FROM {OpenTable} LIMIT 1");
    }

    public static long Hash(string key) => RowHasher.HashText(key);

    /// <summary>Open blocks and ID prefixes are filed by (and only by) persons without a valid ID number.</summary>
    public static bool IsOpen(string key) =>
        key.StartsWith(MatchRecord.Open, StringComparison.Ordinal) || key.StartsWith(MatchRecord.IdPrefix, StringComparison.Ordinal);

    /// <summary>The table a key is filed in.</summary>
    public static string TableOf(string key) => IsOpen(key) ? OpenTable : Table;

    /// <summary>
    /// Files keys outside a sync (a record split back to its person, keys of an earlier version moved in), one
    /// statement each and duplicates skipped; a sync files through <see cref="File"/> instead.
    /// </summary>
    public static async Task FileAsync(DbConnection connection, DbTransaction transaction, IEnumerable<(string Key, long Pool)> keys, CancellationToken cancellationToken)
    {
        foreach (var tier in keys.Distinct().GroupBy(k => TableOf(k.Key)))
        {
            await using var insert = connection.Command($"INSERT INTO {tier.Key} (key_hash, pool_id) VALUES (@hash, @pool) ON CONFLICT DO NOTHING", transaction);
            var hash = insert.AddParameter("@hash");
            var pool = insert.AddParameter("@pool");
            foreach (var (key, poolId) in tier)
            {
                hash.Value = Hash(key);
                pool.Value = poolId;
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    /// <summary>Whether any open person is filed: while none is (a register's first sync), a valid ID number has nothing to look up.</summary>
    public bool AnyOpen() => _open.Waiting.Count > 0 || _anyOpen.ExecuteScalar() is not null and not DBNull;

    /// <summary>The pool ids filed under these keys, by key hash.</summary>
    public IEnumerable<(long Hash, long Pool)> Find(IEnumerable<string> keys)
    {
        var byTier = keys.ToLookup(IsOpen, Hash);
        return _plain.Find(byTier[false].ToList()).Concat(_open.Find(byTier[true].ToList()));
    }

    public void File(string key, long pool)
    {
        var tier = IsOpen(key) ? _open : _plain;
        tier.Waiting.Add((Hash(key), pool));
        if (tier.Waiting.Count >= MaxWaiting)
        {
            tier.Write();
        }
    }

    /// <summary>Writes the waiting keys in key order, so that the inserts walk the tree once instead of at random.</summary>
    public void Write()
    {
        _plain.Write();
        _open.Write();
    }

    private sealed class Tier
    {
        private readonly SqlDialect _dialect;
        private readonly DbCommand _find;
        private readonly IBulkWriter _writer;

        public Tier(PoolWriter writer, string table)
        {
            _dialect = writer.Dialect;
            _find = writer.Command($"SELECT key_hash, pool_id FROM {table} WHERE {_dialect.InList("key_hash", "@keys")}");
            _find.AddParameter("@keys");
            _writer = writer.OpenBulk(table, ["key_hash", "pool_id"], skipDuplicates: true);
        }

        public List<(long Hash, long Pool)> Waiting { get; } = [];

        public IEnumerable<(long Hash, long Pool)> Find(IReadOnlyCollection<long> hashes)
        {
            if (hashes.Count == 0)
            {
                yield break;
            }

            Write();
            _find.Parameters["@keys"].Value = _dialect.ListValue(hashes);
            using var reader = _find.ExecuteReader();
            while (reader.Read())
            {
                yield return (reader.GetInt64(0), reader.GetInt64(1));
            }
        }

        public void Write()
        {
            if (Waiting.Count == 0)
            {
                return;
            }

            Waiting.Sort();
            var previous = (Hash: 0L, Pool: -1L);
            foreach (var entry in Waiting)
            {
                if (entry != previous)
                {
                    _writer.Add(entry.Hash, entry.Pool);
                    previous = entry;
                }
            }

            _writer.Flush();
            Waiting.Clear();
        }
    }
}
