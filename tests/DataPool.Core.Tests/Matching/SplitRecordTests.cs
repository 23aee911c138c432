using DataPool.Core.Matching;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using DataPool.Core.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Core.Tests.Matching;

/// <summary>
/// A wrong automatic link undone by its source record: the record becomes a person of its own, the person it
/// left is recomputed without it, and no re-sync links it back.
/// </summary>
[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class SplitRecordTests(string store)
{
    private static readonly string Id = Residents.Id("19570302", 1);
    private PoolTestHost _host = null!;
    private MatchDecider _decider = null!;

    [SetUp]
    public async Task SetUp()
    {
        _host = await PoolTestHost.CreateAsync(store);
        _decider = _host.Services.GetRequiredService<MatchDecider>();
        // The register has no phone; the ledger's row (no ID number, everything else equal) links automatically and supplies one.
        _host.WriteFile("hukou.csv", $"身份证号,姓名,性别,出生日期,社区,住址,电话\n{Id},张三,男,1957-03-02,110101001001,东城区1号,\n");
        WriteLedger("13800138000");
        _host.WriteFile("hukou.source.json", LabelledWorld.HukouDefinition);
        _host.WriteFile("ledger.source.json", LabelledWorld.LedgerDefinition);
        foreach (var source in new[] { "hukou", "ledger" })
        {
            Assert.That((await _host.SyncAsync($"{source}.source.json")).Succeeded, Is.True);
        }
    }

    [TearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    private void WriteLedger(string phone) =>
        _host.WriteFile("ledger.csv", $"编号,身份证号,姓名,性别,出生日期,社区,住址,电话\nL1,,张三,男,1957/3/2,110101001001,东城区1号,{phone}\n");

    private Task<long> RecordIdAsync(string source) => _host.CountAsync("SELECT id FROM dp_source_records WHERE source_id = @s", ("@s", source));

    private Task<long> PoolOfAsync(string source) => _host.CountAsync("SELECT pool_id FROM dp_source_records WHERE source_id = @s", ("@s", source));

    private async Task<object?> PhoneOfAsync(long pool) =>
        (await _host.QueryAsync("SELECT phone FROM pool_person WHERE pool_id = @p", ("@p", pool))).Single()["phone"];

    [Test]
    public async Task An_automatic_link_split_off_by_its_record_gets_a_person_of_its_own_and_stays_apart()
    {
        var person = await PoolOfAsync("hukou");
        Assert.That(await PoolOfAsync("ledger"), Is.EqualTo(person), "linked automatically");
        Assert.That(await PhoneOfAsync(person), Is.EqualTo("13800138000"), "the ledger supplied the phone");

        var outcome = await _decider.DetachAsync(await RecordIdAsync("ledger"), "admin");

        Assert.That(outcome.Problem, Is.Null);
        Assert.That((outcome.FromPool, outcome.ToPool), Is.EqualTo((person, await PoolOfAsync("ledger"))));
        Assert.That(outcome.ToPool, Is.Not.EqualTo(person));
        Assert.That(await PhoneOfAsync(person), Is.Null, "the person it left no longer has the ledger's phone");
        Assert.That(await PhoneOfAsync(outcome.ToPool!.Value), Is.EqualTo("13800138000"));
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM dp_match_links WHERE record_id = @r AND decision = 'manual'", ("@r", outcome.RecordId)), Is.EqualTo(1));

        WriteLedger("13900139000");
        var resync = await _host.SyncAsync("ledger.source.json");
        Assert.That((resync.Succeeded, resync.Counts.New), Is.EqualTo((true, 0L)));
        Assert.That(await PoolOfAsync("ledger"), Is.EqualTo(outcome.ToPool), "a changed row of the split record stays with its own person");
        Assert.That(await PhoneOfAsync(outcome.ToPool!.Value), Is.EqualTo("13900139000"));
    }

    [Test]
    public async Task A_record_alone_in_its_person_or_missing_cannot_be_split_off()
    {
        await _decider.DetachAsync(await RecordIdAsync("ledger"), "admin");

        var alone = await _decider.DetachAsync(await RecordIdAsync("hukou"), "admin");
        Assert.That((alone.NotFound, alone.Problem), Is.EqualTo((false, $"source record {await RecordIdAsync("hukou")} is the only record of person {await PoolOfAsync("hukou")}: it is a person of its own already")));

        var missing = await _decider.DetachAsync(987654, "admin");
        Assert.That((missing.NotFound, missing.Problem), Is.EqualTo((true, "no live source record 987654")));
    }
}
