using ClosedXML.Excel;

namespace DataPool.Connectors.Excel.Tests;

/// <summary>Cell values: dates, numbers, formulas and the ID numbers Excel likes to damage.</summary>
public sealed class CellValueTests
{
    private const string LostDigits =
        "an ID-like number with more than 15 digits was stored as a number and lost its last digits; store it as text";

    private TestFolder _folder = null!;

    [SetUp]
    public void SetUp() => _folder = new TestFolder();

    [TearDown]
    public void TearDown() => _folder.Dispose();

    [Test]
    public async Task Date_cells_read_as_iso_dates_with_time_only_when_present()
    {
        var rows = await ReadOneColumn(
            c => c.Value = new DateTime(1957, 3, 2),
            c => c.Value = new DateTime(2020, 1, 2, 3, 4, 5),
            c => c.Value = new DateTime(2019, 12, 31, 12, 0, 0));

        Assert.That(rows, Is.EqualTo(new[] { "1957-03-02", "2020-01-02 03:04:05", "2019-12-31 12:00:00" }));
    }

    [Test]
    public async Task Serial_numbers_formatted_as_dates_read_as_dates()
    {
        var rows = await ReadOneColumn(
            c => Number(c, 43831, "yyyy\"年\"m\"月\"d\"日\""),
            c => Number(c, 21246, "yyyy/m/d"),
            c => Number(c, 43831.75, "yyyy-mm-dd hh:mm"),
            c => Number(c, 0.5, "h:mm"),
            c => Number(c, 43831, "[$-804]yyyy\"年\"m\"月\""),
            c => Number(c, 43831, null, formatId: 14));

        Assert.That(rows, Is.EqualTo(new[]
        {
            "2020-01-01", "1958-03-02", "2020-01-01 18:00:00", "12:00:00", "2020-01-01", "2020-01-01",
        }));
    }

    [Test]
    public async Task East_Asian_builtin_date_formats_read_as_dates()
    {
        // Chinese Excel stores "2020年1月1日" as built-in format 31 with no format code in the file.
        var rows = await ReadOneColumn(c => Number(c, 43831, null, formatId: 31), c => Number(c, 43831, null, formatId: 57));

        Assert.That(rows, Is.EqualTo(new[] { "2020-01-01", "2020-01-01" }));
    }

    [Test]
    public async Task Numbers_read_as_invariant_text_without_exponent_or_trailing_zero()
    {
        var rows = await ReadOneColumn(
            c => c.Value = 3.0,
            c => c.Value = 2.5,
            c => c.Value = 0.1 + 0.2,
            c => c.Value = -42,
            c => c.Value = 0.00001,
            c => c.Value = 123456789012345d,
            c => Number(c, 1234.5, "#,##0.00"),
            c => Number(c, 0.25, "0%"));

        Assert.That(rows, Is.EqualTo(new[] { "3", "2.5", "0.3", "-42", "0.00001", "123456789012345", "1234.5", "0.25" }));
    }

    [Test]
    public async Task Booleans_and_blank_text_read_as_excel_shows_them()
    {
        var rows = await ReadOneColumn(c => c.Value = true, c => c.Value = false, c => c.SetValue(" 张三 "));

        Assert.That(rows, Is.EqualTo(new[] { "TRUE", "FALSE", " 张三 " }));
    }

    [Test]
    public async Task Formula_cells_read_as_their_saved_values()
    {
        var rows = await ReadFormulas(saveFormulaValues: true);

        Assert.That(rows[0]["double"], Is.EqualTo("8"));
        Assert.That(rows[0]["joined"], Is.EqualTo("34"));
    }

    [Test]
    public async Task Formula_cells_without_saved_values_are_evaluated()
    {
        var rows = await ReadFormulas(saveFormulaValues: false);

        Assert.That(rows[0]["double"], Is.EqualTo("8"));
        Assert.That(rows[0]["joined"], Is.EqualTo("34"));
        Assert.That(rows[0].Problem, Is.Null);
    }

    [Test]
    public async Task A_saved_formula_value_wins_over_evaluating()
    {
        var path = _folder.Workbook("f.xlsx", FormulaSheet);
        // Excel saved 99 (say, before an input changed); the department saw 99, so the pool gets 99.
        TestFolder.PatchPart(path, "xl/worksheets/sheet1.xml", xml => Replace(xml, "<x:f>B2*2</x:f><x:v>8</x:v>", "<x:f>B2*2</x:f><x:v>99</x:v>"));

        var rows = await _folder.ReadAsync(new { path = "f.xlsx" });

        Assert.That(rows[0]["double"], Is.EqualTo("99"));
    }

    [Test]
    public async Task A_formula_Excel_knows_but_ClosedXML_does_not_reads_its_saved_value()
    {
        var path = _folder.Workbook("f.xlsx", wb =>
        {
            var ws = wb.AddWorksheet("S");
            ExcelConnectorTests.Row(ws, 1, "name", "value");
            ws.Cell("A2").SetValue("x");
            ws.Cell("B2").FormulaA1 = "=NOSUCHFUNCTION(1)";
        });
        var broken = await _folder.ReadAsync(new { path = "f.xlsx" });
        TestFolder.PatchPart(path, "xl/worksheets/sheet1.xml",
            xml => Replace(xml, "<x:f>NOSUCHFUNCTION(1)</x:f>", "<x:f>NOSUCHFUNCTION(1)</x:f><x:v>42</x:v>"));

        var saved = await _folder.ReadAsync(new { path = "f.xlsx" });

        Assert.That(broken[0]["value"], Is.Null);
        Assert.That(broken[0].Problem, Does.StartWith("cell B2: the formula =NOSUCHFUNCTION(1) has no saved value"));
        Assert.That(saved[0]["value"], Is.EqualTo("42"));
        Assert.That(saved[0].Problem, Is.Null);
    }

