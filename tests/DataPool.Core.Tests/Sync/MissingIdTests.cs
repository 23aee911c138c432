using DataPool.Core.Tests.Matching;
using DataPool.Core.Tests.Support;

namespace DataPool.Core.Tests.Sync;

/// <summary>Person rows without a usable ID number: matched on the other fields, or quarantined when too little is left to match on.</summary>
[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class MissingIdTests(string store)
{
    private PoolTestHost _host = null!;

    [SetUp]
    public async Task SetUp()
    {
        _host = await PoolTestHost.CreateAsync(store);
        _host.WriteFile("hukou.csv", $"身份证号,姓名,性别,出生日期,社区,住址,电话\n{ReviewScenario.Id},张三,男,1957-03-02,110101001001,东城区1号,13800138000\n");
        _host.WriteFile("hukou.source.json", LabelledWorld.HukouDefinition);
        _host.WriteFile("ledger.source.json", LabelledWorld.LedgerDefinition);
        Assert.That((await _host.SyncAsync("hukou.source.json")).Succeeded, Is.True);
    }

    [TearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    [Test]
    public async Task Rows_with_a_flagged_or_missing_ID_link_on_name_with_birth_date_or_address_and_rows_with_too_little_are_quarantined_naming_what_would_suffice()
    {
        var badCheck = ReviewScenario.Id[..17] + (ReviewScenario.Id[17] == '0' ? '1' : '0');
        _host.WriteFile("ledger.csv", "编号,身份证号,姓名,性别,出生日期,社区,住址,电话\n" +
            $"L1,{badCheck},張三,男,1957/3/2,110101001001,东城区1号,\n" +
            "L2,,张 三,男,1957-02-03,110101001001,,\n" +
            "L3,,张三,男,,110101001001,东城区1号,\n" +
            "L4,,张三,男,,110101001001,,\n");

        var result = await _host.SyncAsync("ledger.source.json");

        Assert.That((result.Counts.Read, result.Counts.Accepted, result.Counts.Quarantined, result.Counts.New), Is.EqualTo((4, 3, 1, 0)));
        var pool = await _host.CountAsync("SELECT pool_id FROM pool_person");
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM dp_source_records WHERE source_id = 'ledger' AND pool_id = @p", ("@p", pool)), Is.EqualTo(3),
            "the wrong check character, the swapped birth date and the name with the address (no birth date) all reach 张三");
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM dp_match_links WHERE decision = 'auto' AND score >= 20"), Is.EqualTo(3));
        var reasons = (await _host.QueryAsync("SELECT reasons FROM dp_quarantine")).Single()["reasons"] as string;
        Assert.That(reasons, Does.Contain("too little to match").And.Contain("it has name, gender, community_code")
            .And.Contain("any of name+birth_date, name+phone, name+address would have sufficed"), "a name alone meets no evidence rule, and the reason says what would");
    }
}
