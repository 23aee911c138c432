using DataPool.Core.Sync;
using DataPool.Core.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Core.Tests.Sync;

[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class ExplainTests(string store)
{
    private PoolTestHost _host = null!;
    private static readonly string Resident = Residents.Id("19570302", 1);

    [SetUp]
    public async Task SetUp() => _host = await PoolTestHost.CreateAsync(store);

    [TearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    private void WriteSource(string id, int priority, string name)
    {
        _host.WriteFile($"{id}.csv", $"id,name\n{Resident},{name}\n");
        _host.WriteFile($"{id}.source.json", $$"""
            { "id": "{{id}}", "name": "{{id}}", "department": "public-security", "kind": "csv", "settings": { "path": "{{id}}.csv" }, "priority": {{priority}},
              "streams": [{ "name": "persons", "entity": "person", "key": ["id"], "fields": { "id_number": { "from": "id" }, "name": { "from": "name" } } }] }
            """);
    }

    [Test]
    public async Task Explain_names_the_winning_source_row_and_the_competing_value_of_a_conflict()
    {
        WriteSource("hukou", 10, "张三");
        WriteSource("ledger", 1, "張三");
        var hukou = await _host.SyncAsync("hukou.source.json");
        await _host.SyncAsync("ledger.source.json");
        var poolId = await _host.CountAsync("SELECT pool_id FROM pool_person");

        var explanation = await _host.Services.GetRequiredService<PoolExplainer>().ExplainAsync("person", poolId);

        var name = explanation!.Fields.Single(f => f.Field == "name");
        Assert.That(name.Value, Is.EqualTo("张三"));
        Assert.That(name.Survivorship, Is.EqualTo("priority"));
        Assert.That((name.From!.SourceId, name.From.Stream, name.From.Location, name.From.RunId), Is.EqualTo(("hukou", "persons", "hukou.csv line 2", hukou.RunId)));
        Assert.That(name.From.At, Is.Not.Null);
        Assert.That(name.Competing.Select(c => (c.Value, c.SourceId, c.Location)), Is.EqualTo(new[] { ("張三", "ledger", "ledger.csv line 2") }));
        var id = explanation.Fields.Single(f => f.Field == "id_number");
        Assert.That(id.Competing, Is.Empty, "both sources agree on the ID number");
    }

    [Test]
    public async Task Explain_of_an_unknown_record_is_null()
    {
        Assert.That(await _host.Services.GetRequiredService<PoolExplainer>().ExplainAsync("person", 424242), Is.Null);
    }
}
