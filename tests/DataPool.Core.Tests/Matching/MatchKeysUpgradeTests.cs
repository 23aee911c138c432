using DataPool.Core.Tests.Support;

namespace DataPool.Core.Tests.Matching;

/// <summary>
/// A pool whose blocking keys were filed before trust tiers (surname + year blocks, every block plain)
/// keeps finding its persons: at start its blocks become open ones, once.
/// </summary>
[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class MatchKeysUpgradeTests(string store)
{
    [Test]
    public async Task Keys_filed_before_trust_tiers_become_open_blocks_once()
    {
        await using var host = await PoolTestHost.CreateAsync(store);
        foreach (var key in new[] { "b:1957-03-02", "s:张:1957", "n:110101001001:张三", "i:11010119570302001" })
        {
            await host.QueryAsync("INSERT INTO dp_match_keys (key, pool_id) VALUES (@key, 7)", ("@key", key));
        }

        await host.Database.InitialiseAsync();
        Assert.That(await KeysAsync(host), Is.EquivalentTo(new[] { "ob:1957-03-02", "on:110101001001:张三", "i:11010119570302001" }));

        await host.QueryAsync("INSERT INTO dp_match_keys (key, pool_id) VALUES ('b:1960-01-01', 8)");
        await host.Database.InitialiseAsync();
        Assert.That(await KeysAsync(host), Is.EquivalentTo(new[] { "ob:1957-03-02", "on:110101001001:张三", "i:11010119570302001", "b:1960-01-01" }),
            "a key filed by this version stays as it is on the next start");
    }

    private static async Task<List<string>> KeysAsync(PoolTestHost host) =>
        (await host.QueryAsync("SELECT key FROM dp_match_keys")).Select(r => (string)r["key"]!).ToList();
}
