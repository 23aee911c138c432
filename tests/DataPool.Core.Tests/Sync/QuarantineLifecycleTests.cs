using DataPool.Core.Sync;
using DataPool.Core.Tests.Support;

namespace DataPool.Core.Tests.Sync;

/// <summary>
/// Issue 13, "quarantine goes stale": an entry closes when its row arrives clean, and the same bad row in a later
/// run, re-synced or re-formatted, updates its entry instead of opening another.
/// </summary>
[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class QuarantineLifecycleTests(string store)
{
    private static readonly string A = Residents.Id("19570302", 1);
    private static readonly string B = Residents.Id("19800115", 2);
    private static readonly string C = Residents.Id("20010630", 13);
    private static readonly string WrongCheck = A[..17] + (A[17] == '0' ? '1' : '0');
    private PoolTestHost _host = null!;

    [SetUp]
    public async Task SetUp() => _host = await PoolTestHost.CreateAsync(store);

    [TearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    private async Task<SyncResult> SyncFileAsync(string encoding, string header, params string[] rows)
    {
        _host.WriteFile("persons.csv", header + "\n" + string.Join("\n", rows) + "\n", encoding);
        _host.WriteFile("hukou.source.json", HukouDefinitions.CsvSource(encoding, maxDeleteShare: "1"));
        var result = await _host.SyncAsync("hukou.source.json");
        Assert.That(result.Succeeded, Is.True, result.Error);
        Assert.That(result.Counts.Read, Is.EqualTo(result.Counts.Accepted + result.Counts.Quarantined), "read = accepted + quarantined");
        return result;
    }

    private Task<SyncResult> SyncAsync(params string[] rows) => SyncFileAsync("GB18030", "身份证号,姓名,性别,出生日期,电话", rows);

    private Task<List<Dictionary<string, object?>>> EntriesAsync() =>
        _host.QueryAsync("SELECT id, status, resolution, source_key, seen_count, first_run, last_run FROM dp_quarantine ORDER BY id");

    [Test]
    public async Task A_corrected_row_closes_its_quarantine_entry_and_the_same_bad_row_later_reopens_it()
    {
        await SyncAsync($"{A},张三,男,1957-03-02,13800138000", $"{B},李四,女,1980-02-30,13800138001");
        var opened = (await EntriesAsync()).Single();
        Assert.That((opened["status"], opened["source_key"]), Is.EqualTo(("open", B)));

        var corrected = await SyncAsync($"{A},张三,男,1957-03-02,13800138000", $"{B},李四,女,1980-01-15,13800138001");

        var closed = (await EntriesAsync()).Single();
        Assert.That(closed["status"], Is.EqualTo("resolved"), "the row arrived clean: the entry is no longer true");
        Assert.That(closed["resolution"], Does.Contain($"run {corrected.RunId}"));

        await SyncAsync($"{A},张三,男,1957-03-02,13800138000", $"{B},李四,女,1980-02-30,13800138001");
        var reopened = (await EntriesAsync()).Single();
        Assert.That((reopened["id"], reopened["status"], Convert.ToInt64(reopened["seen_count"])), Is.EqualTo((opened["id"], "open", 2L)));
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM pool_person WHERE _deleted = 0"), Is.EqualTo(2), "the bad row's record is kept");
    }

    [Test]
    public async Task A_row_arriving_clean_and_unchanged_since_it_was_last_good_closes_its_entry()
    {
        var good = $"{B},李四,女,1980-01-15,13800138001";
        await SyncAsync(good);
        await SyncAsync($"{B},李四,女,1980-02-30,13800138001");
        Assert.That((await EntriesAsync()).Single()["status"], Is.EqualTo("open"));

        var again = await SyncAsync(good);

        Assert.That(again.Counts.Unchanged, Is.EqualTo(1));
        Assert.That((await EntriesAsync()).Single()["status"], Is.EqualTo("resolved"));
    }

    [Test]
    public async Task A_bad_row_changed_at_the_source_closes_its_old_entry_and_opens_one_of_its_own_while_the_same_bad_rows_stay_open()
    {
        // Only B's bad row changes (another impossible date); A and C come back as the same bad rows.
        await SyncAsync($"{A},张三,男,1957-02-30,13800138000", $"{B},李四,女,1980-02-30,13800138001", $"{C},王五,男,2001-06-31,13800138002");
        var changed = await SyncAsync($"{A},张三,男,1957-02-30,13800138000", $"{B},李四,女,1980-02-31,13800138001", $"{C},王五,男,2001-06-31,13800138002");

        var entries = await EntriesAsync();
        Assert.That(entries.Select(e => (e["source_key"], e["status"])), Is.EquivalentTo(new[]
        {
            ((object?)A, (object?)"open"), (B, "resolved"), (B, "open"), (C, "open"),
        }));
        var closed = entries.Single(e => Equals(e["status"], "resolved"));
        Assert.That(closed["resolution"], Does.Contain($"changed at the source (run {changed.RunId})"));
        Assert.That(entries.Where(e => Equals(e["status"], "open")).Select(e => Convert.ToInt64(e["last_run"])), Is.All.EqualTo(changed.RunId));
    }

    [Test]
    public async Task Every_bad_row_corrected_at_once_closes_every_entry()
    {
        await SyncAsync($"{A},张三,男,1957-02-30,13800138000", $"{B},李四,女,1980-02-30,13800138001", $"{C},王五,男,2001-06-31,13800138002");
        Assert.That((await EntriesAsync()).Select(e => e["status"]), Is.EqualTo(new[] { "open", "open", "open" }));

        var corrected = await SyncAsync($"{A},张三,男,1957-03-02,13800138000", $"{B},李四,女,1980-01-15,13800138001", $"{C},王五,男,2001-06-30,13800138002");

        Assert.That(corrected.Counts.New, Is.EqualTo(3));
        Assert.That((await EntriesAsync()).Select(e => (e["status"], e["resolution"])),
            Is.All.EqualTo(((object?)"resolved", (object?)$"the row arrived clean in run {corrected.RunId}")));
    }

    [Test]
    public async Task A_resynced_export_of_the_same_bad_rows_does_not_open_new_entries()
    {
        string[] rows = [$"{A},张三,男,1957-03-02,13800138000", $"{B},李四,女,1980-02-30,13800138001", $"{C},王五,男,2001-06-30,13800138002,多余"];
        var first = await SyncAsync(rows);
        var second = await SyncAsync(rows);

        var entries = await EntriesAsync();
        Assert.That(entries, Has.Count.EqualTo(2));
        Assert.That(entries.Select(e => (e["status"], Convert.ToInt64(e["seen_count"]), Convert.ToInt64(e["first_run"]), Convert.ToInt64(e["last_run"]))),
            Is.All.EqualTo(("open", 2L, first.RunId, second.RunId)));
    }

    [Test]
    public async Task A_reformatted_export_of_the_same_bad_rows_does_not_open_new_entries()
    {
        // A bad birth date, a wrong check character (its birth date written another way next time), a ragged row.
        await SyncAsync(
            $"{A},张三,男,1957-03-02,13800138000",
            $"{B},李四,女,1980-02-30,13800138001",
            $"{WrongCheck},赵六,男,1957/3/2,13800138003",
            $"{C},王五,男,2001-06-30,13800138002,多余");
        Assert.That(await EntriesAsync(), Has.Count.EqualTo(3));

        // The same rows re-exported: UTF-8, columns reordered, an extra column, every field quoted, padded, CRLF.
        await SyncFileAsync("utf-8", "姓名,电话,身份证号,出生日期,性别,备注\r",
            $"\"张三\",\"13800138000\",\"{A}\",\"1957-03-02\",\"男\",\"\"\r",
            $"\" 李四 \",\"13800138001\",\"{B}\",\"1980-02-30\",\"女\",\"已核\"\r",
            $"\"赵六\",\"13800138003\",\"{WrongCheck}\",\"1957年3月2日\",\"男\",\"\"\r",
            $"\"王五\",\"13800138002\",\"{C}\",\"2001-06-30\",\"男\",\"\",\"多余\"\r");

        var entries = await EntriesAsync();
        Assert.That(entries, Has.Count.EqualTo(3), "the same bad rows, only formatted otherwise");
        Assert.That(entries.Select(e => (e["status"], Convert.ToInt64(e["seen_count"]))), Is.All.EqualTo(("open", 2L)));
    }
}
