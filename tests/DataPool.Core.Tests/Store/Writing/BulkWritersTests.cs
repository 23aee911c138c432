using DataPool.Core.Store;
using DataPool.Core.Store.Writing;
using DataPool.Core.Tests.Support;

namespace DataPool.Core.Tests.Store.Writing;

/// <summary>
/// The bulk writers put every value back as it was given. On PostgreSQL they write COPY's text format, escaped by
/// hand: a tab, a line break or a backslash in a value must not end or bend the row, and no text may read as null.
/// </summary>
[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class BulkWritersTests(string store)
{
    private static readonly string?[] Texts =
    [
        "plain", "", null, "tab\there", "line\nbreak", "carriage\rreturn", "windows\r\nline", @"back\slash", @"\N", "\\", @"\.",
        "ends with a backslash\\", "\\t is not a tab", "中文 多福巷社区1号楼 ✓ 𠀋", "  spaces kept  ", "\"quoted\",comma;",
    ];

    private PoolTestHost _host = null!;

    [SetUp]
    public async Task SetUp() => _host = await PoolTestHost.CreateAsync(store);

    [TearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    [Test]
    public async Task Every_value_comes_back_as_written_whatever_characters_it_holds()
    {
        var blob = store == StoreOptions.Postgres ? "bytea" : "BLOB";
        await _host.QueryAsync($"CREATE TABLE bulk_values (id BIGINT PRIMARY KEY, note TEXT, amount BIGINT, raw {blob})");
        var bytes = new byte[] { 0, 9, 10, 13, 92, 255 };

        await WriteAsync("bulk_values", ["id", "note", "amount", "raw"], writer =>
        {
            for (var i = 0; i < Texts.Length; i++)
            {
                writer.Add((long)i, Texts[i], i % 2 == 0 ? -9_007_199_254_740_993L + i : null, i == 1 ? bytes : null);
            }
        });

        var rows = await _host.QueryAsync("SELECT id, note, amount, raw FROM bulk_values ORDER BY id");
        Assert.That(rows.Select(r => r["note"] as string), Is.EqualTo(Texts));
        Assert.That(rows.Select(r => r["amount"] is null ? (long?)null : Convert.ToInt64(r["amount"])),
            Is.EqualTo(Texts.Select((_, i) => i % 2 == 0 ? -9_007_199_254_740_993L + i : (long?)null)));
        Assert.That(rows[1]["raw"], Is.EqualTo(bytes));
        Assert.That(rows.Where((_, i) => i != 1).Select(r => r["raw"]), Is.All.Null);
    }

    [Test]
    public async Task Rows_whose_key_is_there_are_skipped_when_asked_and_the_others_land()
    {
        await _host.QueryAsync("CREATE TABLE bulk_keys (id BIGINT PRIMARY KEY, note TEXT)");
        await WriteAsync("bulk_keys", ["id", "note"], writer => writer.Add(1L, "first\tone"));

        await WriteAsync("bulk_keys", ["id", "note"], writer =>
        {
            writer.Add(1L, "second");
            writer.Add(2L, "new\nline");
        }, skipDuplicates: true);

        var rows = await _host.QueryAsync("SELECT id, note FROM bulk_keys ORDER BY id");
        Assert.That(rows.Select(r => r["note"]), Is.EqualTo(new[] { "first\tone", "new\nline" }));
    }

    [Test]
    public async Task A_batch_that_fails_part_way_leaves_none_of_its_rows()
    {
        await _host.QueryAsync("CREATE TABLE bulk_fail (id BIGINT PRIMARY KEY, note TEXT NOT NULL)");
        await using var connection = await _host.Database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        using (var writer = BulkWriters.Open(connection, "bulk_fail", ["id", "note"]))
        {
            // SQLite refuses the row as it is added, PostgreSQL when the batch is flushed.
            Assert.That(() =>
            {
                writer.Add(1L, "kept?");
                writer.Add(2L, null);
                writer.Flush();
            }, Throws.Exception);
        }

        await transaction.RollbackAsync();
        Assert.That(await connection.ScalarAsync<long>("SELECT COUNT(*) FROM bulk_fail", null, CancellationToken.None), Is.Zero, "the connection still answers");
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM bulk_fail"), Is.Zero);
    }

    private async Task WriteAsync(string table, string[] columns, Action<IBulkWriter> add, bool skipDuplicates = false)
    {
        await using var connection = await _host.Database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        using (var writer = BulkWriters.Open(connection, table, columns, skipDuplicates))
        {
            add(writer);
            writer.Flush();
        }

        await transaction.CommitAsync();
    }
}