    [Test]
    public async Task Text_ids_are_kept_exactly()
    {
        var rows = await ReadOneColumn(
            c => c.SetValue("000123"),
            c => c.SetValue("110101199003071234"),
            c => c.SetValue("11010119900307123X"));

        Assert.That(rows, Is.EqualTo(new[] { "000123", "110101199003071234", "11010119900307123X" }));
    }

    [Test]
    public async Task Zero_padded_number_format_keeps_leading_zeros()
    {
        var rows = await ReadOneColumn(c => Number(c, 1234, "000000"), c => Number(c, 7, "00"));

        Assert.That(rows, Is.EqualTo(new[] { "001234", "07" }));
    }

    [Test]
    public async Task An_18_digit_number_marks_its_row_with_a_problem()
    {
        _folder.Workbook("ids.xlsx", wb =>
        {
            var ws = wb.AddWorksheet("S");
            ExcelConnectorTests.Row(ws, 1, "户号", "姓名", "身份证号");
            ws.Cell("A2").SetValue("H1");
            ws.Cell("B2").SetValue("张三");
            ws.Cell("C2").SetValue("110101195703020012");
            ws.Cell("A3").SetValue("H2");
            ws.Cell("B3").SetValue("李四");
            ws.Cell("C3").Value = 110101196001010023d; // typed into a General cell: Excel kept 15 digits
        });

        var rows = await _folder.ReadAsync(new { path = "ids.xlsx" });

        Assert.That(rows[0].Problem, Is.Null);
        Assert.That(rows[1].Problem, Is.EqualTo($"cell C3: {LostDigits}"));
        Assert.That(rows[1]["身份证号"], Does.StartWith("110101196001010").And.Not.Contain("E"));
        Assert.That(rows[1]["姓名"], Is.EqualTo("李四"), "the rest of the row is still read");
    }

    [Test]
    public async Task A_merged_damaged_number_marks_every_row_of_the_range()
    {
        _folder.Workbook("m.xlsx", wb =>
        {
            var ws = wb.AddWorksheet("S");
            ExcelConnectorTests.Row(ws, 1, "户主身份证号", "姓名");
            ws.Cell("A2").Value = 110101196001010023d;
            ws.Range("A2:A3").Merge();
            ws.Cell("B2").SetValue("李四");
            ws.Cell("B3").SetValue("王芳");
        });

        var rows = await _folder.ReadAsync(new { path = "m.xlsx" });

        Assert.That(rows.Select(r => r.Problem), Is.All.EqualTo($"cell A2: {LostDigits}"));
    }

    private static void FormulaSheet(XLWorkbook wb)
    {
        var ws = wb.AddWorksheet("S");
        ExcelConnectorTests.Row(ws, 1, "a", "b", "double", "joined");
        ws.Cell("A2").Value = 3;
        ws.Cell("B2").Value = 4;
        ws.Cell("C2").FormulaA1 = "=B2*2";
        ws.Cell("D2").FormulaA1 = "=A2&B2";
    }

    private async Task<List<DataPool.Abstractions.RawRow>> ReadFormulas(bool saveFormulaValues)
    {
        _folder.Workbook("f.xlsx", FormulaSheet, saveFormulaValues);
        return await _folder.ReadAsync(new { path = "f.xlsx" });
    }

    /// <summary>Writes one value per row under the header "v" and reads the column back.</summary>
    private async Task<List<string?>> ReadOneColumn(params Action<IXLCell>[] cells)
    {
        _folder.Workbook("values.xlsx", wb =>
        {
            var ws = wb.AddWorksheet("S");
            ws.Cell(1, 1).SetValue("v");
            ws.Cell(1, 2).SetValue("row");
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i](ws.Cell(i + 2, 1));
                ws.Cell(i + 2, 2).SetValue($"r{i}"); // keeps a row whose value reads empty
            }
        });

        var rows = await _folder.ReadAsync(new { path = "values.xlsx" });
        Assert.That(rows, Has.Count.EqualTo(cells.Length));
        Assert.That(rows.Select(r => r.Problem), Is.All.Null);
        return rows.Select(r => r["v"]).ToList();
    }

    private static void Number(IXLCell cell, double value, string? format, int formatId = -1)
    {
        cell.Value = value;
        if (format is not null)
        {
            cell.Style.NumberFormat.Format = format;
        }
        else
        {
            cell.Style.NumberFormat.NumberFormatId = formatId;
        }
    }

    private static string Replace(string xml, string find, string replacement)
    {
        Assert.That(xml, Does.Contain(find), "the workbook is not written as this test expects");
        return xml.Replace(find, replacement, StringComparison.Ordinal);
    }
}
