using DataPool.Abstractions;
using DataPool.Testing;
using Npgsql;

namespace DataPool.Connectors.Sql.Tests;

/// <summary>A <c>sql</c> source reads its own database and nothing else: not the pool, not another file, never a write.</summary>
public sealed class SandboxTests : SqlTestBase
{
    private string PoolFolder => Path.Combine(Folder, "pool-data");

    private async Task CreateSourceAndPoolAsync()
    {
        await SqliteAsync("hr.db", "CREATE TABLE registrations (id INTEGER PRIMARY KEY, id_number TEXT)", "INSERT INTO registrations (id_number) VALUES ('110101199003070014')");
        Directory.CreateDirectory(PoolFolder);
        await SqliteAsync("pool-data/pool.db", "CREATE TABLE dp_users (name TEXT, password_hash TEXT)", "INSERT INTO dp_users VALUES ('admin', 'AQAAAAhash')");
    }

    [TestCase("ATTACH DATABASE '{pool}' AS p; SELECT name, password_hash FROM p.dp_users")]
    [TestCase("VACUUM INTO '{copy}'")]
    [TestCase("SELECT load_extension('{pool}')")]
    [TestCase("PRAGMA writable_schema = ON")]
    public async Task Sql_source_cannot_attach_pool(string query)
    {
        await CreateSourceAndPoolAsync();
        var copy = Path.Combine(Folder, "copy.db");
        var text = query.Replace("{pool}", Path.Combine(PoolFolder, "pool.db"), StringComparison.Ordinal).Replace("{copy}", copy, StringComparison.Ordinal);

        var error = Assert.ThrowsAsync<ConnectorException>(() => ReadAllAsync(Context(Settings("sqlite", "Data Source=hr.db", query: text))));

        Assert.That(error!.Message, Does.Contain("SQLite Error 23").Or.Contain("not authorized"), "refused by the authorizer");
        Assert.That(error.Message, Does.Not.Contain("AQAAAAhash"));
        Assert.That(File.Exists(copy), Is.False, "nothing is written");
    }

    [Test]
    public async Task Reading_stays_possible_under_the_sandbox()
    {
        await CreateSourceAndPoolAsync();

        var rows = await ReadAllAsync(Context(Settings("sqlite", "Data Source=hr.db",
            query: "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3) SELECT upper(r.id_number) AS id, n.i FROM registrations r, n")));

        Assert.That(rows, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task A_source_in_the_pools_data_folder_is_refused()
    {
        await CreateSourceAndPoolAsync();
        // A definition whose own folder is the pool's data folder, naming the pool's file directly.
        var context = Context(Settings("sqlite", "Data Source=pool-data/pool.db", table: "dp_users"));

        var error = Assert.ThrowsAsync<ConnectorException>(() => ReadAllAsync(context, new PoolStoreLocation(PoolFolder, null)));

        Assert.That(error!.Message, Does.Contain("the pool's own database"));
    }

    [Test]
    public async Task Symlink_to_a_database_outside_the_folder_is_refused()
    {
        await CreateSourceAndPoolAsync();
        var outside = Path.Combine(Path.GetTempPath(), "datapool-sql-tests", Guid.NewGuid().ToString("N") + ".db");
        File.Copy(Path.Combine(Folder, "hr.db"), outside);
        try
        {
            File.CreateSymbolicLink(Path.Combine(Folder, "linked.db"), outside);

            var error = Assert.ThrowsAsync<ConnectorException>(() => ReadAllAsync(Context(Settings("sqlite", "Data Source=linked.db", table: "registrations"))));

            Assert.That(error!.Message, Does.Contain("outside the source's folder"));
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Test]
    public async Task Postgres_pool_database_is_refused_and_a_source_cannot_write()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        try
        {
            await using (var connection = new NpgsqlConnection(database))
            {
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand("CREATE TABLE t (id int); INSERT INTO t VALUES (1);", connection);
                await create.ExecuteNonQueryAsync();
            }

            var own = Assert.ThrowsAsync<ConnectorException>(() => ReadAllAsync(Context(Settings("postgres", database, table: "t")), new PoolStoreLocation(null, database)));
            Assert.That(own!.Message, Does.Contain("the pool's own database"));

            var write = Assert.ThrowsAsync<ConnectorException>(() => ReadAllAsync(Context(Settings("postgres", database,
                query: "SET default_transaction_read_only = off; INSERT INTO t VALUES (2) RETURNING id"))));
            Assert.That(write!.Message, Does.Contain("read-only"));
            await using var check = new NpgsqlConnection(database);
            await check.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*) FROM t", check);
            Assert.That(await count.ExecuteScalarAsync(), Is.EqualTo(1L));
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(database);
        }
    }
}
