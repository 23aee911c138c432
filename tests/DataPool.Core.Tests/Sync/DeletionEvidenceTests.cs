using System.Text;
using DataPool.Core.Store;
using DataPool.Core.Tests.Support;

namespace DataPool.Core.Tests.Sync;

/// <summary>
/// Issue 13, "a cut-off export deletes residents": a full stream deletes only with evidence its file is whole
/// (a last line not cut mid-record, deletions within the source's maxDeleteShare), else the run fails and changes
/// nothing until an admin confirms; and a row that could not be read is never a row that is gone.
/// </summary>
[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class DeletionEvidenceTests(string store)
{
    private const int Residents200 = 200;
    private const string Header = "户籍人口登记表（测试）\n身份证号,姓名,性别,出生日期,电话\n";
    private PoolTestHost _host = null!;

    [SetUp]
    public async Task SetUp() => _host = await PoolTestHost.CreateAsync(store);

    [TearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    private static string Id(int i) => Residents.Id(Birth(i), i % 900 + 1);

    private static string Birth(int i) => new DateOnly(1940, 1, 1).AddDays(i * 97).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);

    private static string Row(int i) => $"{Id(i)},居民{i:000},{Residents.Gender(i % 900 + 1)},{Birth(i)},138{i:00000000}";

    private static IEnumerable<string> Rows(int count) => Enumerable.Range(0, count).Select(Row);

    private void WriteDefinition(string? maxDeleteShare = null) =>
        _host.WriteFile("hukou.source.json", HukouDefinitions.CsvSource(headerRow: 2, maxDeleteShare: maxDeleteShare));

    private string WritePersons(IEnumerable<string> rows, bool finalNewline = true) =>
        _host.WriteFile("persons.csv", Header + string.Join("\n", rows) + (finalNewline ? "\n" : ""), "GB18030");

    /// <summary>The register synced whole once: 200 live residents.</summary>
    private async Task SyncWholeRegisterAsync(string? maxDeleteShare = null)
    {
        WriteDefinition(maxDeleteShare);
        WritePersons(Rows(Residents200));
        var first = await _host.SyncAsync("hukou.source.json");
        Assert.That(first.Succeeded, Is.True, first.Error);
        Assert.That(first.Counts.New, Is.EqualTo(Residents200));
    }

    /// <summary>Everything a run could change, to compare before and after a refused run.</summary>
    private async Task<string> PoolStateAsync()
    {
        var state = new StringBuilder();
        foreach (var sql in new[]
                 {
                     "SELECT pool_id, id_number, name, phone, _deleted, _updated_run FROM pool_person ORDER BY pool_id",
                     "SELECT id, source_key, row_hash, deleted, changed_run FROM dp_source_records ORDER BY id",
                     "SELECT id, status, last_run FROM dp_quarantine ORDER BY id",
                     "SELECT id, change, run_id FROM dp_history ORDER BY id",
                 })
        {
            foreach (var row in await _host.QueryAsync(sql))
            {
                state.AppendLine(string.Join("|", row.Values));
            }
        }

        return state.ToString();
    }

    private async Task AssertRefusedAndUnchangedAsync(Func<Task> cut, string expectedError)
    {
        await SyncWholeRegisterAsync();
        var before = await PoolStateAsync();
        await cut();

        var result = await _host.SyncAsync("hukou.source.json");

        Assert.That(result.Succeeded, Is.False, "a cut-off export must not delete residents");
        Assert.That(result.Error, Does.Contain(expectedError).And.Contain("Nothing was changed").And.Contain("--confirm-deletions"));
        Assert.That(await PoolStateAsync(), Is.EqualTo(before), "the refused run changed nothing");
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM pool_person WHERE _deleted = 0"), Is.EqualTo(Residents200));
        var run = (await _host.QueryAsync("SELECT status, deletions_confirmed FROM dp_runs WHERE id = @id", ("@id", result.RunId))).Single();
        Assert.That((run["status"], Convert.ToInt64(run["deletions_confirmed"])), Is.EqualTo(("failed", 0L)));
    }

    [Test]
    public Task An_export_cut_to_its_first_50_rows_fails_and_leaves_the_pool_unchanged() =>
        AssertRefusedAndUnchangedAsync(
            () => Task.FromResult(WritePersons(Rows(50))),
            "would delete 150 of its 200 live records (75.0%), more than the source allows in one run (maxDeleteShare 0.05)");

    [Test]
    public Task An_export_cut_in_the_middle_of_a_line_fails_and_leaves_the_pool_unchanged() =>
        AssertRefusedAndUnchangedAsync(
            () => Task.FromResult(WritePersons(Rows(120).Append(Row(120)[..25]), finalNewline: false)),
            "ends mid-record, so the export may be cut off; it would delete 79 of its 200 live records");

    [Test]
    public Task An_export_cut_at_30_percent_of_its_bytes_fails_and_leaves_the_pool_unchanged() =>
        AssertRefusedAndUnchangedAsync(
            () =>
            {
                var path = Path.Combine(_host.Root, "persons.csv");
                var bytes = File.ReadAllBytes(path);
                // Cut between two digits (an ID number or a phone), as a stopped transfer would, but not inside a
                // GB18030 character, which would fail the run on the encoding before deletion is considered.
                var end = bytes.Length * 3 / 10;
                while (!(char.IsAsciiDigit((char)bytes[end - 1]) && char.IsAsciiDigit((char)bytes[end - 2])))
                {
                    end--;
                }

                File.WriteAllBytes(path, bytes[..end]);
                return Task.CompletedTask;
            },
            "live records");

    [Test]
    public Task A_cut_off_last_line_allows_no_deletion_even_within_the_share() =>
        AssertRefusedAndUnchangedAsync(
            // Two residents really left (1%), but the file ends mid-record: no evidence it is whole.
            () => Task.FromResult(WritePersons(Rows(Residents200).Where((_, i) => i is not (10 or 11)).SkipLast(1).Append(Row(Residents200 - 1)[..30]), finalNewline: false)),
            "ends mid-record");

    [Test]
    public async Task An_admin_confirming_the_deletions_lets_the_cut_export_through_and_the_run_records_it()
    {
        await SyncWholeRegisterAsync();
        WritePersons(Rows(50));

        var result = await _host.SyncAsync("hukou.source.json", confirmDeletions: true);

        Assert.That(result.Succeeded, Is.True, result.Error);
        Assert.That(result.Counts.Deleted, Is.EqualTo(150));
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM pool_person WHERE _deleted = 0"), Is.EqualTo(50));
        Assert.That(await _host.CountAsync("SELECT deletions_confirmed FROM dp_runs WHERE id = @id", ("@id", result.RunId)), Is.EqualTo(1));
    }

    [Test]
    public async Task Deletions_within_the_share_need_no_confirmation_and_the_share_is_set_per_source()
    {
        await SyncWholeRegisterAsync();
        WritePersons(Rows(Residents200).Where((_, i) => i is not (10 or 11)));
        var few = await _host.SyncAsync("hukou.source.json");
        Assert.That((few.Succeeded, few.Counts.Deleted), Is.EqualTo((true, 2L)), few.Error);

        WriteDefinition(maxDeleteShare: "0.8");
        WritePersons(Rows(50));
        var many = await _host.SyncAsync("hukou.source.json");
        // 150 of the 198 live records (the two deleted come back with the first 50).
        Assert.That((many.Succeeded, many.Counts.Deleted), Is.EqualTo((true, 150L)), many.Error);
    }

    [Test]
    public async Task Ragged_rows_are_quarantined_and_their_keys_are_not_deleted()
    {
        await SyncWholeRegisterAsync();
        var ragged = new[] { 5, 50, 150 };
        // A comma inside a name and a lost column: the rows cannot be read, but their residents are still there.
        WritePersons(Rows(Residents200).Select((row, i) => !ragged.Contains(i) ? row : i == 50 ? row[..row.LastIndexOf(',')] : row.Replace("居民", "居,民")));

        var result = await _host.SyncAsync("hukou.source.json");

        Assert.That(result.Succeeded, Is.True, result.Error);
        Assert.That((result.Counts.Quarantined, result.Counts.Deleted), Is.EqualTo((3L, 0L)));
        Assert.That(result.Counts.Read, Is.EqualTo(result.Counts.Accepted + result.Counts.Quarantined));
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM pool_person WHERE _deleted = 0"), Is.EqualTo(Residents200));
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM dp_source_records WHERE deleted = 1"), Is.Zero);
    }

    [Test]
    public async Task Ragged_rows_of_keys_never_stored_are_not_looked_up()
    {
        // A ragged row's record is kept, so its key was looked up: at 1M persons 3,641 such rows, keys never stored,
        // cost a lookup each (a round trip a batch on PostgreSQL, 33 MB of the key index read cold on SQLite).
        await SyncWholeRegisterAsync();
        WritePersons(Rows(Residents200).Concat(Enumerable.Range(Residents200, 3).Select(i => Row(i).Replace("居民", "居,民"))));

        var (result, statements) = await PostgresStatementLog.SyncAsync(_host, "hukou.source.json");

        Assert.That(result.Succeeded, Is.True, result.Error);
        Assert.That((result.Counts.Quarantined, result.Counts.Deleted, result.Counts.Unchanged), Is.EqualTo((3L, 0L, (long)Residents200)));
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM dp_quarantine WHERE status = 'open'"), Is.EqualTo(3));
        if (store == StoreOptions.Postgres)
        {
            Assert.That(statements, Is.Not.Empty, "the log saw none of the run's statements");
            Assert.That(statements.Where(sql => sql.StartsWith("SELECT source_key, id, row_hash", StringComparison.Ordinal)), Is.Empty,
                "the stored hashes hold none of the ragged rows' keys: nothing to look up");
        }
    }
}
