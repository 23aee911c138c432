using DataPool.Core.Matching;
using DataPool.Core.Store;
using DataPool.Core.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DataPool.Core.Tests.Matching;

/// <summary>A blocking rule configured after the pool's persons were filed finds them too: their keys are filed at start.</summary>
[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class RuleFilingTests(string store)
{
    private static readonly string[] Ids = [Residents.Id("19570302", 1), Residents.Id("19610715", 2), Residents.Id("19880101", 3)];

    [Test]
    public async Task A_blocking_rule_configured_after_persons_were_filed_has_their_keys_filed_once()
    {
        var phoneOnly = MatchSettings.Default with { Blocking = new BlockingRules(["phone"]) };
        await using var host = await PoolTestHost.CreateAsync(store, configure: s => s.Replace(ServiceDescriptor.Singleton(phoneOnly)));
        host.WriteFile("hukou.csv", "身份证号,姓名,性别,出生日期,社区,住址,电话\n" + string.Join("\n", Rows().Select(r =>
            $"{r["id_number"]},{r["name"]},{(r["gender"] == "1" ? "男" : "女")},{r["birth_date"]},{r["community_code"]},{r["address"]},{r["phone"]}")) + "\n");
        host.WriteFile("hukou.source.json", LabelledWorld.HukouDefinition);
        Assert.That((await host.SyncAsync("hukou.source.json")).Succeeded, Is.True);
        Assert.That(await host.CountAsync("SELECT count(*) FROM dp_match_blocks"), Is.EqualTo(3), "filed by the one rule configured: the phone");
        Assert.That(await host.CountAsync("SELECT count(*) FROM dp_match_rules WHERE entity = 'person' AND rule = 'phone'"), Is.EqualTo(1));

        // The defaults now, as after an upgrade that changed them or an admin's new configuration: the next start files what is missing.
        Assert.That(await FileNewRulesAsync(host, BlockingRules.Default), Is.EqualTo(3 * (BlockingRules.Default.Rules.Length - 1)), "every rule but the phone, for each person");
        var expected = Rows().SelectMany(r => MatchRecord.From(r).BlockingKeys(BlockingRules.Default)).Select(MatchBlocks.Hash).ToList();
        var filed = (await host.QueryAsync("SELECT key_hash FROM dp_match_blocks")).Select(r => Convert.ToInt64(r["key_hash"])).ToList();
        Assert.That(filed, Is.EquivalentTo(expected), "each person under each default rule's key, once");
        Assert.That(await host.CountAsync("SELECT count(*) FROM dp_match_open_blocks"), Is.Zero, "persons with a valid ID number are filed plain");

        Assert.That(await FileNewRulesAsync(host, BlockingRules.Default), Is.Zero, "filed once: the next start has nothing to do");
    }

    private static async Task<long> FileNewRulesAsync(PoolTestHost host, BlockingRules rules)
    {
        await using var connection = await host.Database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var keys = await MatchTables.FileNewRulesAsync(connection, transaction, host.Database.Catalog.Entity("person"), rules, CancellationToken.None);
        await transaction.CommitAsync();
        return keys;
    }

    private static IEnumerable<Dictionary<string, string>> Rows() => Ids.Select((id, i) => new Dictionary<string, string>
    {
        ["id_number"] = id, ["name"] = $"张{"三四五"[i]}", ["gender"] = i == 1 ? "2" : "1", ["birth_date"] = $"{id[6..10]}-{id[10..12]}-{id[12..14]}",
        ["community_code"] = "110101001001", ["address"] = $"东城区{i + 1}号", ["phone"] = $"1380013800{i}",
    });
}
