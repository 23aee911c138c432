using ClosedXML.Excel;
using DataPool.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Connectors.Excel.Tests;

/// <summary>Workbook layout: titles, headers, merged cells, sheets, and the errors a person sees.</summary>
public sealed class ExcelConnectorTests
{
    private TestFolder _folder = null!;

    [SetUp]
    public void SetUp() => _folder = new TestFolder();

    [TearDown]
    public void TearDown() => _folder.Dispose();

    [Test]
    public async Task Title_row_merged_across_columns_is_skipped_with_headerRow_2()
    {
        _folder.Workbook("roster.xlsx", wb =>
        {
            var ws = wb.AddWorksheet("低保");
            ws.Cell("A1").Value = "朝阳区某社区低保对象名册";
            ws.Range("A1:C1").Merge();
            Row(ws, 2, "身份证号", "姓名", "性别");
            Row(ws, 3, "110101195703020012", "张三", "男");
            Row(ws, 4, "110101196001010023", "李四", "女");
        });

        var rows = await _folder.ReadAsync(new { path = "roster.xlsx", headerRow = 2 });

        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.That(rows[0].Header.Columns, Is.EqualTo(new[] { "身份证号", "姓名", "性别", "_sheet" }));
        Assert.That(rows[0].Values, Is.EqualTo(new[] { "110101195703020012", "张三", "男", "低保" }));
        Assert.That(rows[1]["姓名"], Is.EqualTo("李四"));
        Assert.That(rows.Select(r => r.Number), Is.EqualTo(new long[] { 1, 2 }));
        Assert.That(rows[0].Location, Is.EqualTo("roster.xlsx 低保!row 3"));
        Assert.That(rows.Select(r => r.Problem), Is.All.Null);
    }

    [Test]
    public async Task Header_cells_are_cleaned_filled_and_made_unique()
    {
        _folder.Workbook("h.xlsx", wb =>
        {
            var ws = wb.AddWorksheet("S");
            Row(ws, 1, "  姓名 ", "出生\n日期", "联系方式", null, null, "备注", "备注", "_sheet");
            ws.Range("C1:D1").Merge(); // one header over two phone columns
            Row(ws, 2, "张三", "1957-03-02", "13800000000", "010-1234567", "x", "a", "b", "c");
        });

        var rows = await _folder.ReadAsync(new { path = "h.xlsx" });

        Assert.That(rows[0].Header.Columns, Is.EqualTo(new[]
        {
            "姓名", "出生日期", "联系方式", "联系方式#2", "column 5", "备注", "备注#2", "_sheet#2", "_sheet",
        }));
        Assert.That(rows[0]["联系方式#2"], Is.EqualTo("010-1234567"));
        Assert.That(rows[0]["column 5"], Is.EqualTo("x"));
        Assert.That(rows[0]["_sheet"], Is.EqualTo("S"));
        Assert.That(rows[0]["_sheet#2"], Is.EqualTo("c"));
    }

    [Test]
    public async Task Header_merged_vertically_from_the_title_area_takes_the_top_left_value()
    {
        _folder.Workbook("v.xlsx", wb =>
        {
            var ws = wb.AddWorksheet("S");
            Row(ws, 1, "户号", "成员");
            Row(ws, 2, null, "姓名");
            ws.Range("A1:A2").Merge(); // a two-row header block read with headerRow 2
            Row(ws, 3, "H1", "张三");
        });

        var rows = await _folder.ReadAsync(new { path = "v.xlsx", headerRow = 2 });

        Assert.That(rows[0].Header.Columns, Is.EqualTo(new[] { "户号", "姓名", "_sheet" }));
        Assert.That(rows[0]["户号"], Is.EqualTo("H1"));
    }

