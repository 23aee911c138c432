using DataPool.Core.Tests.Support;

namespace DataPool.Core.Tests.Sync;

[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class SurvivorshipTests(string store)
{
    private PoolTestHost _host = null!;
    private static readonly string Resident = Residents.Id("19570302", 1);

    [SetUp]
    public async Task SetUp() => _host = await PoolTestHost.CreateAsync(store);

    [TearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    private void WriteSource(string id, int priority, string department, string name, string phone, string address)
    {
        _host.WriteFile($"{id}.csv", $"id,name,phone,address\n{Resident},{name},{phone},{address}\n");
        _host.WriteFile($"{id}.source.json", $$"""
            {
              "id": "{{id}}", "name": "{{id}}", "department": "{{department}}", "kind": "csv",
              "settings": { "path": "{{id}}.csv" }, "priority": {{priority}},
              "streams": [{ "name": "persons", "entity": "person", "key": ["id"],
                "fields": { "id_number": { "from": "id" }, "name": { "from": "name" }, "phone": { "from": "phone" }, "address": { "from": "address" } } }]
            }
            """);
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task The_higher_priority_source_wins_whatever_order_the_sources_sync_in(bool highFirst)
    {
        WriteSource("hukou", 10, "public-security", "张三", "13800138000", "东城区1号");
        WriteSource("ledger", 1, "community", "張三", "13900139000", "东城区和平里街道1号楼2单元");
        foreach (var id in highFirst ? new[] { "hukou", "ledger" } : ["ledger", "hukou"])
        {
            var result = await _host.SyncAsync($"{id}.source.json");
            Assert.That(result.Succeeded, Is.True, result.Error);
        }

        var person = (await _host.QueryAsync("SELECT name, phone, address, _provenance FROM pool_person")).Single();
        Assert.That(person["name"], Is.EqualTo("张三"), "name: priority — the household register outranks the ledger");
        Assert.That(person["phone"], Is.EqualTo(highFirst ? "13900139000" : "13800138000"), "phone: recent — the source that changed it last");
        Assert.That(person["address"], Is.EqualTo("东城区和平里街道1号楼2单元"), "address: complete — the fullest value");
        var hukouRecord = await _host.CountAsync("SELECT id FROM dp_source_records WHERE source_id = 'hukou'");
        Assert.That(person["_provenance"], Does.Contain($"\"name\":{hukouRecord}"), "provenance names the source record that supplied the value");
    }

    [Test]
    public async Task Deleting_the_winning_source_record_falls_back_to_the_next_source()
    {
        WriteSource("hukou", 10, "public-security", "张三", "13800138000", "东城区1号");
        WriteSource("ledger", 1, "community", "張三", "13900139000", "东城区2号");
        await _host.SyncAsync("hukou.source.json");
        await _host.SyncAsync("ledger.source.json");
        Assert.That((await _host.QueryAsync("SELECT name FROM pool_person")).Single()["name"], Is.EqualTo("张三"));

        _host.WriteFile("hukou.csv", $"id,name,phone,address\n{Residents.Id("19800115", 2)},李四,13800138000,东城区3号\n");
        var result = await _host.SyncAsync("hukou.source.json", confirmDeletions: true); // the one resident of a one-row export

        Assert.That(result.Counts.Deleted, Is.EqualTo(1));
        var person = (await _host.QueryAsync("SELECT name, _deleted FROM pool_person WHERE id_number = @id", ("@id", Resident))).Single();
        Assert.That(person["name"], Is.EqualTo("張三"));
        Assert.That(person["_deleted"], Is.EqualTo(0L), "the ledger still holds the resident");
    }
}
