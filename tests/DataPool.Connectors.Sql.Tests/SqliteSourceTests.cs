using DataPool.Abstractions;

namespace DataPool.Connectors.Sql.Tests;

public sealed class SqliteSourceTests : SqlTestBase
{
    private const string Connection = "Data Source=hr.db";

    private Task CreateRegistrationsAsync() => SqliteAsync("hr.db",
        "CREATE TABLE registrations (id_number TEXT, status TEXT, registered INTEGER, registration_date DATE, allowance REAL, salary NUMERIC, note TEXT, updated_at TEXT)",
        "INSERT INTO registrations VALUES ('110101199003070014', '4', 1, '2024-03-01', 1.5e-5, 1234.5, '', '2024-03-01 08:00:00')",
        "INSERT INTO registrations VALUES ('110101198512120025', '1', 0, NULL, 1e21, 7, '在职', '2024-03-02 09:30:00')",
        "INSERT INTO registrations VALUES ('11010119700101003X', '待定', 0, '2023-12-31', 2.25, 0.1, NULL, '2024-03-03 10:00:00')");

    [Test]
    public async Task A_table_streams_every_row_with_its_columns()
    {
        await CreateRegistrationsAsync();

        var rows = await ReadAllAsync(Context(Settings("sqlite", Connection, table: "registrations")));

        Assert.That(rows, Has.Count.EqualTo(3));
        Assert.That(rows[0].Header.Columns, Is.EqualTo(new[] { "id_number", "status", "registered", "registration_date", "allowance", "salary", "note", "updated_at" }));
        Assert.That(rows[0]["id_number"], Is.EqualTo("110101199003070014"));
        Assert.That(rows[1]["note"], Is.EqualTo("在职"));
        Assert.That(rows.Select(r => r.Number), Is.EqualTo(new long[] { 1, 2, 3 }));
        Assert.That(rows[2].Location, Is.EqualTo("table registrations row 3"));
        Assert.That(rows.All(r => r.Problem is null));
    }

    [Test]
    public async Task Values_become_invariant_text_without_exponents()
    {
        await CreateRegistrationsAsync();

        var rows = await ReadAllAsync(Context(Settings("sqlite", Connection, table: "registrations")));

        Assert.Multiple(() =>
        {
            Assert.That(rows[0]["registered"], Is.EqualTo("1"));
            Assert.That(rows[0]["allowance"], Is.EqualTo("0.000015"));
            Assert.That(rows[1]["allowance"], Is.EqualTo("1000000000000000000000"));
            Assert.That(rows[0]["salary"], Is.EqualTo("1234.5"));
            Assert.That(rows[2]["salary"], Is.EqualTo("0.1"));
            Assert.That(rows[0]["registration_date"], Is.EqualTo("2024-03-01"));
            Assert.That(rows[1]["registration_date"], Is.Null, "NULL");
            Assert.That(rows[0]["note"], Is.Null, "an empty string is an empty cell");
        });
    }

    [Test]
    public async Task A_query_is_taken_as_written()
    {
        await CreateRegistrationsAsync();

        var rows = await ReadAllAsync(Context(Settings("sqlite", Connection,
            query: "SELECT id_number AS 身份证号, status FROM registrations WHERE registered = 0 ORDER BY id_number;")));

        Assert.That(rows.Select(r => r["身份证号"]), Is.EqualTo(new[] { "11010119700101003X", "110101198512120025" }));
        Assert.That(rows[0].Location, Is.EqualTo("query row 1"));
    }

    [Test]
    public async Task Incremental_reads_every_row_in_cursor_order_on_a_first_run()
    {
        await CreateRegistrationsAsync();
        await SqliteAsync("hr.db", "INSERT INTO registrations (id_number, updated_at) VALUES ('early', '2024-01-01 00:00:00')");

        var rows = await ReadAllAsync(Context(Settings("sqlite", Connection, table: "registrations"), StreamModes.Incremental, "updated_at"));

        Assert.That(rows.Select(r => r["id_number"]), Is.EqualTo(new[] { "early", "110101199003070014", "110101198512120025", "11010119700101003X" }));
    }