    [Test]
    public async Task Vertically_merged_data_cells_repeat_on_every_row_of_the_range()
    {
        _folder.Workbook("households.xlsx", wb =>
        {
            var ws = wb.AddWorksheet("楼1");
            Row(ws, 1, "户号", "姓名", "与户主关系");
            Row(ws, 2, "H001", "张三", "户主");
            Row(ws, 3, null, "王芳", "配偶");
            Row(ws, 4, null, "张小明", "子");
            ws.Range("A2:A4").Merge();
            Row(ws, 5, "H002", "李四", "户主");
            ws.Range("A5:A7").Merge(); // runs past the household's only member
            ws.Cell("C6").SetValue(" "); // and that row holds nothing but a stray space
        });

        var rows = await _folder.ReadAsync(new { path = "households.xlsx" });

        Assert.That(rows.Select(r => r["户号"]), Is.EqualTo(new[] { "H001", "H001", "H001", "H002" }));
        Assert.That(rows.Select(r => r["姓名"]), Is.EqualTo(new[] { "张三", "王芳", "张小明", "李四" }));
        Assert.That(rows[2].Location, Is.EqualTo("households.xlsx 楼1!row 4"));
    }

    [Test]
    public async Task Empty_rows_are_skipped_and_numbers_count_data_rows()
    {
        _folder.Workbook("gaps.xlsx", wb =>
        {
            var ws = wb.AddWorksheet("S");
            Row(ws, 1, "姓名", "电话");
            Row(ws, 2, "张三", "1");
            Row(ws, 4, "李四", "2");
            ws.Cell("A5").Value = "   "; // blank-looking
            ws.Cell("B6").Style.Fill.BackgroundColor = XLColor.Yellow; // formatted, no value
            Row(ws, 7, null, "3");
        });

        var rows = await _folder.ReadAsync(new { path = "gaps.xlsx" });

        Assert.That(rows.Select(r => r.Location), Is.EqualTo(new[] { "gaps.xlsx S!row 2", "gaps.xlsx S!row 4", "gaps.xlsx S!row 7" }));
        Assert.That(rows.Select(r => r.Number), Is.EqualTo(new long[] { 1, 2, 3 }));
        Assert.That(rows[2]["姓名"], Is.Null);
    }

    [Test]
    public async Task Every_sheet_is_read_in_workbook_order_with_its_own_header()
    {
        Ledger();

        var rows = await _folder.ReadAsync(new { path = "ledger.xlsx" });

        Assert.That(rows.Select(r => r["_sheet"]), Is.EqualTo(new[] { "楼1", "楼1", "楼2", "楼3" }));
        Assert.That(rows.Select(r => r["姓名"]), Is.EqualTo(new[] { "张三", "李四", "王五", "赵六" }));
        Assert.That(rows.Select(r => r["身份证号"]), Is.EqualTo(new[] { "A1", "A2", "B1", "C1" }));
        Assert.That(rows[2].Header.Columns, Is.EqualTo(new[] { "身份证号", "姓名", "_sheet" }));
        Assert.That(rows[0].Header.Columns, Is.EqualTo(new[] { "姓名", "身份证号", "_sheet" }));
        Assert.That(rows[0].Header, Is.SameAs(rows[1].Header), "one header per sheet, shared by its rows");
        Assert.That(rows.Select(r => r.Number), Is.EqualTo(new long[] { 1, 2, 3, 4 }));
        Assert.That(rows[3].Location, Is.EqualTo("ledger.xlsx 楼3!row 2"));
    }

    [Test]
    public async Task Sheets_setting_selects_sheets_in_its_order()
    {
        Ledger();

        var rows = await _folder.ReadAsync(new { path = "ledger.xlsx", sheets = new[] { "楼3", "楼1" } });

        Assert.That(rows.Select(r => r["_sheet"]), Is.EqualTo(new[] { "楼3", "楼1", "楼1" }));
        Assert.That(rows.Select(r => r.Number), Is.EqualTo(new long[] { 1, 2, 3 }));
    }

