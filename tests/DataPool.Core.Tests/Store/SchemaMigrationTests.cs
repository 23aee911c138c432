using System.Text.Json.Nodes;
using DataPool.Core.Schema;
using DataPool.Core.Store;
using DataPool.Core.Tests.Support;

namespace DataPool.Core.Tests.Store;

[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class SchemaMigrationTests(string store)
{
    private string _schemas = null!;

    [SetUp]
    public void CopySchemas()
    {
        _schemas = Path.Combine(Path.GetTempPath(), "datapool-tests", "schemas-" + Guid.NewGuid().ToString("N"));
        foreach (var file in Directory.EnumerateFiles(SchemaCatalog.Locate(), "*.json", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_schemas, Path.GetRelativePath(SchemaCatalog.Locate(), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    [TearDown]
    public void Remove() => Directory.Delete(_schemas, recursive: true);

    private void EditPerson(Action<JsonObject> edit)
    {
        var file = Path.Combine(_schemas, "pool", "person.json");
        var person = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        edit(person["fields"]!.AsObject());
        File.WriteAllText(file, person.ToJsonString());
    }

    private static PoolDatabase Reopen(PoolTestHost host, string schemas) =>
        new(host.Database.Options, SchemaCatalog.Load(schemas));


    [Test]
    public async Task Every_entity_gets_a_table_with_its_fields()
    {
        await using var host = await PoolTestHost.CreateAsync(store, _schemas);

        foreach (var entity in host.Database.Catalog.Entities.Values)
        {
            var columns = await host.ColumnsAsync(EntityTables.TableName(entity.Name));
            Assert.That(columns, Is.SupersetOf(entity.Fields.Keys), entity.Name);
        }
    }

    [Test]
    public async Task An_added_field_migrates_itself()
    {
        await using var host = await PoolTestHost.CreateAsync(store, _schemas);
        EditPerson(fields => fields["wechat"] = JsonNode.Parse("""{ "type": "string", "pii": "personal", "labels": { "zh": "微信", "en": "WeChat" } }"""));

        await Reopen(host, _schemas).InitialiseAsync();

        var columns = await host.ColumnsAsync("pool_person");
        Assert.That(columns, Does.Contain("wechat"));
    }

    [Test]
    public async Task A_changed_field_type_is_refused_naming_the_field()
    {
        await using var host = await PoolTestHost.CreateAsync(store, _schemas);
        EditPerson(fields => fields["birth_date"]!["type"] = "string");

        var error = Assert.ThrowsAsync<SchemaException>(() => Reopen(host, _schemas).InitialiseAsync());

        Assert.That(error!.Message, Does.Contain("person.birth_date").And.Contain("'date' to 'string'"));
    }

    [Test]
    public async Task A_removed_field_is_refused_naming_the_field_and_nothing_changes()
    {
        await using var host = await PoolTestHost.CreateAsync(store, _schemas);
        EditPerson(fields =>
        {
            fields.Remove("phone");
            fields["wechat"] = JsonNode.Parse("""{ "type": "string", "labels": { "zh": "微信", "en": "WeChat" } }""");
        });

        var error = Assert.ThrowsAsync<SchemaException>(() => Reopen(host, _schemas).InitialiseAsync());

        Assert.That(error!.Message, Does.Contain("person.phone").And.Contain("removed"));
        var columns = await host.ColumnsAsync("pool_person");
        Assert.That(columns, Does.Contain("phone").And.Not.Contain("wechat"), "a refused migration applies nothing");
    }
}
