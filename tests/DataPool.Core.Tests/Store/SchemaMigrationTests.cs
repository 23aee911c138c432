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
    public async Task A_pool_from_before_deletion_evidence_gets_its_run_and_quarantine_columns_at_start()
    {
        await using var host = await PoolTestHost.CreateAsync(store, _schemas);
        await using (var connection = await host.Database.OpenAsync())
        {
            await connection.ExecuteAsync("""
                DROP INDEX ix_dp_quarantine_key;
                ALTER TABLE dp_quarantine DROP COLUMN source_key;
                ALTER TABLE dp_quarantine DROP COLUMN seen_count;
                ALTER TABLE dp_runs DROP COLUMN deletions_confirmed;
                INSERT INTO dp_quarantine (source_id, stream, row_hash, status, raw, reasons, first_run, last_run) VALUES ('hukou', 'persons', 1, 'open', '{}', '[]', 1, 1);
                """);
        }

        await using var reopened = Reopen(host, _schemas);
        await reopened.InitialiseAsync();

        Assert.That(await host.ColumnsAsync("dp_quarantine"), Is.SupersetOf(new[] { "source_key", "seen_count" }));
        Assert.That(await host.ColumnsAsync("dp_runs"), Does.Contain("deletions_confirmed"));
        var legacy = (await host.QueryAsync("SELECT source_key, seen_count FROM dp_quarantine")).Single();
        Assert.That((legacy["source_key"], Convert.ToInt64(legacy["seen_count"])), Is.EqualTo(((object?)null, 1L)));
    }

    [Test]
    public async Task A_pool_from_before_delete_detection_in_memory_trades_the_wide_live_records_index_for_the_streams_id_order()
    {
        await using var host = await PoolTestHost.CreateAsync(store, _schemas);
        const string wide = "ix_dp_source_records_live";
        var narrow = store == StoreOptions.Sqlite ? Hashes : Stream;
        Assert.That((await host.CountAsync(Exists(wide)), await host.CountAsync(Exists(narrow))), Is.EqualTo((0L, 1L)), "a new pool");
        await using (var connection = await host.Database.OpenAsync())
        {
            await connection.ExecuteAsync($"DROP INDEX {narrow}; CREATE INDEX {wide} ON dp_source_records (source_id, stream, deleted, id, pool_id)");
        }

        await using var reopened = Reopen(host, _schemas);
        await reopened.InitialiseAsync();

        Assert.That((await host.CountAsync(Exists(wide)), await host.CountAsync(Exists(narrow))), Is.EqualTo((0L, 1L)), "a pool made before");
    }

    private const string Stream = "ix_dp_source_records_stream", Hashes = "ix_dp_source_records_hashes";

    /// <summary>A query counting the indexes named <paramref name="index"/> (0 or 1).</summary>
    private string Exists(string index) => store == StoreOptions.Sqlite
        ? $"SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = '{index}'"
        : $"SELECT count(*) FROM pg_indexes WHERE indexname = '{index}'";

    [Test]
    public Task A_pool_from_before_the_run_and_pool_history_index_trades_the_run_only_index_for_it() =>
        AssertTradedAsync("ix_dp_history_run", "dp_history (run_id)", "ix_dp_history_run_pool");

    [Test]
    public Task A_sqlite_pool_from_before_the_covering_stream_index_trades_the_id_only_index_for_it()
    {
        if (store != StoreOptions.Sqlite)
        {
            Assert.Ignore("PostgreSQL keeps the id-only stream index (SqlDialect.SourceRecordsStreamIndex)");
        }

        return AssertTradedAsync(Stream, "dp_source_records (source_id, stream, id)", Hashes);
    }

    /// <summary>A pool made with <paramref name="old"/> instead of <paramref name="replacement"/> has the replacement alone once it opens.</summary>
    /// <param name="oldColumns">The old index's table and columns, as <c>CREATE INDEX … ON</c> takes them.</param>
    private async Task AssertTradedAsync(string old, string oldColumns, string replacement)
    {
        await using var host = await PoolTestHost.CreateAsync(store, _schemas);
        await using (var connection = await host.Database.OpenAsync())
        {
            await connection.ExecuteAsync($"DROP INDEX {replacement}; CREATE INDEX {old} ON {oldColumns}");
        }

        await using var reopened = Reopen(host, _schemas);
        await reopened.InitialiseAsync();

        Assert.That((await host.CountAsync(Exists(old)), await host.CountAsync(Exists(replacement))), Is.EqualTo((0L, 1L)));
    }

    [Test]
    public async Task A_pool_from_before_reason_codes_gets_them_for_the_rows_it_holds_at_start()
    {
        await using var host = await PoolTestHost.CreateAsync(store, _schemas);
        await using (var connection = await host.Database.OpenAsync())
        {
            await connection.ExecuteAsync("""
                ALTER TABLE dp_quarantine DROP COLUMN reason_codes;
                INSERT INTO dp_quarantine (source_id, stream, row_hash, status, raw, reasons, first_run, last_run)
                VALUES ('hukou', 'persons', 1, 'open', '{}', '["id_number (身份证号): check character is ''1'', expected ''X''", "line 4 has 10 fields, the header has 11"]', 1, 1);
                """);
        }

        // The codes are the pipeline's (Sync classifies them), filled in by its initializer when the pool opens.
        await using var reopened = new PoolDatabase(host.Database.Options, SchemaCatalog.Load(_schemas), [new Core.Sync.QuarantineReasonCodes()]);
        await reopened.InitialiseAsync();

        var legacy = (await host.QueryAsync("SELECT reason_codes FROM dp_quarantine")).Single();
        Assert.That(legacy["reason_codes"], Is.EqualTo("|id_check_character|unreadable_row|"));
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
