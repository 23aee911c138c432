using System.Globalization;
using System.Text;
using DataPool.Core.Matching;
using DataPool.Core.Tests.Support;

namespace DataPool.Core.Tests.Matching;

/// <summary>
/// Blocking keys are filed in the tier of the person they point to: a row without an ID number that links to a
/// person with a valid one adds only the plain keys that person lacks, so open blocks (which every new valid ID
/// number looks through) hold only persons who have no valid ID number.
/// </summary>
[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class BlockFilingTests(string store)
{
    private static readonly string Id = Residents.Id("19570302", 1);

    [Test]
    public async Task A_row_without_an_ID_number_linked_to_a_person_with_one_files_plain_keys_not_open_ones()
    {
        await using var host = await SyncRegisterAndLedgerAsync("L1,,張 三,男,1957/3/2,110101001001,东城区1号,13800138000");

        var pools = (await host.QueryAsync("SELECT DISTINCT pool_id FROM dp_source_records WHERE entity = 'person'")).Select(r => Convert.ToInt64(r["pool_id"])).ToList();
        Assert.That(pools, Has.Count.EqualTo(1), "the ledger's row links to the register's person");
        var blocks = (await host.QueryAsync("SELECT key_hash, pool_id FROM dp_match_blocks")).Select(r => (Convert.ToInt64(r["key_hash"]), Convert.ToInt64(r["pool_id"]))).ToList();
        Assert.That(blocks, Is.EquivalentTo(RegisterKeys().Select(k => (MatchBlocks.Hash(k), pools[0]))),
            "the row's keys are the person's plain ones, already filed");
        Assert.That(await host.CountAsync("SELECT count(*) FROM dp_match_open_blocks"), Is.Zero, "and no open block");
    }

    [Test]
    public async Task Keys_waiting_in_memory_are_found_by_a_later_batch_of_the_same_sync_and_written_when_it_completes()
    {
        await using var host = await PoolTestHost.CreateAsync(store);
        var csv = new StringBuilder("编号,身份证号,姓名,性别,出生日期,社区,住址,电话\n");
        for (var i = 1; i <= 2_500; i++)
        {
            var birth = new DateOnly(1940, 1, 1).AddDays(i);
            var sequence = i % 900 + 1;
            csv.Append(CultureInfo.InvariantCulture, $"L{i},{Residents.Id(birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture), sequence)},居民{i},{Residents.Gender(sequence)},{birth:yyyy-MM-dd},110101001001,东城区{i}号,1380013{i:0000}\n");
        }

        // Past the first batch of 2,000 rows: the first person again, without an ID number.
        csv.Append($"L9999,,居民1,{Residents.Gender(2)},1940-01-02,110101001001,东城区1号,13800130001\n");
        host.WriteFile("ledger.csv", csv.ToString());
        host.WriteFile("ledger.source.json", LabelledWorld.LedgerDefinition);

        var result = await host.SyncAsync("ledger.source.json");
        Assert.That((result.Succeeded, result.Counts.Accepted), Is.EqualTo((true, 2_501L)));

        var pools = await host.QueryAsync("SELECT source_key, pool_id FROM dp_source_records WHERE source_key IN ('L1', 'L9999')");
        Assert.That(pools.Select(p => Convert.ToInt64(p["pool_id"])).Distinct().Count(), Is.EqualTo(1), "the row without an ID number found the person filed two batches before");
        Assert.That(await host.CountAsync("SELECT count(*) FROM dp_match_blocks"), Is.EqualTo(BlockingRules.Default.Rules.Length * 2_500), "every person's keys (one a rule) are written by the end of the sync");
    }

    [Test]
    public async Task A_row_past_the_first_batch_with_an_ID_number_the_same_first_sync_created_joins_that_person()
    {
        // Into an empty pool a first sync looks up only the ID numbers it has written itself: the first person's
        // number, met again two batches later under another ledger number, must still be found.
        await using var host = await PoolTestHost.CreateAsync(store);
        var csv = new StringBuilder("编号,身份证号,姓名,性别,出生日期,社区,住址,电话\n");
        string? firstId = null;
        for (var i = 1; i <= 2_500; i++)
        {
            var birth = new DateOnly(1940, 1, 1).AddDays(i);
            var sequence = i % 900 + 1;
            var id = Residents.Id(birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture), sequence);
            firstId ??= id;
            csv.Append(CultureInfo.InvariantCulture, $"L{i},{id},居民{i},{Residents.Gender(sequence)},{birth:yyyy-MM-dd},110101001001,东城区{i}号,1380013{i:0000}\n");
        }

        csv.Append(CultureInfo.InvariantCulture, $"L9999,{firstId},居民1,{Residents.Gender(2)},1940-01-02,110101001001,东城区1号,13800130001\n");
        host.WriteFile("ledger.csv", csv.ToString());
        host.WriteFile("ledger.source.json", LabelledWorld.LedgerDefinition);

        var result = await host.SyncAsync("ledger.source.json");
        Assert.That((result.Succeeded, result.Counts.Accepted, result.Counts.New), Is.EqualTo((true, 2_501L, 2_500L)), result.Error);
        var pools = await host.QueryAsync("SELECT source_key, pool_id FROM dp_source_records WHERE source_key IN ('L1', 'L9999')");
        Assert.That(pools.Select(p => Convert.ToInt64(p["pool_id"])).Distinct().Count(), Is.EqualTo(1), "both ledger rows are the one person");
        Assert.That(await host.CountAsync("SELECT count(*) FROM pool_person"), Is.EqualTo(2_500));
    }

    [Test]
    public async Task A_row_linked_by_its_valid_ID_number_is_not_scored_writes_no_link_row_and_files_no_keys()
    {
        await using var host = await SyncRegisterAndLedgerAsync($"L1,{Id},张叁,男,1957/3/2,110101001009,西城区9号,13900139000");

        Assert.That(await host.CountAsync("SELECT count(*) FROM dp_match_links"), Is.Zero,
            "neither a new person without a candidate nor a link by the same valid ID number is a judgement: both are read off the record's pool id");
        Assert.That(await host.CountAsync("SELECT count(*) FROM dp_match_blocks"), Is.EqualTo(RegisterKeys().Count), "only the register's keys: the ledger's other name and community file none");
    }

    [TestCase(null, TestName = "A_person_without_an_ID_number_filed_by_an_earlier_sync_is_found_in_the_open_blocks_held_in_memory")]
    [TestCase(0, TestName = "A_person_without_an_ID_number_filed_by_an_earlier_sync_is_found_in_the_open_blocks_table")]
    public async Task A_person_without_an_ID_number_filed_by_an_earlier_sync_is_found_by_a_later_row_without_one(int? openInMemory)
    {
        MatchBlocks.OpenInMemoryLimit.Value = openInMemory;
        await using var host = await PoolTestHost.CreateAsync(store);
        host.WriteFile("ledger.source.json", LabelledWorld.LedgerDefinition);
        const string header = "编号,身份证号,姓名,性别,出生日期,社区,住址,电话\n";
        const string first = "L1,,张三,男,1957/3/2,110101001001,东城区1号,13800138000\n";
        host.WriteFile("ledger.csv", header + first);
        Assert.That((await host.SyncAsync("ledger.source.json")).Succeeded, Is.True);
        Assert.That(await host.CountAsync("SELECT count(*) FROM dp_match_open_blocks"), Is.GreaterThan(0), "a person without an ID number is open");

        host.WriteFile("ledger.csv", header + first + "L2,,張三,男,1957/3/2,110101001001,东城区1号,13800138000\n");
        Assert.That((await host.SyncAsync("ledger.source.json")).Succeeded, Is.True);
        var pools = await host.QueryAsync("SELECT DISTINCT pool_id FROM dp_source_records WHERE entity = 'person'");
        Assert.That(pools, Has.Count.EqualTo(1), "the later row joins the open person");
    }

    /// <summary>The plain keys the register's 张三 is filed under, one a blocking rule.</summary>
    private static List<string> RegisterKeys()
    {
        var keys = MatchRecord.From(new Dictionary<string, string>
        {
            ["id_number"] = Id, ["name"] = "张三", ["gender"] = "1", ["birth_date"] = "1957-03-02", ["community_code"] = "110101001001", ["address"] = "东城区1号", ["phone"] = "13800138000",
        }).BlockingKeys().ToList();
        Assert.That(keys, Has.Count.EqualTo(BlockingRules.Default.Rules.Length).And.Contain("g:110101001001:1957-03:1").And.Contain("p:zhangsan:1957"));
        return keys;
    }

    /// <summary>A pool of the register's 张三 (valid ID number) and one ledger row, synced in that order.</summary>
    private async Task<PoolTestHost> SyncRegisterAndLedgerAsync(string ledgerRow)
    {
        var host = await PoolTestHost.CreateAsync(store);
        host.WriteFile("hukou.csv", $"身份证号,姓名,性别,出生日期,社区,住址,电话\n{Id},张三,男,1957-03-02,110101001001,东城区1号,13800138000\n");
        host.WriteFile("ledger.csv", $"编号,身份证号,姓名,性别,出生日期,社区,住址,电话\n{ledgerRow}\n");
        host.WriteFile("hukou.source.json", LabelledWorld.HukouDefinition);
        host.WriteFile("ledger.source.json", LabelledWorld.LedgerDefinition);
        foreach (var source in new[] { "hukou", "ledger" })
        {
            Assert.That((await host.SyncAsync($"{source}.source.json")).Succeeded, Is.True);
        }

        return host;
    }
}