    [Test]
    public async Task Incremental_reads_only_rows_after_the_cursor()
    {
        await CreateRegistrationsAsync();

        var rows = await ReadAllAsync(Context(Settings("sqlite", Connection, table: "registrations"), StreamModes.Incremental, "updated_at", "2024-03-01 08:00:00"));

        Assert.That(rows.Select(r => r["updated_at"]), Is.EqualTo(new[] { "2024-03-02 09:30:00", "2024-03-03 10:00:00" }));
    }

    [Test]
    public async Task Incremental_over_a_query_wraps_it_and_compares_numbers_as_numbers()
    {
        await SqliteAsync("hr.db",
            "CREATE TABLE changes (seq INTEGER, id_number TEXT)",
            "INSERT INTO changes VALUES (2, 'a'), (9, 'b'), (10, 'c'), (11, 'd')");

        var rows = await ReadAllAsync(Context(Settings("sqlite", Connection, query: "SELECT seq, id_number FROM changes WHERE id_number <> 'd'"),
            StreamModes.Incremental, "seq", "9"));

        Assert.That(rows.Select(r => r["id_number"]), Is.EqualTo(new[] { "c" }), "10 > 9 as numbers, not as text");
    }

    [TestCase("registrations; DROP TABLE registrations")]
    [TestCase("\"registrations\"")]
    [TestCase("registrations r")]
    [TestCase("a.b.c")]
    [TestCase("reg--istrations")]
    public async Task A_table_that_is_not_a_plain_name_is_refused(string table)
    {
        await CreateRegistrationsAsync();

        var error = Assert.ThrowsAsync<ConnectorException>(() => ReadAllAsync(Context(Settings("sqlite", Connection, table: table))));

        Assert.That(error!.Message, Does.StartWith("settings.table:"));
        Assert.That(await ReadAllAsync(Context(Settings("sqlite", Connection, table: "registrations"))), Has.Count.EqualTo(3), "nothing was run");
    }

    [Test]
    public async Task A_cursor_that_is_not_a_plain_name_is_refused()
    {
        await CreateRegistrationsAsync();

        var error = Assert.ThrowsAsync<ConnectorException>(() =>
            ReadAllAsync(Context(Settings("sqlite", Connection, table: "registrations"), StreamModes.Incremental, "updated_at) OR (1=1", "x")));

        Assert.That(error!.Message, Does.StartWith("cursor:"));
    }

    [Test]
    public void A_missing_database_is_a_clear_error_without_the_connection_string()
    {
        const string connection = "Data Source=missing.db;Password=s3cret-pw";

        var error = Assert.ThrowsAsync<ConnectorException>(() => ReadAllAsync(Context(Settings("sqlite", connection, table: "registrations"))));

        Assert.That(error!.Message, Is.EqualTo("settings.connection: database file 'missing.db' not found"));
        Assert.That(error.Message, Does.Not.Contain("s3cret"));
        Assert.That(File.Exists(Path.Combine(Folder, "missing.db")), Is.False, "the connector never creates a database");
    }

    [TestCase("Data Source=../outside.db")]
    [TestCase("Data Source=/etc/hr.db")]
    public void A_database_outside_the_definition_folder_is_refused(string connection)
    {
        var error = Assert.ThrowsAsync<ConnectorException>(() => ReadAllAsync(Context(Settings("sqlite", connection, table: "registrations"))));

        Assert.That(error!.Message, Does.StartWith("settings.connection:").And.Contain("outside the source's folder"));
    }

    [Test]
    public async Task A_missing_table_names_the_table()
    {
        await CreateRegistrationsAsync();

        var error = Assert.ThrowsAsync<ConnectorException>(() => ReadAllAsync(Context(Settings("sqlite", Connection, table: "registration"))));

        Assert.That(error!.Message, Does.Contain("table registration").And.Contain("no such table"));
    }

