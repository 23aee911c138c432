using System.Net;
using System.Net.Sockets;
using DataPool.Abstractions;
using DataPool.Testing;
using Npgsql;

namespace DataPool.Connectors.Sql.Tests;

public sealed class PostgresSourceTests : SqlTestBase
{
    private string _database = "";

    [SetUp]
    public async Task CreateDatabase()
    {
        _database = await PostgresServer.CreateDatabaseAsync();
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            CREATE SCHEMA hr;
            CREATE TABLE hr.registrations (
                id serial PRIMARY KEY, id_number text, status text, registered boolean, registration_date date,
                allowance numeric(12, 2), tiny double precision, big numeric, updated_at timestamp, seen_at timestamptz);
            INSERT INTO hr.registrations (id_number, status, registered, registration_date, allowance, tiny, big, updated_at, seen_at) VALUES
                ('110101199003070014', '4', true, '2024-03-01', 1234.50, 0.00001, 1e20, '2024-03-01 08:00:00', '2024-03-01 08:00:00+08'),
                ('110101198512120025', '1', false, NULL, NULL, NULL, NULL, '2024-03-02 09:30:00.250', NULL),
                ('11010119700101003X', '待定', false, '1999-12-31', 0, 2.5, 3, '2024-03-03 10:00:00', NULL);
            """, connection);
        await command.ExecuteNonQueryAsync();
    }

    [TearDown]
    public Task DropDatabase() => PostgresServer.DropDatabaseAsync(_database);

    [Test]
    public async Task A_schema_qualified_table_streams_every_row_as_invariant_text()
    {
        var rows = await ReadAllAsync(Context(Settings("postgres", _database, table: "hr.registrations")));

        Assert.That(rows, Has.Count.EqualTo(3));
        var first = rows.Single(r => r["id"] == "1");
        Assert.Multiple(() =>
        {
            Assert.That(first["registered"], Is.EqualTo("true"));
            Assert.That(first["registration_date"], Is.EqualTo("2024-03-01"), "a date is a date, not a midnight");
            Assert.That(first["allowance"], Is.EqualTo("1234.50"));
            Assert.That(first["tiny"], Is.EqualTo("0.00001"));
            Assert.That(first["big"], Is.EqualTo("100000000000000000000"));
            Assert.That(first["updated_at"], Is.EqualTo("2024-03-01 08:00:00"));
            Assert.That(first["seen_at"], Is.EqualTo("2024-03-01 00:00:00"), "timestamptz in UTC");
            Assert.That(rows.Single(r => r["id"] == "2")["registration_date"], Is.Null);
            Assert.That(rows.Single(r => r["id"] == "3")["status"], Is.EqualTo("待定"));
        });
    }

    [Test]
    public async Task A_query_is_taken_as_written()
    {
        var rows = await ReadAllAsync(Context(Settings("postgres", _database,
            query: "SELECT id_number AS 身份证号, to_char(registration_date, 'YYYY') AS year FROM hr.registrations WHERE registration_date IS NOT NULL ORDER BY id DESC")));

        Assert.That(rows.Select(r => r["身份证号"]), Is.EqualTo(new[] { "11010119700101003X", "110101199003070014" }));
        Assert.That(rows[0]["year"], Is.EqualTo("1999"));
    }

    [Test]
    public async Task Incremental_reads_only_rows_after_a_timestamp_cursor()
    {
        var rows = await ReadAllAsync(Context(Settings("postgres", _database, table: "hr.registrations"),
            StreamModes.Incremental, "updated_at", "2024-03-02 09:30:00"));

        // 09:30:00.250 is past the checkpoint 09:30:00: a cursor truncated to the second re-reads, never skips.
        Assert.That(rows.Select(r => r["id"]), Is.EqualTo(new[] { "2", "3" }));
    }

    [Test]
    public async Task Incremental_over_a_query_with_an_integer_cursor()
    {
        var rows = await ReadAllAsync(Context(Settings("postgres", _database, query: "SELECT id, id_number FROM hr.registrations"),
            StreamModes.Incremental, "id", "1"));

        Assert.That(rows.Select(r => r["id"]), Is.EqualTo(new[] { "2", "3" }));
    }

    [Test]
    public async Task Incremental_without_a_checkpoint_reads_everything_in_cursor_order()
    {
        var rows = await ReadAllAsync(Context(Settings("postgres", _database, table: "hr.registrations"), StreamModes.Incremental, "updated_at"));

        Assert.That(rows.Select(r => r["id"]), Is.EqualTo(new[] { "1", "2", "3" }));
    }

    [Test]
    public void A_bad_table_name_is_refused_before_connecting()
    {
        var error = Assert.ThrowsAsync<ConnectorException>(() =>
            ReadAllAsync(Context(Settings("postgres", _database, table: "hr.registrations; DROP SCHEMA hr CASCADE"))));

        Assert.That(error!.Message, Does.StartWith("settings.table:"));
    }

    [Test]
    public void An_unreachable_server_is_a_clear_error_without_the_password()
    {
        var port = ClosedPort();
        var connection = $"Host=127.0.0.1;Port={port};Database=hr;Username=reader;Password=s3cret-pw;Timeout=3";

        var error = Assert.ThrowsAsync<ConnectorException>(() => ReadAllAsync(Context(Settings("postgres", connection, table: "registrations"))));

        Assert.That(error!.Message, Does.StartWith($"PostgreSQL database 'hr' on 127.0.0.1:{port}: cannot connect"));
        Assert.That(error.Message, Does.Not.Contain("s3cret").And.Not.Contain("Password"));
    }

    [Test]
    public void A_wrong_password_is_reported_without_it()
    {
        // The test server trusts every local connection; a missing database stands in for a refused login.
        var connection = new NpgsqlConnectionStringBuilder(_database) { Database = "nope", Password = "s3cret-pw" }.ConnectionString;

        var error = Assert.ThrowsAsync<ConnectorException>(() => ReadAllAsync(Context(Settings("postgres", connection, table: "registrations"))));

        Assert.That(error!.Message, Does.Contain("cannot connect").And.Contain("3D000"));
        Assert.That(error.Message, Does.Not.Contain("s3cret"));
    }

    [Test]
    public void A_missing_table_names_the_table()
    {
        var error = Assert.ThrowsAsync<ConnectorException>(() => ReadAllAsync(Context(Settings("postgres", _database, table: "registrations"))));

        Assert.That(error!.Message, Does.Contain("the table registrations cannot be read").And.Contain("42P01"));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
