using DataPool.Abstractions;
using DataPool.Core.Store.Writing;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using DataPool.Core.Tests.Support;
using DataPool.Core.Values;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataPool.Core.Tests.Sync;

/// <summary>
/// U+202E (right-to-left override) and the C0 controls in a name never reach a golden record: stripped by default,
/// with the source record's flags saying so, or, with <c>DataPool:Text:ControlCharacters = reject</c>, the row
/// quarantined with a reason naming the field and the character.
/// </summary>
[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class ControlCharacterSyncTests(string store)
{
    private static readonly string Reversed = Residents.Id("19570302", 1);
    private static readonly string Controlled = Residents.Id("19800115", 2);
    private PoolTestHost _host = null!;

    [SetUp]
    public async Task SetUp()
    {
        _host = await PoolTestHost.CreateAsync(store);
        // Through a SQL source: a CSV with NUL bytes is refused as a binary file before any row is read.
        var controls = string.Concat(Enumerable.Range(0, 0x20).Select(c => (char)c));
        await using (var legacy = new SqliteConnection($"Data Source={Path.Combine(_host.Root, "legacy.db")};Pooling=False"))
        {
            await legacy.OpenAsync();
            await using var command = legacy.CreateCommand();
            command.CommandText = "CREATE TABLE persons (id TEXT, name TEXT); INSERT INTO persons VALUES ($a, $an), ($b, $bn)";
            command.Parameters.AddWithValue("$a", Reversed);
            command.Parameters.AddWithValue("$an", "张\u202E三");
            command.Parameters.AddWithValue("$b", Controlled);
            command.Parameters.AddWithValue("$bn", $"李{controls}四");
            await command.ExecuteNonQueryAsync();
        }

        _host.WriteFile("hukou.source.json", """
            {
              "id": "hukou", "name": "hukou", "department": "public-security", "kind": "sql",
              "settings": { "provider": "sqlite", "connection": "Data Source=legacy.db" }, "priority": 10,
              "streams": [{ "name": "persons", "entity": "person", "key": ["id"], "settings": { "table": "persons" },
                "fields": { "id_number": { "from": "id" }, "name": { "from": "name" } } }]
            }
            """);
    }

    [TearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    [Test]
    public async Task Control_and_bidi_characters_in_a_name_are_stripped_and_the_record_says_so()
    {
        var result = await _host.SyncAsync("hukou.source.json");

        Assert.That(result.Succeeded, Is.True, result.Error);
        var names = (await _host.QueryAsync("SELECT id_number, name FROM pool_person")).ToDictionary(r => (string)r["id_number"]!, r => (string?)r["name"]);
        Assert.That(names[Reversed], Is.EqualTo("张三"));
        Assert.That(names[Controlled], Is.EqualTo("李 四"), "the tab becomes a space like any whitespace; every other control goes");
        var flags = (await _host.QueryAsync("SELECT source_key, flags FROM dp_source_records")).ToDictionary(r => (string)r["source_key"]!, r => (string?)r["flags"]);
        Assert.That(flags[Reversed], Does.Contain("name").And.Contain("U+202E").And.Contain("stripped"));
        Assert.That(flags[Controlled], Does.Contain("U+0000").And.Contain("U+001F"));
    }

    [Test]
    public async Task With_reject_the_row_is_quarantined_naming_the_field_and_the_character()
    {
        var source = _host.Services.GetRequiredService<SourceDefinitionLoader>().Load(Path.Combine(_host.Root, "hukou.source.json"));
        await _host.Services.GetRequiredService<SourceRegistry>().UpsertAsync(source);
        var runner = new SyncRunner(_host.Database, _host.Services.GetRequiredService<SourceRegistry>(), _host.Services.GetServices<IConnector>(),
            NullLogger<SyncRunner>.Instance, _host.Services.GetRequiredService<PoolWriting>(), _host.Services.GetServices<EntityLinking>(),
            new TextOptions(ControlCharacterPolicy.Reject));

        var result = await runner.RunAsync("hukou");

        Assert.That(result.Succeeded, Is.True, result.Error);
        Assert.That(result.Counts.Quarantined, Is.EqualTo(2));
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM pool_person"), Is.Zero);
        var reasons = (await _host.QueryAsync("SELECT reasons FROM dp_quarantine")).Select(r => (string)r["reasons"]!).ToList();
        Assert.That(reasons.Count(r => r.Contains("name (name)") && r.Contains("U+202E")), Is.EqualTo(1), string.Join("\n", reasons));
        Assert.That(reasons.Count(r => r.Contains("name (name)") && r.Contains("U+0000") && r.Contains("U+001F")), Is.EqualTo(1), string.Join("\n", reasons));
    }
}