    [TestCase(null, "settings.provider: required")]
    [TestCase("oracle", "settings.provider: 'oracle' is not a provider")]
    public void A_bad_provider_names_the_setting(string? provider, string message)
    {
        var settings = Settings("x", Connection, table: "registrations");
        settings["provider"] = provider;

        var error = Assert.ThrowsAsync<ConnectorException>(() => ReadAllAsync(Context(settings)));

        Assert.That(error!.Message, Does.StartWith(message));
    }

    [Test]
    public void Table_and_query_are_exclusive_and_one_is_required()
    {
        var both = Assert.ThrowsAsync<ConnectorException>(() => ReadAllAsync(Context(Settings("sqlite", Connection, table: "t", query: "SELECT 1"))));
        var none = Assert.ThrowsAsync<ConnectorException>(() => ReadAllAsync(Context(Settings("sqlite", Connection))));
        var noConnection = Assert.ThrowsAsync<ConnectorException>(() => ReadAllAsync(Context(Settings("sqlite", "", table: "t"))));

        Assert.That(both!.Message, Does.Contain("settings.table and settings.query are exclusive"));
        Assert.That(none!.Message, Does.Contain("settings.table or settings.query is required"));
        Assert.That(noConnection!.Message, Does.StartWith("settings.connection: required"));
    }

    [Test]
    public void An_incremental_stream_without_a_cursor_column_is_refused()
    {
        var error = Assert.ThrowsAsync<ConnectorException>(() =>
            ReadAllAsync(Context(Settings("sqlite", Connection, table: "registrations"), StreamModes.Incremental)));

        Assert.That(error!.Message, Does.Contain("needs a cursor column"));
    }

    [Test]
    public async Task Repeated_column_names_stay_addressable()
    {
        await SqliteAsync("hr.db", "CREATE TABLE t (a TEXT, b TEXT)", "INSERT INTO t VALUES ('1', '2')");

        var rows = await ReadAllAsync(Context(Settings("sqlite", Connection, query: "SELECT a AS x, b AS x FROM t")));

        Assert.That(rows[0].Header.Columns, Is.EqualTo(new[] { "x", "x#2" }));
        Assert.That(rows[0]["x#2"], Is.EqualTo("2"));
    }

    [Test]
    public async Task Rows_are_streamed_not_loaded()
    {
        await SqliteAsync("hr.db",
            "CREATE TABLE big (n INTEGER)",
            "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 50000) INSERT INTO big SELECT n FROM c");

        // The first row arrives, and the enumeration can stop there, without the rest being read.
        await using var rows = new SqlConnector().ReadAsync(Context(Settings("sqlite", Connection, table: "big")), CancellationToken.None).GetAsyncEnumerator();
        Assert.That(await rows.MoveNextAsync(), Is.True);
        Assert.That(rows.Current["n"], Is.EqualTo("1"));
    }

    [Test]
    public async Task The_connector_only_reads()
    {
        await CreateRegistrationsAsync();

        var error = Assert.ThrowsAsync<ConnectorException>(() => ReadAllAsync(Context(Settings("sqlite", Connection,
            query: "DELETE FROM registrations RETURNING *"))));

        Assert.That(error, Is.Not.Null);
        Assert.That(await ReadAllAsync(Context(Settings("sqlite", Connection, table: "registrations"))), Has.Count.EqualTo(3));
    }

    [Test]
    public async Task The_rows_to_read_are_counted_first_as_the_progress_total()
    {
        await CreateRegistrationsAsync();
        var table = Context(Settings("sqlite", Connection, table: "registrations"));
        var query = Context(Settings("sqlite", Connection, query: "SELECT * FROM registrations WHERE registered = 0;"));
        var incremental = Context(Settings("sqlite", Connection, table: "registrations"), StreamModes.Incremental, "updated_at", "2024-03-01 08:00:00");

        await ReadAllAsync(table);
        await ReadAllAsync(query);
        await ReadAllAsync(incremental);

        Assert.That(new[] { table, query, incremental }.Select(c => (c.Progress.Total, c.Progress.Unit)),
            Is.EqualTo(new (long?, ProgressUnit)[] { (3, ProgressUnit.Rows), (2, ProgressUnit.Rows), (2, ProgressUnit.Rows) }));
    }
}
