using DataPool.Core.Matching;
using DataPool.Core.Tests.Support;

namespace DataPool.Core.Tests.Matching;

/// <summary>
/// A pool whose blocking keys earlier versions filed as text (<c>dp_match_keys</c>) keeps finding its persons:
/// at start the keys move into the hashed index, once; keys filed before trust tiers (surname + year blocks,
/// every block plain) become open ones on the way.
/// </summary>
[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class MatchKeysUpgradeTests(string store)
{
    [Test]
    public async Task Keys_filed_as_text_before_trust_tiers_become_hashed_open_blocks_once()
    {
        await using var host = await PoolTestHost.CreateAsync(store);
        await FileAsTextAsync(host, 7, "b:1957-03-02", "s:张:1957", "n:110101001001:张三", "i:11010119570302001");

        await host.Database.InitialiseAsync();
        Assert.That(await BlocksAsync(host, MatchBlocks.OpenTable), Is.EquivalentTo(new[]
        {
            (MatchBlocks.Hash("ob:1957-03-02"), 7L), (MatchBlocks.Hash("on:110101001001:张三"), 7L), (MatchBlocks.Hash("i:11010119570302001"), 7L),
        }), "surname blocks are dropped; the others become open ones");
        Assert.That(await BlocksAsync(host, MatchBlocks.Table), Is.Empty);

        await host.Database.InitialiseAsync();
        Assert.That(await BlocksAsync(host, MatchBlocks.OpenTable), Has.Count.EqualTo(3), "the text keys are gone: a second start moves nothing");
    }

    [Test]
    public async Task Keys_filed_as_text_with_trust_tiers_keep_their_tier()
    {
        await using var host = await PoolTestHost.CreateAsync(store);
        await FileAsTextAsync(host, 8, "b:1960-01-01:110101001001", "y:李四:1960");
        await FileAsTextAsync(host, 9, "ob:1960-01-01:110101001001");

        await host.Database.InitialiseAsync();
        Assert.That(await BlocksAsync(host, MatchBlocks.Table), Is.EquivalentTo(new[] { (MatchBlocks.Hash("b:1960-01-01:110101001001"), 8L), (MatchBlocks.Hash("y:李四:1960"), 8L) }));
        Assert.That(await BlocksAsync(host, MatchBlocks.OpenTable), Is.EquivalentTo(new[] { (MatchBlocks.Hash("ob:1960-01-01:110101001001"), 9L) }));
    }

    /// <summary>Files keys the way earlier versions did, in the table they used.</summary>
    private static async Task FileAsTextAsync(PoolTestHost host, long pool, params string[] keys)
    {
        await host.QueryAsync("CREATE TABLE IF NOT EXISTS dp_match_keys (key TEXT NOT NULL, pool_id BIGINT NOT NULL)");
        foreach (var key in keys)
        {
            await host.QueryAsync("INSERT INTO dp_match_keys (key, pool_id) VALUES (@key, @pool)", ("@key", key), ("@pool", pool));
        }
    }

    private static async Task<List<(long, long)>> BlocksAsync(PoolTestHost host, string table) =>
        (await host.QueryAsync($"SELECT key_hash, pool_id FROM {table}")).Select(r => (Convert.ToInt64(r["key_hash"]), Convert.ToInt64(r["pool_id"]))).ToList();
}
