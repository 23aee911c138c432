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

    /// <summary>Keys handed to the store at most before it writes them.</summary>
    private const int FlushEvery = 50_000;

    /// <summary>Open keys held in memory at most (about 100 bytes each): an open tier beyond it is looked up in the table.</summary>
    internal const int MaxOpenInMemory = 200_000;

    /// <summary>Replaces <see cref="MaxOpenInMemory"/> within one async flow: tests run the table's lookups with it.</summary>
    internal static readonly AsyncLocal<int?> OpenInMemoryLimit = new();

    private readonly Tier _plain, _open;
    private readonly DbCommand _anyOpen;

    /// <summary>
    /// The whole open tier by key hash, while it is small (<see cref="MaxOpenInMemory"/>), else null. Every row without a
    /// valid ID number looks up as many open keys as plain ones; answered from memory, they cost no index probe, which
    /// was half of the blocking lookups of a million persons.
    /// </summary>
    private Dictionary<long, List<long>>? _openInMemory;

    public MatchBlocks(PoolWriter writer)
    {
        _plain = new Tier(writer, Table);
        _open = new Tier(writer, OpenTable);
        _anyOpen = writer.Command($"SELECT 1 FROM {OpenTable} LIMIT 1");
        _openInMemory = LoadOpen(writer);
    }

    private static Dictionary<long, List<long>>? LoadOpen(PoolWriter writer)
    {
        var blocks = new Dictionary<long, List<long>>();
        var limit = OpenInMemoryLimit.Value ?? MaxOpenInMemory;
        var count = 0;
        // One row past the limit says the tier is too large, without reading the rest of it.
        using var command = writer.Command($"SELECT key_hash, pool_id FROM {OpenTable} LIMIT {limit + 1}");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (++count > limit)
            {
                return null;
            }

            Remember(blocks, reader.GetInt64(0), reader.GetInt64(1));
        }

        return count >= limit ? null : blocks;
    }

    private static void Remember(Dictionary<long, List<long>> blocks, long hash, long pool)
    {
        if (!blocks.TryGetValue(hash, out var pools))
        {
            blocks[hash] = pools = [];
        }

        if (!pools.Contains(pool))
        {
            pools.Add(pool);
        }
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
    public bool AnyOpen() => _openInMemory is { } open ? open.Count > 0 : _open.Waiting.Count + _open.Fresh.Count > 0 || _anyOpen.ExecuteScalar() is not null and not DBNull;

    /// <summary>The pool ids filed under these keys, by key hash.</summary>
    public IEnumerable<(long Hash, long Pool)> Find(IEnumerable<(string Key, long Hash)> keys)
    {
        var byTier = keys.ToLookup(k => IsOpen(k.Key), k => k.Hash);
        return _plain.Find(byTier[false].ToList()).Concat(_openInMemory is { } open ? FindOpen(open, byTier[true]) : _open.Find(byTier[true].ToList()));
    }

    private static IEnumerable<(long Hash, long Pool)> FindOpen(Dictionary<long, List<long>> open, IEnumerable<long> hashes)
    {
        foreach (var hash in hashes.Distinct())
        {
            if (open.TryGetValue(hash, out var pools))
            {
                foreach (var pool in pools)
                {
                    yield return (hash, pool);
                }
            }
        }
    }

    /// <summary>Stopwatch ticks spent writing waiting keys since the caller last took them (<see cref="TakeWriteTicks"/>).</summary>
    private long _writeTicks;

    public void File(string key, long pool) => Add(key, pool, fresh: false);

    /// <summary>
    /// Files the keys of a person this run created. No key can be filed for its pool id yet, so on PostgreSQL they are
    /// copied straight in; <c>ON CONFLICT DO NOTHING</c> through a staging table cost twice the plain insert.
    /// All of them are added before any bound writes, so the sort removes every duplicate among them.
    /// </summary>
    public void FileNew(IEnumerable<string> keys, long pool)
    {
        foreach (var key in keys)
        {
            Add(key, pool, fresh: true, bound: false);
        }

        WriteWhenFull(_plain);
        WriteWhenFull(_open);
    }

    private void Add(string key, long pool, bool fresh, bool bound = true)
    {
        var tier = IsOpen(key) ? _open : _plain;
        var hash = Hash(key);
        (fresh ? tier.Fresh : tier.Waiting).Add((hash, pool));
        if (tier == _open && _openInMemory is { } open)
        {
            Remember(open, hash, pool);
            if (open.Count > MaxOpenInMemory)
            {
                // Grown past memory's share: looked up in the table from now on (Find writes what waits first).
                _openInMemory = null;
            }
        }

        if (bound)
        {
            WriteWhenFull(tier);
        }
    }

    private void WriteWhenFull(Tier tier)
    {
        if (tier.Waiting.Count + tier.Fresh.Count >= MaxWaiting)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            tier.Write();
            _writeTicks += System.Diagnostics.Stopwatch.GetTimestamp() - started;
        }
    }

    /// <summary>The time filing spent writing keys that reached the bound, so that it counts as writing, not filing.</summary>
    public long TakeWriteTicks()
    {
        var ticks = _writeTicks;
        _writeTicks = 0;
        return ticks;
    }

    /// <summary>Writes the waiting keys in key order, so that the inserts walk the tree once instead of at random.</summary>
    public void Write()
    {
        _plain.Write();
        _open.Write();
    }

    private sealed class Tier
    {
        private readonly IKeyLookup _find;
        private readonly IBulkWriter _writer, _freshWriter;

        public Tier(PoolWriter writer, string table)
        {
            _find = writer.OpenLookup(table, "key_hash", "pool_id");
            _writer = writer.OpenBulk(table, ["key_hash", "pool_id"], skipDuplicates: true);
            // A fresh person's id was never handed out before, so no key of it can be filed yet, where ids never
            // repeat. Elsewhere its keys keep the duplicate check (it costs SQLite nothing extra).
            _freshWriter = writer.Dialect.PoolIdsNeverRepeat ? writer.OpenBulk(table, ["key_hash", "pool_id"]) : _writer;
        }

        public List<(long Hash, long Pool)> Waiting { get; } = [];

        /// <summary>Keys of persons created by this run (<see cref="FileNew"/>).</summary>
        public List<(long Hash, long Pool)> Fresh { get; } = [];

        public IEnumerable<(long Hash, long Pool)> Find(IReadOnlyCollection<long> hashes)
        {
            if (hashes.Count == 0)
            {
                yield break;
            }

            Write();
            foreach (var row in _find.Find(hashes))
            {
                yield return row;
            }
        }

        /// <summary>The fresh keys first: a later row of a new person may file one of them again, which the other writer then skips.</summary>
        public void Write()
        {
            Write(Fresh, _freshWriter);
            Write(Waiting, _writer);
        }

        private static void Write(List<(long Hash, long Pool)> waiting, IBulkWriter writer)
        {
            if (waiting.Count == 0)
            {
                return;
            }

            waiting.Sort();
            var previous = (Hash: 0L, Pool: -1L);
            var added = 0;
            foreach (var entry in waiting)
            {
                if (entry != previous)
                {
                    writer.Add(entry.Hash, entry.Pool);
                    previous = entry;
                    if (++added % FlushEvery == 0)
                    {
                        // PostgreSQL's COPY holds its rows until a flush: four million keys held at once were 380 MB of a sync's peak.
                        writer.Flush();
                    }
                }
            }

            writer.Flush();
            waiting.Clear();
        }
    }
}
