using DataPool.Core.Store;
using DataPool.Core.Tests.Support;

namespace DataPool.Core.Tests.Sync;

[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class PipelineTests(string store)
{
    private PoolTestHost _host = null!;

    private static readonly string A = Residents.Id("19570302", 1);
    private static readonly string B = Residents.Id("19800115", 2);
    private static readonly string C = Residents.Id("20010630", 13);

    [SetUp]
    public async Task SetUp() => _host = await PoolTestHost.CreateAsync(store);

    [TearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    private void WriteHukou(params string[] rows)
    {
        _host.WriteFile("persons.csv", "户籍人口登记表（测试）\n身份证号,姓名,性别,出生日期,电话\n" + string.Join("\n", rows) + "\n", "GB18030");
        _host.WriteFile("hukou.source.json", HukouDefinitions.CsvSource(headerRow: 2, priority: 10));
    }

    private static string Row(string id, string name, string birth, int sequence, string phone = "13800138000") =>
        $"{id},{name},{Residents.Gender(sequence)},{birth},{phone}";

    [Test]
    public async Task First_sync_creates_every_valid_row_and_reconciles()
    {
        WriteHukou(Row(A, "张三", "1957/3/2", 1), Row(B, "李四", "19800115", 2), Row(C, "王五", "2001年6月30日", 13));

        var result = await _host.SyncAsync("hukou.source.json");

        Assert.That(result.Succeeded, Is.True, result.Error);
        Assert.That(result.SummaryLine, Is.EqualTo("hukou: read=3 accepted=3 quarantined=0 new=3 updated=0 unchanged=0 deleted=0"));
        var people = await _host.QueryAsync("SELECT id_number, name, gender, birth_date FROM pool_person ORDER BY birth_date");
        Assert.That(people.Select(p => p["birth_date"]), Is.EqualTo(new[] { "1957-03-02", "1980-01-15", "2001-06-30" }));
        Assert.That(people.Select(p => p["gender"]), Is.EqualTo(new[] { "1", "2", "1" }));
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM dp_history WHERE change = 'created'"), Is.EqualTo(3));
    }

    [Test]
    public async Task Second_sync_of_the_same_file_reports_every_row_unchanged_and_writes_nothing()
    {
        WriteHukou(Row(A, "张三", "1957-03-02", 1), Row(B, "李四", "1980-01-15", 2), "bad,row,男,1957-02-30,1");
        await _host.SyncAsync("hukou.source.json");
        var historyBefore = await _host.CountAsync("SELECT COUNT(*) FROM dp_history");

        var again = await _host.SyncAsync("hukou.source.json");

        Assert.That(again.SummaryLine, Is.EqualTo("hukou: read=3 accepted=2 quarantined=1 new=0 updated=0 unchanged=2 deleted=0"));
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM dp_history"), Is.EqualTo(historyBefore));
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM dp_quarantine"), Is.EqualTo(1), "a re-run does not duplicate quarantined rows");
    }

    [Test]
    public async Task A_bad_row_is_quarantined_with_every_reason_and_the_raw_row()
    {
        var wrongCheck = A[..17] + (A[17] == '1' ? '2' : '1');
        WriteHukou(Row(B, "李四", "1980-01-15", 2), $"{wrongCheck},张三,未知x,1957-02-30,13800138000");

        var result = await _host.SyncAsync("hukou.source.json");

        Assert.That(result.Counts.Quarantined, Is.EqualTo(1));
        var bad = (await _host.QueryAsync("SELECT location, raw, reasons FROM dp_quarantine")).Single();
        Assert.That(bad["location"], Is.EqualTo("persons.csv line 4"));
        Assert.That(bad["raw"], Does.Contain(wrongCheck).And.Contain("未知x"));
        var reasons = (string)bad["reasons"]!;
        Assert.That(reasons, Does.Contain("id_number (身份证号)").And.Contain("check character"));
        Assert.That(reasons, Does.Contain("gender (性别)").And.Contain("未知x"));
        Assert.That(reasons, Does.Contain("birth_date (出生日期)").And.Contain("1957-02-30"));
    }

    [Test]
    public async Task Birth_date_and_gender_must_agree_with_the_id_number()
    {
        WriteHukou($"{A},张三,女,1957-03-02,13800138000", $"{B},李四,女,1980-01-16,13800138000");

        var result = await _host.SyncAsync("hukou.source.json");

        Assert.That(result.Counts.Quarantined, Is.EqualTo(2));
        var reasons = string.Join("\n", (await _host.QueryAsync("SELECT reasons FROM dp_quarantine ORDER BY row_number")).Select(r => r["reasons"]));
        Assert.That(reasons, Does.Contain("gender (性别): '女' disagrees with the ID number"));
        Assert.That(reasons, Does.Contain("birth_date (出生日期): 1980-01-16 disagrees with the ID number, which says 1980-01-15"));
    }

    [Test]
    public async Task An_invalid_value_mapped_with_onInvalid_flag_is_kept_flagged_and_the_row_goes_on()
    {
        WriteHukou(Row(A, "张三", "1957-03-02", 1, phone: "12345"));

        var result = await _host.SyncAsync("hukou.source.json");

        Assert.That(result.Counts.New, Is.EqualTo(1));
        var person = (await _host.QueryAsync("SELECT phone FROM pool_person")).Single();
        Assert.That(person["phone"], Is.Null, "a flagged value is not used");
        var record = (await _host.QueryAsync("SELECT flags FROM dp_source_records")).Single();
        Assert.That(record["flags"], Does.Contain("\"Raw\":\"12345\""));
    }

    [Test]
    public async Task Dirty_id_forms_link_to_the_same_person()
    {
        var fifteen = A[..6] + A[8..17];
        var fullWidth = string.Concat(B.Select(c => (char)(c + 0xFEE0)));
        WriteHukou(Row(fifteen, "张三", "1957-03-02", 1), Row(fullWidth, "李四", "1980-01-15", 2));

        var result = await _host.SyncAsync("hukou.source.json");

        Assert.That(result.Counts.New, Is.EqualTo(2), result.Error);
        var ids = (await _host.QueryAsync("SELECT id_number FROM pool_person ORDER BY id_number")).Select(r => r["id_number"]);
        Assert.That(ids, Is.EquivalentTo(new[] { A, B }));
    }

    [Test]
    public async Task A_changed_row_updates_the_pool_and_records_history()
    {
        WriteHukou(Row(A, "张三", "1957-03-02", 1));
        await _host.SyncAsync("hukou.source.json");
        WriteHukou(Row(A, "张叁", "1957-03-02", 1));

        var result = await _host.SyncAsync("hukou.source.json");

        Assert.That(result.SummaryLine, Is.EqualTo("hukou: read=1 accepted=1 quarantined=0 new=0 updated=1 unchanged=0 deleted=0"));
        var change = (await _host.QueryAsync("SELECT changes, run_id FROM dp_history WHERE change = 'updated'")).Single();
        Assert.That(change["changes"], Is.EqualTo("{\"name\":[\"张三\",\"张叁\"]}"));
        Assert.That(change["run_id"], Is.EqualTo(result.RunId));
    }

    [Test]
    public async Task A_row_gone_from_a_full_stream_is_detected_as_deleted_and_can_come_back()
    {
        WriteHukou(Row(A, "张三", "1957-03-02", 1), Row(B, "李四", "1980-01-15", 2));
        await _host.SyncAsync("hukou.source.json");

        WriteHukou(Row(A, "张三", "1957-03-02", 1));
        // One of two is past any sensible share: the admin confirms (see DeletionEvidenceTests).
        var deleted = await _host.SyncAsync("hukou.source.json", confirmDeletions: true);

        Assert.That(deleted.SummaryLine, Is.EqualTo("hukou: read=1 accepted=1 quarantined=0 new=0 updated=0 unchanged=1 deleted=1"));
        Assert.That(await _host.CountAsync("SELECT _deleted FROM pool_person WHERE id_number = @id", ("@id", B)), Is.EqualTo(1));
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM dp_history WHERE change = 'deleted'"), Is.EqualTo(1));

        WriteHukou(Row(A, "张三", "1957-03-02", 1), Row(B, "李四", "1980-01-15", 2));
        var back = await _host.SyncAsync("hukou.source.json");

        Assert.That(back.Counts.Updated, Is.EqualTo(1));
        Assert.That(await _host.CountAsync("SELECT _deleted FROM pool_person WHERE id_number = @id", ("@id", B)), Is.EqualTo(0));
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM pool_person"), Is.EqualTo(2), "the same pool record came back, no new one");
    }

    [Test]
    public async Task A_duplicate_key_with_other_values_is_quarantined_and_an_exact_duplicate_is_harmless()
    {
        WriteHukou(Row(A, "张三", "1957-03-02", 1), Row(A, "张三", "1957-03-02", 1), Row(A, "张三丰", "1957-03-02", 1));

        var result = await _host.SyncAsync("hukou.source.json");

        Assert.That(result.SummaryLine, Is.EqualTo("hukou: read=3 accepted=2 quarantined=1 new=1 updated=0 unchanged=1 deleted=0"));
        Assert.That((await _host.QueryAsync("SELECT reasons FROM dp_quarantine")).Single()["reasons"], Does.Contain("duplicate key"));
    }

    [Test]
    public async Task A_file_in_the_wrong_encoding_fails_the_run_and_changes_nothing()
    {
        WriteHukou(Row(A, "张三", "1957-03-02", 1));
        await _host.SyncAsync("hukou.source.json");
        _host.WriteFile("persons.csv", "户籍人口登记表\n身份证号,姓名,性别,出生日期,电话\n" + Row(B, "李四", "1980-01-15", 2) + "\n", "utf-8");

        var result = await _host.SyncAsync("hukou.source.json");

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Error, Does.Contain("persons.csv"));
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM pool_person"), Is.EqualTo(1));
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM dp_source_records WHERE deleted = 0"), Is.EqualTo(1));
        var run = (await _host.QueryAsync("SELECT status, error FROM dp_runs WHERE id = @id", ("@id", result.RunId))).Single();
        Assert.That(run["status"], Is.EqualTo("failed"));
    }

    [Test]
    public async Task A_lost_column_fails_the_run_naming_the_column()
    {
        _host.WriteFile("persons.csv", "户籍人口登记表\n身份证号,姓名,性别,出生年月,电话\n" + Row(A, "张三", "1957-03-02", 1) + "\n", "GB18030");
        WriteHukouDefinitionOnly();

        var result = await _host.SyncAsync("hukou.source.json");

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Error, Does.Contain("'出生日期'").And.Contain("not found"));
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM pool_person"), Is.EqualTo(0));
    }

    [Test]
    public async Task An_empty_export_of_a_full_stream_is_refused_instead_of_deleting_everyone()
    {
        WriteHukou(Row(A, "张三", "1957-03-02", 1));
        await _host.SyncAsync("hukou.source.json");
        WriteHukou();

        var result = await _host.SyncAsync("hukou.source.json");

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Error, Does.Contain("no rows"));
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM pool_person WHERE _deleted = 0"), Is.EqualTo(1));
    }

    [Test]
    public async Task Only_one_sync_of_a_source_runs_at_a_time()
    {
        WriteHukou(Row(A, "张三", "1957-03-02", 1));
        await _host.SyncAsync("hukou.source.json");
        // Another node holds the source: a running run and its lock (a lock row on SQLite, an advisory lock on PostgreSQL).
        await using var other = await _host.Database.OpenAsync();
        var running = await other.ScalarAsync<long>("INSERT INTO dp_runs (source_id, status, started_at) VALUES ('hukou', 'running', '2026-01-01') RETURNING id");
        if (store == StoreOptions.Postgres)
        {
            await other.ExecuteAsync("SELECT pg_advisory_lock(hashtext('sync:hukou'))");
        }
        else
        {
            await other.ExecuteAsync("INSERT INTO dp_locks (name, owner, run_id, acquired_at) VALUES ('sync:hukou', 'another-node:4242', @run, '2026-01-01')", parameters: ("@run", running));
        }

        var result = await _host.SyncAsync("hukou.source.json");

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Error, Does.Contain($"already being synced by run {running}"));
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM dp_runs WHERE status = 'running'"), Is.EqualTo(1), "the holder's run is left alone");
    }

    [Test]
    public async Task A_run_abandoned_by_a_dead_node_is_closed_by_the_next_run()
    {
        WriteHukou(Row(A, "张三", "1957-03-02", 1));
        long abandoned;
        await using (var connection = await _host.Database.OpenAsync())
        {
            abandoned = await connection.ScalarAsync<long>("INSERT INTO dp_runs (source_id, status, started_at) VALUES ('hukou', 'running', '2026-01-01') RETURNING id");
        }

        var result = await _host.SyncAsync("hukou.source.json");

        Assert.That(result.Succeeded, Is.True, result.Error);
        var run = (await _host.QueryAsync("SELECT status, error FROM dp_runs WHERE id = @id", ("@id", abandoned))).Single();
        Assert.That(run["status"], Is.EqualTo("failed"));
        Assert.That(run["error"], Does.Contain("abandoned"));
    }

    private void WriteHukouDefinitionOnly()
    {
        var csv = File.ReadAllBytes(Path.Combine(_host.Root, "persons.csv"));
        WriteHukou();
        File.WriteAllBytes(Path.Combine(_host.Root, "persons.csv"), csv);
    }
}
