using ClosedXML.Excel;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using static DataPool.Core.Tests.Seeding.DemoWorlds;

namespace DataPool.Core.Tests.Seeding;

/// <summary>The Excel exports look like the departments' own: titles, merged cells, one sheet per building.</summary>
public class DemoExcelTests
{
    [Test]
    public void TheAssistanceRosterHasAMergedTitleATwoLevelHeaderAndHouseholdCellsMergedOverMembers()
    {
        using var book = new XLWorkbook(Path.Combine(DefaultWorld, "civil-affairs", "assistance.xlsx"));
        var sheet = book.Worksheets.Single();
        Assert.That(sheet.Name, Is.EqualTo("救助对象花名册"));
        var merged = sheet.MergedRanges.Select(r => r.RangeAddress.ToStringRelative()).ToHashSet();

        Assert.That(sheet.Cell(1, 1).GetString(), Does.Contain("救助对象花名册"));
        Assert.That(merged, Does.Contain("A1:M1"), "the title spans the table");
        Assert.That(merged, Is.SupersetOf(new[] { "A2:A3", "B2:E2", "F2:J2", "K2:M2" }), "group cells over the leaf header");
        Assert.That(sheet.Cell(2, 2).GetString(), Is.EqualTo("家庭信息"));
        Assert.That(SheetHeader(sheet, 3), Is.EqualTo(new[] { "序号", "户号", "救助类别", "保障人数", "月救助金额（元）", "姓名", "与户主关系", "身份证号", "性别", "出生日期", "救助起始日期", "救助状态", "所属社区" }));

        var householdMerges = sheet.MergedRanges.Where(r => r.RangeAddress.FirstAddress.ColumnNumber == 2 && r.RangeAddress.FirstAddress.RowNumber > 3).ToList();
        Assert.That(householdMerges, Is.Not.Empty, "户号 merged over a household's members");
        foreach (var range in householdMerges)
        {
            Assert.That(range.RowCount(), Is.GreaterThan(1));
            Assert.That(range.FirstCell().GetString(), Does.Match("^1[0-9]{9}$"));
            var last = range.RangeAddress.LastAddress.RowNumber;
            Assert.That(sheet.Cell(last, 6).GetString(), Is.Not.Empty, "every row of the merge is a member");
        }
    }

    [Test]
    public void TheLedgerHasOneSheetPerBuildingEachWithATitle()
    {
        using var book = new XLWorkbook(Path.Combine(DefaultWorld, "ledgers", "ledger.xlsx"));
        var names = book.Worksheets.Select(w => w.Name).ToList();
        Assert.That(names, Has.Count.GreaterThanOrEqualTo(5));
        Assert.That(names, Is.EqualTo(Enumerable.Range(1, names.Count).Select(n => $"楼{n}").ToList()));

        var rows = 0;
        foreach (var sheet in book.Worksheets)
        {
            var number = sheet.Name[1..];
            Assert.That(sheet.Cell(1, 1).GetString(), Is.EqualTo($"多福巷社区{number}号楼居民信息台账"), sheet.Name);
            Assert.That(sheet.MergedRanges.Select(r => r.RangeAddress.ToStringRelative()), Does.Contain("A1:L1"), sheet.Name);
            Assert.That(SheetHeader(sheet, 2)[..6], Is.EqualTo(new[] { "户号", "单元", "门牌号", "姓名", "性别", "身份证号" }), sheet.Name);
            rows += sheet.LastRowUsed()!.RowNumber() - 2;
        }

        var ledger = DemoSummary.Sources.Single(s => s.Id == "ledger");
        Assert.That(rows, Is.EqualTo(ledger.RowsWritten), "every data row below the title and header of each sheet");
        Assert.That(ledger.Streams.Select(s => s.Read), Is.All.EqualTo(rows));
    }

    [Test]
    public void TheOtherRostersHaveATitleRowMergedAcrossTheirColumns()
    {
        foreach (var (file, sheetName, columns, stream) in new[]
        {
            ("civil-affairs/elderly-allowance.xlsx", "高龄津贴发放名册", 12, ("civil-affairs", "elderly")),
            ("civil-affairs/communities.xlsx", "社区名录", 11, ("civil-affairs", "communities")),
            ("veterans/special-care.xlsx", "优抚对象名册", 11, ("veterans", "special-care")),
        })
        {
            using var book = new XLWorkbook(Path.Combine(DefaultWorld, file));
            var sheet = book.Worksheet(sheetName);
            Assert.That(sheet.Cell(1, 1).GetString(), Is.Not.Empty, file);
            Assert.That(sheet.MergedRanges.Select(r => r.RangeAddress.ToStringRelative()), Does.Contain($"A1:{XLHelper.GetColumnLetterFromNumber(columns)}1"), file);
            Assert.That(SheetHeader(sheet, 2), Has.Count.EqualTo(columns), file);
            var expected = DemoSummary.Sources.Single(s => s.Id == stream.Item1).Streams.Single(s => s.Name == stream.Item2).Read;
            Assert.That(sheet.LastRowUsed()!.RowNumber() - 2, Is.EqualTo(expected), file);
        }
    }