    [Test]
    public async Task Sheets_setting_accepts_a_single_name_and_an_empty_list()
    {
        Ledger();

        var one = await _folder.ReadAsync("""{ "path": "ledger.xlsx", "sheets": "楼2" }""");
        var all = await _folder.ReadAsync("""{ "path": "ledger.xlsx", "sheets": [] }""");

        Assert.That(one.Select(r => r["姓名"]), Is.EqualTo(new[] { "王五" }));
        Assert.That(all, Has.Count.EqualTo(4));
    }

    [Test]
    public void Unknown_sheet_fails_naming_it_and_the_sheets_there_are()
    {
        _folder.Workbook("ledger.xlsx", wb =>
        {
            Row(wb.AddWorksheet("楼1"), 1, "姓名");
            Row(wb.AddWorksheet("楼2"), 1, "姓名");
        });

        var error = Assert.ThrowsAsync<ConnectorException>(
            () => _folder.ReadAsync(new { path = "ledger.xlsx", sheets = new[] { "楼1", "楼9" } }));

        Assert.That(error.Message, Is.EqualTo("settings.sheets: no sheet '楼9' in ledger.xlsx (sheets: 楼1, 楼2)"));
    }

    [Test]
    public void Missing_file_fails_naming_the_setting()
    {
        var error = Assert.ThrowsAsync<ConnectorException>(() => _folder.ReadAsync(new { path = "x.xlsx" }));

        Assert.That(error.Message, Is.EqualTo("settings.path: file 'x.xlsx' not found"));
    }

    [Test]
    public void A_file_that_is_not_a_workbook_fails_naming_the_file()
    {
        File.WriteAllText(Path.Combine(_folder.Directory, "export.xlsx"), "身份证号,姓名\n1,张三\n");

        var error = Assert.ThrowsAsync<ConnectorException>(() => _folder.ReadAsync(new { path = "export.xlsx" }));

        Assert.That(error.Message, Does.StartWith("settings.path: 'export.xlsx' is not a readable Excel workbook"));
    }

    [TestCase("""{ "path": "ledger.xlsx", "headerRow": 0 }""", "settings.headerRow: must be 1 or more")]
    [TestCase("""{ "path": "ledger.xlsx", "headerRow": "two" }""", "settings.headerRow: not a valid value")]
    [TestCase("""{ "path": "ledger.xlsx", "sheets": ["楼1", "楼1"] }""", "settings.sheets: sheet '楼1' is listed twice")]
    [TestCase("""{ "sheets": ["楼1"] }""", "settings.path: a path is required")]
    public void Bad_settings_fail_naming_the_setting(string settings, string message)
    {
        Ledger();

        var error = Assert.ThrowsAsync<ConnectorException>(() => _folder.ReadAsync(settings));

        Assert.That(error.Message, Does.StartWith(message));
    }

    [Test]
    public void AddExcelConnector_registers_the_excel_kind()
    {
        var services = new Services();

        services.AddExcelConnector();

        var descriptor = services.Single(d => d.ServiceType == typeof(IConnector));
        Assert.That(descriptor.ImplementationType, Is.EqualTo(typeof(ExcelConnector)));
        Assert.That(new ExcelConnector().Kind, Is.EqualTo("excel"));
    }

    private void Ledger() => _folder.Workbook("ledger.xlsx", wb =>
    {
        var one = wb.AddWorksheet("楼1");
        Row(one, 1, "姓名", "身份证号");
        Row(one, 2, "张三", "A1");
        Row(one, 3, "李四", "A2");
        var two = wb.AddWorksheet("楼2");
        Row(two, 1, "身份证号", "姓名"); // another worker kept the columns the other way round
        Row(two, 2, "B1", "王五");
        var three = wb.AddWorksheet("楼3");
        Row(three, 1, "姓名", "身份证号");
        Row(three, 2, "赵六", "C1");
    });

    /// <summary>Writes text cells (nulls left empty) so these tests are about layout, not value types.</summary>
    internal static void Row(IXLWorksheet sheet, int row, params string?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is not null)
            {
                sheet.Cell(row, i + 1).SetValue(values[i]);
            }
        }
    }

    private sealed class Services : List<ServiceDescriptor>, IServiceCollection;
}
