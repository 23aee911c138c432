using System.Text;
using DataPool.Core.Tests.Support;

namespace DataPool.Core.Tests.Sync;

/// <summary>The <c>fixedwidth</c> connector through the whole pipeline: a GB18030 mainframe export with a trailer.</summary>
[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class FixedWidthSyncTests(string store)
{
    private PoolTestHost _host = null!;

    private static readonly string A = Residents.Id("19570302", 1);
    private static readonly string B = Residents.Id("19800115", 2);
    private static readonly string C = Residents.Id("20010630", 13);

    [SetUp]
    public async Task SetUp() => _host = await PoolTestHost.CreateAsync(store);

    [TearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    /// <summary>身份证号 bytes 1–18, 姓名 19–28, 性别 29–30, 出生日期 31–38, padded in GB18030 bytes.</summary>
    private static string Record(string id, string name, int sequence, string birth) =>
        Pad(id, 18) + Pad(name, 10) + Pad(Residents.Gender(sequence), 2) + Pad(birth, 8);

    private static string Pad(string value, int bytes) =>
        value + new string(' ', bytes - Encoding.GetEncoding("GB18030").GetByteCount(value));

    private void WriteExport(int trailerCount, params string[] records)
    {
        _host.WriteFile("persons.dat", string.Join("\r\n", records) + $"\r\nTRL{trailerCount:D9}20260301\r\n", "GB18030");
        _host.WriteFile("mainframe.source.json", $$"""
            {
              "id": "mainframe", "name": "户籍大型机导出", "department": "public-security", "kind": "fixedwidth",
              "settings": {
                "path": "persons.dat",
                "encoding": "GB18030",
                "fields": [
                  { "name": "身份证号", "start": 1,  "length": 18 },
                  { "name": "姓名",     "start": 19, "length": 10 },
                  { "name": "性别",     "start": 29, "length": 2 },
                  { "name": "出生日期", "start": 31, "length": 8 },
                ],
                "trailer": { "prefix": "TRL", "countStart": 4, "countLength": 9 },
              },
              "priority": 10,
              "streams": {{HukouDefinitions.PersonsStream(phone: false)}}
            }
            """);
    }

    [Test]
    public async Task A_mainframe_export_with_a_matching_trailer_syncs_and_a_short_line_is_quarantined()
    {
        WriteExport(3, Record(A, "张三", 1, "19570302"), Record(B, "欧阳娜娜", 2, "19800115"), A[..10]);

        var result = await _host.SyncAsync("mainframe.source.json");

        Assert.That(result.Succeeded, Is.True, result.Error);
        Assert.That(result.SummaryLine, Is.EqualTo("mainframe: read=3 accepted=2 quarantined=1 new=2 updated=0 unchanged=0 deleted=0"));
        var names = (await _host.QueryAsync("SELECT name FROM pool_person ORDER BY birth_date")).Select(p => p["name"]);
        Assert.That(names, Is.EqualTo(new[] { "张三", "欧阳娜娜" }));
        Assert.That((await _host.QueryAsync("SELECT reasons FROM dp_quarantine")).Single()["reasons"], Does.Contain("line 3 is 10 bytes long"));
    }

    [Test]
    public async Task A_wrong_trailer_count_fails_the_run_and_the_pool_is_unchanged()
    {
        WriteExport(2, Record(A, "张三", 1, "19570302"), Record(B, "李四", 2, "19800115"));
        var first = await _host.SyncAsync("mainframe.source.json");
        Assert.That(first.Succeeded, Is.True, first.Error);
        var historyBefore = await _host.CountAsync("SELECT COUNT(*) FROM dp_history");

        // The new export lost a record (B) and renamed A, but its trailer still promises 3 rows.
        WriteExport(3, Record(A, "张叁", 1, "19570302"), Record(C, "王五", 13, "20010630"));
        var result = await _host.SyncAsync("mainframe.source.json");

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Error, Does.Contain("persons.dat: the trailer says 3 rows, the file has 2"));
        var people = await _host.QueryAsync("SELECT id_number, name, _deleted FROM pool_person ORDER BY id_number");
        Assert.That(people.Select(p => p["name"]), Is.EquivalentTo(new[] { "张三", "李四" }), "no rename, no new record");
        Assert.That(people.Select(p => Convert.ToInt64(p["_deleted"])), Is.All.EqualTo(0L), "the missing record is not deleted");
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM dp_history"), Is.EqualTo(historyBefore));
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM dp_quarantine"), Is.EqualTo(0));
        var run = (await _host.QueryAsync("SELECT status FROM dp_runs WHERE id = @id", ("@id", result.RunId))).Single();
        Assert.That(run["status"], Is.EqualTo("failed"));
    }
}
