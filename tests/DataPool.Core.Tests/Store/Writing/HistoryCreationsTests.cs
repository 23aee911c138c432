using DataPool.Core.History;
using DataPool.Core.Store;
using DataPool.Core.Store.Writing;
using DataPool.Core.Tests.History;
using DataPool.Core.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Core.Tests.Store.Writing;

/// <summary>
/// A creation in history borrows its source record's data instead of a second copy, and keeps the values it had
/// when that record later changes (or moves to another person).
/// </summary>
[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class HistoryCreationsTests(string store)
{
    private PoolTestHost _host = null!;
    private ChangeWorld _world = null!;
    private PoolHistory History => _host.Services.GetRequiredService<PoolHistory>();

    private static readonly Resident Zhang = Resident.Born("1957-03-02", 1, "张三", "1000010001", "02", "多福巷社区1号楼1单元101");
    private static readonly Resident Li = Resident.Born("1980-01-15", 2, "李四", "1000010002", "02", "多福巷社区2号楼1单元202");

    [SetUp]
    public async Task SetUp()
    {
        _host = await PoolTestHost.CreateAsync(store);
        _world = new ChangeWorld(_host);
    }

    [TearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    private Task<List<Dictionary<string, object?>>> CreationsAsync() =>
        _host.QueryAsync("SELECT pool_id, changes, record_id FROM dp_history WHERE change = 'created' ORDER BY pool_id");

    private async Task<long> RecordIdAsync(string idNumber) =>
        await _host.CountAsync("SELECT id FROM dp_source_records WHERE source_key = @key", ("@key", idNumber));

    private async Task<string> NameAtCreationAsync(long poolId) =>
        (await History.HistoryAsync("person", poolId, CancellationToken.None)).Single(h => h.Change == "created").Changes["name"].New!;

    [Test]
    public async Task A_creation_names_its_record_instead_of_repeating_its_data()
    {
        await _world.SyncPersonsAsync(Zhang, Li);

        var creations = await CreationsAsync();
        Assert.That(creations.Select(c => c["changes"]), Is.All.EqualTo(""), "no second copy of the person's values");
        Assert.That(creations.Select(c => Convert.ToInt64(c["record_id"])),
            Is.EqualTo(new[] { await RecordIdAsync(Zhang.Id), await RecordIdAsync(Li.Id) }));
        var zhang = await _world.PoolIdAsync("person", Zhang.Id);
        var created = (await History.HistoryAsync("person", zhang, CancellationToken.None)).Single();
        Assert.That((created.Changes["name"].New, created.Changes["birth_date"].New, created.Changes["address"].New),
            Is.EqualTo(("张三", "1957-03-02", Zhang.Address)));
    }

    [Test]
    public async Task A_creation_keeps_its_values_when_its_record_changes_and_the_others_still_borrow()
    {
        await _world.SyncPersonsAsync(Zhang, Li);
        var zhang = await _world.PoolIdAsync("person", Zhang.Id);
        var before = await _host.QueryAsync("SELECT data FROM dp_source_records WHERE source_key = @key", ("@key", Zhang.Id));

        await _world.SyncPersonsAsync(Zhang with { Name = "张叁" }, Li);

        var creations = await CreationsAsync();
        var kept = creations.Single(c => Convert.ToInt64(c["pool_id"]) == zhang);
        Assert.That((kept["changes"], kept["record_id"]), Is.EqualTo((before.Single()["data"], (object?)null)),
            "the changed record's old data was copied into its creation");
        var li = creations.Single(c => Convert.ToInt64(c["pool_id"]) != zhang);
        Assert.That((li["changes"], Convert.ToInt64(li["record_id"])), Is.EqualTo(("", await RecordIdAsync(Li.Id))), "an unchanged record is still borrowed");
        Assert.That(await NameAtCreationAsync(zhang), Is.EqualTo("张三"));
        var feed = await _host.Services.GetRequiredService<ChangeFeed>().ReadAsync(new ChangeQuery("person", 0, 50), CancellationToken.None);
        Assert.That(feed.Items.Where(i => i.Id == zhang).Select(i => (i.Type, i.Changes["name"].New)).First(),
            Is.EqualTo(("created", "张三")), "the change feed tells the creation as it was");

        await _world.SyncPersonsAsync(Zhang with { Name = "张珊" }, Li);

        Assert.That(await NameAtCreationAsync(zhang), Is.EqualTo("张三"), "a second change leaves the kept creation alone");
        var names = (await History.HistoryAsync("person", zhang, CancellationToken.None)).Where(h => h.Change == "updated").Select(h => h.Changes["name"]);
        Assert.That(names, Is.EqualTo(new[] { new FieldChange("张三", "张叁"), new FieldChange("张叁", "张珊") }));
    }

    [Test]
    public async Task A_record_moved_to_a_new_pool_record_leaves_the_old_creation_as_it_was()
    {
        // A roster keyed by its own case number: a corrected ID number moves the case to another pool record.
        void WriteRoster(string idNumber) => _host.WriteFile("roster.csv", $"案号,身份证号,救助类别,状态\n7,{idNumber},1,1\n");
        _host.WriteFile("roster.source.json", """
            {
              "id": "roster", "name": "低保系统", "department": "civil-affairs", "kind": "csv",
              "settings": { "path": "roster.csv" }, "priority": 10, "maxDeleteShare": 1,
              "streams": [{
                "name": "cases", "entity": "social_assistance", "key": ["案号"], "mode": "full",
                "fields": {
                  "id_number": { "from": "身份证号", "parse": "id_number" },
                  "assistance_type": { "from": "救助类别" },
                  "status": { "from": "状态" }
                }
              }]
            }
            """);
        WriteRoster(Zhang.Id);
        Assert.That((await _host.SyncAsync("roster.source.json")).Succeeded, Is.True);
        var first = await _world.PoolIdAsync("social_assistance", Zhang.Id);

        WriteRoster(Li.Id);
        var moved = await _host.SyncAsync("roster.source.json");

        Assert.That(moved.Succeeded, Is.True, moved.Error);
        var second = await _world.PoolIdAsync("social_assistance", Li.Id);
        Assert.That(second, Is.Not.EqualTo(first));
        async Task<string?> CreatedWith(long pool) =>
            (await History.HistoryAsync("social_assistance", pool, CancellationToken.None)).First(h => h.Change == "created").Changes["id_number"].New;
        Assert.That(await CreatedWith(first), Is.EqualTo(Zhang.Id), "the first record was created with the old ID number");
        Assert.That(await CreatedWith(second), Is.EqualTo(Li.Id), "the new record borrows the case's new data");
    }

    [Test]
    public async Task A_change_after_a_large_load_finds_the_creations_it_keeps_by_index_not_by_walking_the_history()
    {
        // Past 10,000 records a load refreshes the planner's statistics (PostgreSQL). They once left record_id out, and
        // each flush of a later re-sync walked the whole history to find the creations to keep.
        await _world.SyncPersonsAsync(Resident.Many(12_000, _ => "多福巷社区1号楼"));
        var ids = (await _host.QueryAsync("SELECT id FROM dp_source_records ORDER BY id")).Select(r => Convert.ToInt64(r["id"])).Where((_, i) => i % 60 == 0).ToArray();

        var plan = await _host.ExplainAsync(store == StoreOptions.Postgres
            ? HistoryCreations.KeepManySql.Replace("@ids", $"'{{{string.Join(",", ids)}}}'::bigint[]")
            : HistoryCreations.KeepSql.Replace("@id", ids[0].ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.That(ids, Has.Length.EqualTo(200));
        Assert.That(plan, Does.Contain("ix_dp_history_record"), plan);
    }

    [Test]
    public async Task An_older_pool_gets_the_record_column_and_reads_its_own_creations_as_before()
    {
        await using (var connection = await _host.Database.OpenAsync())
        {
            await connection.ExecuteAsync("DROP INDEX ix_dp_history_record", null, CancellationToken.None);
            await connection.ExecuteAsync("ALTER TABLE dp_history DROP COLUMN record_id", null, CancellationToken.None);
            await connection.ExecuteAsync(
                "INSERT INTO dp_history (entity, pool_id, change, changes, run_id, at) VALUES ('person', 900, 'created', '{\"name\":\"旧人\"}', NULL, '2024-01-01T00:00:00+00:00')",
                null, CancellationToken.None);
        }

        await _host.Database.InitialiseAsync();
        await _world.SyncPersonsAsync(Zhang);

        Assert.That(await _host.ColumnsAsync("dp_history"), Does.Contain("record_id"));
        Assert.That(await NameAtCreationAsync(900), Is.EqualTo("旧人"));
        Assert.That(await NameAtCreationAsync(await _world.PoolIdAsync("person", Zhang.Id)), Is.EqualTo("张三"));
        Assert.That((await CreationsAsync()).Count(c => c["record_id"] is not null), Is.EqualTo(1));
    }
}
