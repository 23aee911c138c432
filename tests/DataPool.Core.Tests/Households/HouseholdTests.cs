using System.Globalization;
using DataPool.Core.Households;
using DataPool.Core.Store;
using DataPool.Core.Tests.History;
using DataPool.Core.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Core.Tests.Households;

[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class HouseholdTests(string store)
{
    private PoolTestHost _host = null!;
    private ChangeWorld _world = null!;
    private HouseholdMembers Members => _host.Services.GetRequiredService<HouseholdMembers>();

    private const string Flat = "多福巷社区1号楼1单元101";
    private static readonly Resident Head = Resident.Born("1957-03-02", 1, "张三", "1000010001", "02", Flat);
    private static readonly Resident Wife = Resident.Born("1960-05-06", 2, "王丽", "1000010001", "12", Flat);
    private static readonly Resident Son = Resident.Born("1985-07-08", 3, "张强", "1000010001", "20", Flat);

    // No registration number: linked by address, whatever the spelling, within their community only.
    private static readonly Resident Tenant = Resident.Born("1990-02-03", 5, "刘租", null, "02", "多福巷社区3号楼2单元501室");
    private static readonly Resident Flatmate = Resident.Born("1992-04-05", 7, "陈合", null, "99", "多福巷社区 ３栋二门501");
    private static readonly Resident Namesake = Resident.Born("1991-06-07", 9, "周远", null, "02", "多福巷社区3号楼2单元501", ChangeWorld.OtherCommunity);

    [SetUp]
    public async Task SetUp()
    {
        _host = await PoolTestHost.CreateAsync(store);
        _world = new ChangeWorld(_host);
    }

    [TearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    [Test]
    public async Task Members_are_linked_by_household_number_head_first_with_their_relation_codes()
    {
        await _world.SyncPersonsAsync(Son, Wife, Head, Tenant);

        var members = await Members.ForHouseholdAsync("1000010001", null, CancellationToken.None);

        Assert.That(members.Select(m => (m.Name, m.RelationCode, m.IsHead)), Is.EqualTo(new[]
        {
            ("张三", "02", true), ("王丽", "12", false), ("张强", "20", false),
        }));
        Assert.That(members[0].PoolId, Is.EqualTo(await _world.PoolIdAsync("person", Head.Id)));
        Assert.That(await Members.ForHouseholdAsync("9999999999", null, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task Without_a_number_members_are_linked_by_one_address_however_it_is_written_within_one_community()
    {
        await _world.SyncPersonsAsync(Tenant, Flatmate, Namesake, Head);

        var household = await Members.ForPersonAsync(await _world.PoolIdAsync("person", Flatmate.Id), null, CancellationToken.None);

        Assert.That(household.Select(m => (m.Name, m.IsHead)), Is.EqualTo(new[] { ("刘租", true), ("陈合", false) }));
        var elsewhere = await Members.ForPersonAsync(await _world.PoolIdAsync("person", Namesake.Id), null, CancellationToken.None);
        Assert.That(elsewhere.Select(m => m.Name), Is.EqualTo(new[] { "周远" }), "the same address in another community is another flat");
    }

    [Test]
    public async Task A_membership_change_is_kept_as_history_and_answers_as_of_before_it()
    {
        await _world.SyncPersonsAsync(Head, Wife, Son);
        var beforeMove = DateTimeOffset.UtcNow;
        await _world.SyncPersonsAsync(Head, Wife, Son with { HouseholdNo = "1000010009", Relation = "02" });

        Assert.That((await Members.ForHouseholdAsync("1000010001", null, CancellationToken.None)).Select(m => m.Name), Is.EqualTo(new[] { "张三", "王丽" }));
        Assert.That((await Members.ForHouseholdAsync("1000010001", beforeMove, CancellationToken.None)).Select(m => m.Name), Is.EqualTo(new[] { "张三", "王丽", "张强" }));
        var own = await Members.ForHouseholdAsync("1000010009", null, CancellationToken.None);
        Assert.That(own.Select(m => (m.Name, m.IsHead)), Is.EqualTo(new[] { ("张强", true) }));
        Assert.That(own[0].Since, Is.GreaterThan(beforeMove));
        Assert.That(await Members.ForHouseholdAsync("1000010009", beforeMove, CancellationToken.None), Is.Empty, "his own household did not exist yet");
        var son = await _world.PoolIdAsync("person", Son.Id);
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM dp_history WHERE entity = 'person' AND pool_id = @id AND change = 'household'", ("@id", son)), Is.EqualTo(1));
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM dp_history WHERE change = 'household'"), Is.EqualTo(1), "joining at creation is no change");
    }

    [Test]
    public async Task Only_the_persons_a_run_changed_are_relinked_and_a_rebuild_restores_every_membership()
    {
        await _world.SyncPersonsAsync(Head, Wife, Son, Tenant, Flatmate);
        var memberships = await _host.CountAsync("SELECT COUNT(*) FROM dp_household_members");
        await _host.QueryAsync("DELETE FROM dp_household_members WHERE person_id <> @id", ("@id", await _world.PoolIdAsync("person", Head.Id)));

        await _world.SyncPersonsAsync(Head with { Name = "张叁" }, Wife, Son, Tenant, Flatmate);
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM dp_household_members"), Is.EqualTo(1), "an unchanged person is not looked at");

        var changed = await _host.Services.GetRequiredService<HouseholdLinker>().RebuildAsync(CancellationToken.None);

        Assert.That(changed, Is.EqualTo(memberships - 1));
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM dp_household_members WHERE to_at IS NULL"), Is.EqualTo(memberships));
        Assert.That(await _host.Services.GetRequiredService<HouseholdLinker>().RebuildAsync(CancellationToken.None), Is.Zero, "a second rebuild finds nothing to do");
    }

    [Test]
    public async Task Linking_a_batch_after_a_large_load_reads_its_persons_by_range_not_by_scanning_the_pool()
    {
        // A batch of persons was joined to the pool by hashing every person and every membership on PostgreSQL, once a
        // batch: a register's first load spent its time there, growing with the square of the pool.
        await _world.SyncPersonsAsync(Resident.Many(12_000, i => $"多福巷社区{i / 4}号楼"));
        await _host.QueryAsync("ANALYZE");
        var batch = (await _host.QueryAsync("SELECT pool_id FROM pool_person ORDER BY pool_id")).Select(r => Convert.ToInt64(r["pool_id"])).Skip(6_000).Take(200).ToArray(); // 1.7% of the pool, as a batch of 2,000 is of a register of 120,000
        var postgres = store == StoreOptions.Postgres;
        var sql = HouseholdLinker.BatchSql(_host.Database.Dialect)
            .Replace("@after", (batch[0] - 1).ToString(CultureInfo.InvariantCulture))
            .Replace("@last", batch[^1].ToString(CultureInfo.InvariantCulture))
            .Replace("@persons", postgres ? $"'{{{string.Join(",", batch)}}}'::bigint[]" : $"'[{string.Join(",", batch)}]'");

        var plan = await _host.ExplainAsync(sql);
        var rows = await _host.QueryAsync(sql);

        Assert.That(rows.Select(r => Convert.ToInt64(r["pool_id"])), Is.EqualTo(batch), "the batch's persons, each once, with their open membership");
        Assert.That(rows.Count(r => r["household_key"] is not null), Is.EqualTo(batch.Length));
        Assert.That(plan, postgres ? Does.Not.Contain("Seq Scan") : Does.Not.Match(@"\bSCAN (p|m)\b"), plan);
    }

    [Test]
    public async Task The_household_step_reads_the_runs_persons_through_the_run_index_not_every_persons_history()
    {
        // With an index on run_id alone, SQLite (no statistics) read dp_history by (entity, pool_id) for the order and
        // checked every row's run: an unchanged re-sync of a million persons read 100 MB of history, cold, for nothing.
        await _world.SyncPersonsAsync(Head, Wife, Son);
        await _world.SyncPersonsAsync(Head, Wife with { Name = "王莉" }, Son);
        var run = await _host.CountAsync("SELECT MAX(id) FROM dp_runs");
        string Bound(string sql) => sql.Replace("@run", run.ToString(CultureInfo.InvariantCulture)).Replace("@after", "0").Replace("@batch", "2000");

        var persons = await _host.QueryAsync(Bound(HouseholdLinker.RunPersonsSql));
        var plan = await _host.ExplainAsync(Bound(HouseholdLinker.RunPersonsSql));

        Assert.That(persons.Select(p => Convert.ToInt64(p["created"])), Is.EqualTo(new[] { 0L }), "the one person the run changed, not created by it");
        if (store == StoreOptions.Sqlite)
        {
            Assert.That(plan, Does.Contain("USING INDEX ix_dp_history_run_pool (run_id=? AND entity=? AND pool_id>?)"), plan);
            Assert.That(plan, Does.Not.Contain("TEMP B-TREE"), "no sort: the index gives the pool id order");
        }
    }
}