    [Test]
    public void DatesAreRealExcelDatesAndTextsMixed()
    {
        using var book = new XLWorkbook(Path.Combine(DefaultWorld, "civil-affairs", "elderly-allowance.xlsx"));
        var since = book.Worksheet(1).Column(9).CellsUsed().Where(c => c.Address.RowNumber > 2).ToList();
        Assert.That(since.Count(c => c.DataType == XLDataType.DateTime), Is.GreaterThan(since.Count / 3), "most are Excel dates");
        Assert.That(since.Count(c => c.DataType == XLDataType.Text), Is.GreaterThan(10), "some are typed as text in legacy formats");
        Assert.That(since.Where(c => c.DataType == XLDataType.Text).Select(c => c.GetString()), Has.Some.Contains("年"));
    }

    [TestCase("civil-affairs/assistance.xlsx")]
    [TestCase("civil-affairs/elderly-allowance.xlsx")]
    [TestCase("civil-affairs/communities.xlsx")]
    [TestCase("veterans/special-care.xlsx")]
    [TestCase("ledgers/ledger.xlsx")]
    public void TheWorkbooksAreValidOpenXml(string file)
    {
        using var document = SpreadsheetDocument.Open(Path.Combine(DefaultWorld, file), false);
        var errors = new OpenXmlValidator(FileFormatVersions.Office2013).Validate(document)
            .Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}").Take(5).ToList();
        Assert.That(errors, Is.Empty);
    }

    /// <summary>
    /// The same seed gives the same workbooks cell for cell (their bytes differ: the workbook library names its
    /// package parts afresh on every save). Regression: the move to ClosedXML must keep the demo world deterministic.
    /// </summary>
    [TestCase("civil-affairs/assistance.xlsx")]
    [TestCase("civil-affairs/elderly-allowance.xlsx")]
    [TestCase("civil-affairs/communities.xlsx")]
    [TestCase("veterans/special-care.xlsx")]
    [TestCase("ledgers/ledger.xlsx")]
    public void TheSameSeedGivesTheSameWorkbookCells(string file)
    {
        var first = WorkbookCells(Path.Combine(DefaultWorld, file));
        var second = WorkbookCells(Path.Combine(DemoAgain, file));
        Assert.That(first, Has.Count.GreaterThan(50));
        Assert.That(second, Is.EqualTo(first), $"{file} differs between two runs with the same seed");
    }

    [Test]
    public void ColumnsAreWideEnoughForChineseText()
    {
        using var book = new XLWorkbook(Path.Combine(DefaultWorld, "ledgers", "ledger.xlsx"));
        var sheet = book.Worksheet(1);
        Assert.That(sheet.Column(6).Width, Is.GreaterThanOrEqualTo(18), "an 18-character ID fits");
        Assert.That(sheet.Column(11).Width, Is.GreaterThan(40), "an address of ~20 Chinese characters counts double");
    }

    /// <summary>Every sheet's used cells (type, text, format), merges and column widths, one line each.</summary>
    private static List<string> WorkbookCells(string file)
    {
        using var book = new XLWorkbook(file);
        var lines = new List<string>();
        foreach (var sheet in book.Worksheets)
        {
            lines.Add($"sheet {sheet.Name} frozen {sheet.SheetView.SplitRow}");
            lines.AddRange(sheet.MergedRanges.Select(r => $"{sheet.Name} merged {r.RangeAddress.ToStringRelative()}").Order(StringComparer.Ordinal));
            lines.AddRange(sheet.ColumnsUsed().Select(c => $"{sheet.Name} column {c.ColumnNumber()} width {c.Width}"));
            lines.AddRange(sheet.CellsUsed().Select(c => $"{sheet.Name}!{c.Address} {c.DataType} {c.GetString()} {c.Style.NumberFormat.Format}"));
        }

        return lines;
    }
}
