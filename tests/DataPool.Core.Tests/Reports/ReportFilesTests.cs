using System.Globalization;
using System.Text;
using DataPool.Core.Reports;
using DataPool.Core.Schema;

namespace DataPool.Core.Tests.Reports;

/// <summary>The archive files on their own: formula neutralisation in both formats, CJK widths, cell references, id encoding.</summary>
public sealed class ReportFilesTests
{
    [Test]
    public void Cells_that_would_run_as_formulas_are_neutralised_in_xlsx_and_csv()
    {
        var definition = new ReportDefinition
        {
            Id = "t", Title = new Labels("测试", "Test"), Department = "civil-affairs", Entity = "community",
            GroupBy = [new ReportGroup { Field = "name", Label = new Labels("=名称", "Name") }],
            Measures = [new ReportMeasure { Id = "n", Label = new Labels("数量", "Count") }],
        };
        string[] evil = ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-3+4", "@SUM(A1)", "普通社区"];
        var result = new ReportResult(DateTimeOffset.UtcNow, 7, evil.Select(e => new ReportRow([e], [e], [1m], [[1]])).ToList(), [5m]);
        var sheet = new ReportSheet(definition, result, 1, result.Rows.Select(r => r.Shown).ToList());
        var folder = Directory.CreateTempSubdirectory("datapool-report-files-").FullName;
        try
        {
            ReportFiles.WriteXlsx(sheet, Path.Combine(folder, "t.xlsx"));
            ReportFiles.WriteCsv(sheet, Path.Combine(folder, "t.csv"));
            var read = ReportPool.ReadXlsx(Path.Combine(folder, "t.xlsx"));
            var rows = read.GetProperty("rows").EnumerateArray().Select(r => r.EnumerateArray().ToList()).ToList();
            var types = read.GetProperty("types").EnumerateArray().Select(r => r.EnumerateArray().Select(t => t.GetString()).ToList()).ToList();
            Assert.That(rows[2][0].GetString(), Is.EqualTo("'=名称"), "a header too");
            for (var i = 0; i < evil.Length; i++)
            {
                var expected = i < 4 ? "'" + evil[i] : evil[i];
                Assert.That(rows[3 + i][0].GetString(), Is.EqualTo(expected));
                Assert.That(types[3 + i][0], Is.EqualTo("s"), "stored as text, never as a formula");
            }

            var csv = File.ReadAllText(Path.Combine(folder, "t.csv"), Encoding.UTF8);
            Assert.That(csv, Does.Contain("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"").And.Contain("'+1+2").And.Contain("'-3+4").And.Contain("'@SUM(A1)"));
            Assert.That(csv.Split("\r\n").Where(l => l.Length > 0).Select(l => l[0]), Has.None.AnyOf('=', '+', '-', '@'));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestCase("abc", 3)]
    [TestCase("社区名称", 8)]
    [TestCase("80岁及以上", 10)]
    public void Chinese_characters_count_double(string text, int width) => Assert.That(ReportSheet.DisplayWidth(text), Is.EqualTo(width));

    [TestCase(0, "A")]
    [TestCase(25, "Z")]
    [TestCase(26, "AA")]
    [TestCase(701, "ZZ")]
    public void Column_names_round_trip(int column, string name)
    {
        Assert.That(ReportSheet.ColumnName(column), Is.EqualTo(name));
        Assert.That(ReportSheet.ParseRef(name + "7"), Is.EqualTo((column, 7)));
    }

    [TestCase("c7")]
    [TestCase("C0")]
    [TestCase("../C7")]
    [TestCase("C")]
    public void Not_a_cell_reference(string reference) => Assert.That(ReportSheet.ParseRef(reference), Is.Null);

    [Test]
    public void Member_ids_round_trip_compactly()
    {
        var random = new Random(42);
        var ids = Enumerable.Range(0, 100_000).Select(_ => (long)random.Next(1, 5_000_000)).Distinct().Order().ToArray();
        // As the aggregation returns them: each id packed with one measure bit, set (the id counts in the measure).
        var text = string.Join(",", ids.Reverse().Select(i => (i * 2 + 1).ToString(CultureInfo.InvariantCulture)));
        var parsed = Unpack(text);
        var encoded = MemberIds.Encode(parsed);
        Assert.That(MemberIds.Decode(encoded), Is.EqualTo(ids));
        Assert.That(encoded.Length, Is.LessThan(ids.Length * 3), "a few bytes per id at most");
        Assert.That(MemberIds.Decode(MemberIds.Encode(Unpack(null))), Is.Empty);
        Assert.That(MemberIds.Decode(MemberIds.Encode(Unpack("601,3,11"))), Is.EqualTo(new long[] { 1, 5, 300 }), "a short list, stored without deflate");
    }

    private static long[] Unpack(string? packed)
    {
        var lists = new[] { new List<long>() };
        MemberIds.ParsePacked(packed, 1, lists, 0);
        return [.. lists[0].Order()];
    }

    [Test]
    public void Archive_paths_stay_inside_the_archive()
    {
        var archive = new ReportArchive(new Core.Store.StoreOptions { DataDirectory = Path.GetTempPath() });
        Assert.That(archive.FullPath(ReportArchive.RelativePath("dibao-roster", 3, "csv")), Does.EndWith(Path.Combine("reports", "dibao-roster", "3.csv")));
        Assert.Throws<ArgumentException>(() => ReportArchive.RelativePath("../etc", 3, "csv"));
        Assert.Throws<ArgumentException>(() => ReportArchive.RelativePath("ok", 3, "exe"));
        Assert.Throws<UnauthorizedAccessException>(() => archive.FullPath("../../etc/passwd"));
    }
}
