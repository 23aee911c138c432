using DataPool.Core.Access;
using DataPool.Core.Store;
using DataPool.Core.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Core.Tests.Access;

/// <summary>The audit log on both stores: one row per record read, written in batches, read back per resident.</summary>
[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class AccessLogTests(string store)
{
    private PoolTestHost _host = null!;

    [SetUp]
    public async Task Create() => _host = await PoolTestHost.CreateAsync(store);

    [TearDown]
    public async Task Dispose() => await _host.DisposeAsync();

    [Test]
    public async Task A_large_read_writes_one_entry_per_record()
    {
        var access = _host.Services.GetRequiredService<IPoolAccess>();
        var viewer = new Viewer("analyst-1", PoolAccess.AnalystRole, "civil-affairs", null);
        var ids = Enumerable.Range(1, AccessLog.Batch * 2 + 17).Select(i => (long)i).ToList();
        await access.AuditedViewOf(viewer, "person").AuditAsync(ids, ["id_number", "name"], "export csv", default);

        Assert.That(await _host.CountAsync("SELECT count(*) FROM dp_access_log WHERE viewer = 'analyst-1' AND entity = 'person'"), Is.EqualTo(ids.Count));
        Assert.That(await _host.CountAsync("SELECT count(DISTINCT pool_id) FROM dp_access_log"), Is.EqualTo(ids.Count));
        var row = (await _host.QueryAsync("SELECT role, department, fields, purpose FROM dp_access_log WHERE pool_id = 42")).Single();
        Assert.That(row.Values.Select(v => v?.ToString()), Is.EqualTo(new[] { "analyst", "civil-affairs", "id_number,name", "export csv" }));
    }

    [Test]
    public async Task Concurrent_reads_written_in_one_batch_each_keep_their_own_viewer_fields_and_purpose()
    {
        // 200 readers at once: the group commit writes their entries together, and no row may take another's who or why.
        var access = _host.Services.GetRequiredService<IPoolAccess>();
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() =>
        {
            var viewer = new Viewer($"reader-{i}", PoolAccess.AnalystRole, i % 2 == 0 ? "civil-affairs" : "health", null);
            return access.AuditedViewOf(viewer, "person").AuditAsync([i * 10L, i * 10L + 1], i % 3 == 0 ? ["name"] : ["name", "phone"], $"lookup {i}", default);
        })));

        var rows = await _host.QueryAsync("SELECT viewer, department, pool_id, fields, purpose FROM dp_access_log");
        Assert.That(rows, Has.Count.EqualTo(400));
        Assert.That(rows.Select(r =>
        {
            var i = int.Parse(((string)r["viewer"]!)["reader-".Length..], System.Globalization.CultureInfo.InvariantCulture);
            return (string?)r["department"] == (i % 2 == 0 ? "civil-affairs" : "health")
                && Convert.ToInt64(r["pool_id"]) / 10 == i
                && (string?)r["fields"] == (i % 3 == 0 ? "name" : "name,phone")
                && (string?)r["purpose"] == $"lookup {i}";
        }), Is.All.True);
    }

    [Test]
    public async Task Reads_of_no_personal_data_are_not_logged()
    {
        var access = _host.Services.GetRequiredService<IPoolAccess>();
        await access.AuditedViewOf(new Viewer("w", PoolAccess.WorkerRole, null, "110101001001"), "community").AuditAsync([1, 2], ["name", "office_phone"], "query", default);
        Assert.That(await _host.CountAsync("SELECT count(*) FROM dp_access_log"), Is.Zero);
    }

    [Test]
    public async Task A_residents_log_gathers_reads_of_every_record_keyed_by_their_id_number()
    {
        const string id = "110101195703020015";
        await using (var connection = await _host.Database.OpenAsync())
        {
            await connection.ExecuteAsync("INSERT INTO pool_person (id_number, name) VALUES (@id, '张三')", null, default, ("@id", id));
            await connection.ExecuteAsync("INSERT INTO pool_disability (id_number, category) VALUES (@id, '4')", null, default, ("@id", id));
            await connection.ExecuteAsync("INSERT INTO pool_person (id_number, name) VALUES ('110101196205010022', '李四')");
        }

        var person = await _host.CountAsync("SELECT pool_id FROM pool_person WHERE id_number = @id", ("@id", id));
        var other = await _host.CountAsync("SELECT pool_id FROM pool_person WHERE id_number = '110101196205010022'");
        var disability = await _host.CountAsync("SELECT pool_id FROM pool_disability WHERE id_number = @id", ("@id", id));
        var access = _host.Services.GetRequiredService<IPoolAccess>();
        await access.AuditedViewOf(new Viewer("a", PoolAccess.AnalystRole, "civil-affairs", null), "person").AuditAsync([person, other], ["name"], "query", default);
        await access.AuditedViewOf(new Viewer("b", PoolAccess.AnalystRole, "disabled-persons-federation", null), "disability").AuditAsync([disability], ["category"], "record", default);

        var log = await _host.Services.GetRequiredService<AccessLog>().ForPersonAsync(person, 100, default);
        Assert.That(log!.Select(e => (e.Viewer, e.Entity, e.Purpose)), Is.EqualTo(new[] { ("b", "disability", "record"), ("a", "person", "query") }));
        Assert.That(await _host.Services.GetRequiredService<AccessLog>().ForPersonAsync(987654, 100, default), Is.Null);
    }

    [Test]
    public async Task Reads_audited_into_pool_db_by_an_older_version_move_to_the_log_file_once()
    {
        if (store != StoreOptions.Sqlite)
        {
            Assert.Ignore("on PostgreSQL the log stays in the pool's database");
        }

        await WriteOldLogIntoPoolAsync();
        await _host.Database.InitialiseAsync();
        // As if the process died after the copy committed and before pool.db dropped its table: the next start copies again.
        await WriteOldLogIntoPoolAsync();
        await _host.Database.InitialiseAsync();

        await using (var pool = await _host.Database.OpenAsync())
        {
            Assert.That(await pool.ScalarAsync<long>("SELECT count(*) FROM sqlite_master WHERE name = 'dp_access_log'"), Is.Zero, "pool.db holds no log any more");
        }

        var entries = await _host.Services.GetRequiredService<AccessLog>().ReadAsync([("person", 7), ("person", 8)], 10, default);
        Assert.That(entries.Select(e => (e.Id, e.Viewer, e.PoolId)), Is.EqualTo(new[] { (2L, "old-b", 8L), (1L, "old-a", 7L) }), "each old row once, with its id");

        var access = _host.Services.GetRequiredService<IPoolAccess>();
        await access.AuditedViewOf(new Viewer("new", PoolAccess.AdminRole, null, null), "person").AuditAsync([7], ["name"], "record", default);
        Assert.That((await _host.Services.GetRequiredService<AccessLog>().ReadAsync([("person", 7)], 10, default)).Select(e => e.Viewer),
            Is.EqualTo(new[] { "new", "old-a" }), "new reads follow the old ones");
    }

    private async Task WriteOldLogIntoPoolAsync()
    {
        await using var connection = await _host.Database.OpenAsync();
        await connection.ExecuteAsync(
            """
            CREATE TABLE dp_access_log (id INTEGER PRIMARY KEY, at TEXT NOT NULL, viewer TEXT NOT NULL, role TEXT NOT NULL, department TEXT,
                community TEXT, entity TEXT NOT NULL, pool_id INTEGER NOT NULL, fields TEXT NOT NULL, purpose TEXT NOT NULL);
            INSERT INTO dp_access_log VALUES (1, '2025-01-01T00:00:00.0000000+00:00', 'old-a', 'admin', NULL, NULL, 'person', 7, 'name', 'record');
            INSERT INTO dp_access_log VALUES (2, '2025-01-02T00:00:00.0000000+00:00', 'old-b', 'analyst', 'civil-affairs', NULL, 'person', 8, 'name', 'query');
            """);
    }
}
