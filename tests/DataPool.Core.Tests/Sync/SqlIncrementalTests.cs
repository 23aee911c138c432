using System.Runtime.CompilerServices;
using DataPool.Abstractions;
using DataPool.Connectors.Sql;
using DataPool.Core.Schema;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using DataPool.Core.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Core.Tests.Sync;

/// <summary>
/// The <c>sql</c> connector through the whole pipeline: an incremental stream over a SQLite registry reads
/// only what changed since its checkpoint, and a run that dies mid-stream moves no cursor and loses nothing.
/// </summary>
[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class SqlIncrementalTests(string store)
{
    private static readonly string A = Residents.Id("19800115", 1);
    private static readonly string B = Residents.Id("19851120", 2);
    private static readonly string C = Residents.Id("19900301", 3);
    private static readonly string D = Residents.Id("19920707", 4);
    private static readonly string E = Residents.Id("19950505", 5);
    private static readonly string F = Residents.Id("19990909", 6);

    private const string Definition = """
        {
          "id": "hr", "name": "就业失业登记", "department": "human-resources", "kind": "sql",
          "settings": { "provider": "sqlite", "connection": "Data Source=hr.db" },
          "priority": 40,
          "streams": [{
            "name": "registrations", "entity": "employment", "key": ["id_number"],
            "mode": "incremental", "cursor": "updated_at",
            "settings": { "table": "registrations" },
            "fields": {
              "id_number": { "from": "id_number", "parse": "id_number" },
              "status": { "from": "status" },
              "unemployment_registered": { "from": "registered", "parse": "bool" },
              "registration_date": { "from": "registration_date", "parse": "date" },
              "last_employer": { "from": "last_employer" },
            }
          }]
        }
        """;

    private const string Select = "SELECT id_number, status, unemployment_registered, registration_date, last_employer FROM pool_employment ORDER BY id_number";

    [Test]
    public async Task A_second_sync_reads_only_the_rows_changed_since_the_checkpoint()
    {
        await using var host = await PoolTestHost.CreateAsync(store);
        await CreateRegistryAsync(host.Root);
        host.WriteFile("hr.source.json", Definition);

        var first = await host.SyncAsync("hr.source.json");
        Assert.That(first.SummaryLine, Is.EqualTo("hr: read=3 accepted=3 quarantined=0 new=3 updated=0 unchanged=0 deleted=0"));
        Assert.That(await CursorAsync(host), Is.EqualTo("2024-03-03 10:00:00"));

        var idle = await host.SyncAsync("hr.source.json");
        Assert.That(idle.SummaryLine, Is.EqualTo("hr: read=0 accepted=0 quarantined=0 new=0 updated=0 unchanged=0 deleted=0"));

        await ChangeRegistryAsync(host.Root);
        var second = await host.SyncAsync("hr.source.json");

        Assert.That(second.SummaryLine, Is.EqualTo("hr: read=4 accepted=4 quarantined=0 new=3 updated=1 unchanged=0 deleted=0"));
        Assert.That(await CursorAsync(host), Is.EqualTo("2024-04-04 09:00:00"));
        var pool = await host.QueryAsync(Select);
        Assert.That(pool, Has.Count.EqualTo(6));
        Assert.That(pool.Single(r => (string?)r["id_number"] == B)["status"], Is.EqualTo("1"), "失业 → 在职 after the update");
    }

    [Test]
    public async Task A_run_that_dies_mid_stream_moves_no_cursor_and_the_next_one_converges()
    {
        // Two pools fed the same registry: one synced without trouble, one whose second run dies after two rows.
        await using var clean = await PoolAsync(crashAfter: null);
        await using var crashed = await PoolAsync(crashAfter: 2);
        foreach (var pool in new[] { clean, crashed })
        {
            await CreateRegistryAsync(pool.Root);
            File.WriteAllText(Path.Combine(pool.Root, "hr.source.json"), Definition);
            var first = await pool.SyncAsync();
            Assert.That(first.Counts.New, Is.EqualTo(3));
            await ChangeRegistryAsync(pool.Root);
        }

        var uninterrupted = await clean.SyncAsync();
        Assert.That(uninterrupted.SummaryLine, Is.EqualTo("hr: read=4 accepted=4 quarantined=0 new=3 updated=1 unchanged=0 deleted=0"));

        var before = await crashed.RowsAsync(Select);
        crashed.Connector.Armed = true;
        var died = await crashed.SyncAsync();
        Assert.That(died.Succeeded, Is.False);
        Assert.That(died.Error, Does.Contain("connection lost after 2 rows"));
        Assert.That(await crashed.RowsAsync("SELECT value FROM dp_cursors WHERE source_id = 'hr'"), Is.EqualTo(new[] { "2024-03-03 10:00:00" }), "the cursor stays where the last committed run left it");
        Assert.That(await crashed.RowsAsync(Select), Is.EqualTo(before), "nothing of the failed run is in the pool");

        crashed.Connector.Armed = false;
        var rerun = await crashed.SyncAsync();
        Assert.That(rerun.SummaryLine, Is.EqualTo("hr: read=4 accepted=4 quarantined=0 new=3 updated=1 unchanged=0 deleted=0"), "the rows of the failed run are read again");
        Assert.That(await crashed.RowsAsync(Select), Is.EqualTo(await clean.RowsAsync(Select)));
        Assert.That(await crashed.RowsAsync("SELECT value FROM dp_cursors WHERE source_id = 'hr'"), Is.EqualTo(new[] { "2024-04-04 09:00:00" }));
    }

    private static async Task CreateRegistryAsync(string folder) => await ExecuteAsync(folder,
        "CREATE TABLE registrations (id_number TEXT, status TEXT, registered INTEGER, registration_date TEXT, last_employer TEXT, updated_at TEXT)",
        $"INSERT INTO registrations VALUES ('{A}', '在职', 0, NULL, '王府井百货大楼', '2024-03-01 08:00:00')",
        $"INSERT INTO registrations VALUES ('{B}', '失业人员', 1, '2023-11-20', '北京同仁堂股份有限公司', '2024-03-02 09:30:00')",
        $"INSERT INTO registrations VALUES ('{C}', '退休', 0, NULL, NULL, '2024-03-03 10:00:00')");

    /// <summary>Three new registrations and one update (B found work), each with a later updated_at.</summary>
    private static async Task ChangeRegistryAsync(string folder) => await ExecuteAsync(folder,
        $"INSERT INTO registrations VALUES ('{D}', '灵活就业', 0, NULL, NULL, '2024-04-01 08:00:00')",
        $"UPDATE registrations SET status = '在职', registered = 0, last_employer = '北京东方广场物业', updated_at = '2024-04-02 11:00:00' WHERE id_number = '{B}'",
        $"INSERT INTO registrations VALUES ('{E}', '失业', 1, '2024-04-03', NULL, '2024-04-03 15:00:00')",
        $"INSERT INTO registrations VALUES ('{F}', '学生', 0, NULL, NULL, '2024-04-04 09:00:00')");

    private static async Task ExecuteAsync(string folder, params string[] statements)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "hr.db")};Pooling=False");
        await connection.OpenAsync();
        foreach (var sql in statements)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task<string?> CursorAsync(PoolTestHost host) =>
        (string?)(await host.QueryAsync("SELECT value FROM dp_cursors WHERE source_id = 'hr' AND stream = 'registrations'")).SingleOrDefault()?["value"];

    /// <summary>A pool whose <c>sql</c> kind is the real connector behind a switch that kills the stream after some rows.</summary>
    private async Task<CrashPool> PoolAsync(int? crashAfter)
    {
        var root = Path.Combine(Path.GetTempPath(), "datapool-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var database = store == StoreOptions.Postgres ? await DataPool.Testing.PostgresServer.CreateDatabaseAsync() : null;
        var connector = new CrashingSqlConnector(crashAfter ?? int.MaxValue);
        var services = new ServiceCollection()
            .AddLogging()
            .AddDataPoolCore(new StoreOptions { Provider = store, Connection = database, DataDirectory = Path.Combine(root, "data") }, SchemaCatalog.Locate())
            .AddSingleton<IConnector>(connector)
            .BuildServiceProvider();
        await services.GetRequiredService<PoolDatabase>().InitialiseAsync();
        return new CrashPool(root, services, connector, database);
    }

    private sealed class CrashPool(string root, ServiceProvider services, CrashingSqlConnector connector, string? database) : IAsyncDisposable
    {
        public string Root { get; } = root;
        public CrashingSqlConnector Connector { get; } = connector;

        public async Task<SyncResult> SyncAsync()
        {
            var source = services.GetRequiredService<SourceDefinitionLoader>().Load(Path.Combine(Root, "hr.source.json"));
            await services.GetRequiredService<SourceRegistry>().UpsertAsync(source);
            return await services.GetRequiredService<SyncRunner>().RunAsync(source.Definition.Id);
        }

        /// <summary>Every row as one line of text, so two pools compare whatever the store's value types.</summary>
        public async Task<List<string>> RowsAsync(string sql)
        {
            await using var connection = await services.GetRequiredService<PoolDatabase>().OpenAsync();
            await using var command = connection.Command(sql, null);
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync())
            {
                rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
            }

            return rows;
        }

        public async ValueTask DisposeAsync()
        {
            await services.DisposeAsync();
            SqliteConnection.ClearAllPools();
            if (database is not null)
            {
                await DataPool.Testing.PostgresServer.DropDatabaseAsync(database);
            }

            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>The real <c>sql</c> connector; when armed, the stream dies after <c>crashAfter</c> rows as a lost connection would.</summary>
    private sealed class CrashingSqlConnector(int crashAfter) : IConnector
    {
        private readonly SqlConnector _inner = new();

        public bool Armed { get; set; }

        public string Kind => _inner.Kind;

        public async IAsyncEnumerable<RawRow> ReadAsync(ConnectorContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var delivered = 0;
            await foreach (var row in _inner.ReadAsync(context, cancellationToken))
            {
                if (Armed && delivered == crashAfter)
                {
                    throw new IOException($"connection lost after {delivered} rows");
                }

                delivered++;
                yield return row;
            }
        }
    }
}
