using System.Net;
using System.Text;
using ClosedXML.Excel;
using CsvHelper;
using DataPool.Core.Query;
using DataPool.Core.Store;
using DataPool.Server.Identity;
using DataPool.Server.Pool;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using MiniExcelLibs;

namespace DataPool.Server.Tests.Query;

/// <summary>Exports as CSV and xlsx: every row, Chinese headers, formulas neutralised, audited, read back by independent readers.</summary>
[TestFixture(StoreOptions.Sqlite)]
[TestFixture(StoreOptions.Postgres)]
public sealed class ExportTests(string store)
{
    private ServerHost _server = null!;
    private HttpClient _admin = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _server = await ServerHost.StartAsync(store);
        await QueryWorld.SeedAsync(_server);
        _admin = await _server.ClientAsync(Roles.Admin);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    private async Task<byte[]> ExportAsync(string query, string contentType)
    {
        using var response = await _admin.GetAsync("/api/pool/person/export?" + query);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo(contentType));
        return await response.Content.ReadAsByteArrayAsync();
    }

    [Test]
    public async Task A_csv_export_has_every_row_once_and_is_audited_per_record()
    {
        var before = await QueryWorld.CountAsync(_server, "SELECT count(*) FROM dp_access_log WHERE purpose = 'export csv'");
        var bytes = await ExportAsync($"format=csv&community_code={QueryWorld.BulkCommunity}&sort=-birth_date", "text/csv");
        Assert.That(bytes[..3], Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), "UTF-8 with BOM");

        using var reader = new CsvReader(new StringReader(Encoding.UTF8.GetString(bytes[3..])), System.Globalization.CultureInfo.InvariantCulture);
        var rows = reader.GetRecords<dynamic>().Cast<IDictionary<string, object>>().ToList();
        Assert.That(rows, Has.Count.EqualTo(QueryWorld.BulkCount));
        Assert.That(rows[0].Keys, Does.Contain("姓名 (name)").And.Contain("公民身份号码 (id_number)"));
        Assert.That(rows.Select(r => r["公民身份号码 (id_number)"]).Distinct().Count(), Is.EqualTo(QueryWorld.BulkCount));
        var births = rows.Select(r => (string)r["出生日期 (birth_date)"]).Where(b => b.Length > 0).ToList();
        Assert.That(births, Is.EqualTo(births.OrderByDescending(b => b, StringComparer.Ordinal).ToList()), "the export keeps the query's sort");

        var after = await QueryWorld.CountAsync(_server, "SELECT count(*) FROM dp_access_log WHERE purpose = 'export csv'");
        Assert.That(after - before, Is.EqualTo(QueryWorld.BulkCount), "one audit entry per record exported");
    }

    [Test]
    public async Task Csv_cells_that_would_run_as_formulas_are_neutralised()
    {
        var text = Encoding.UTF8.GetString(await ExportAsync($"format=csv&community_code={QueryWorld.CommunityA}", "text/csv"));
        using var reader = new CsvReader(new StringReader(text), System.Globalization.CultureInfo.InvariantCulture);
        var row = reader.GetRecords<dynamic>().Cast<IDictionary<string, object>>().Single(r => ((string)r["姓名 (name)"]).Contains("HYPERLINK", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(row["姓名 (name)"], Is.EqualTo("'" + QueryWorld.FormulaName));
            Assert.That(row["现住址 (address)"], Is.EqualTo("'" + QueryWorld.FormulaAddress));
            Assert.That(row["联系电话 (phone)"], Is.EqualTo("'-13800138002"));
            Assert.That(row["性别 (gender)"], Is.EqualTo("2"), "ordinary cells are left alone");
        });
    }

    [Test]
    public async Task An_xlsx_export_reads_back_with_neutralised_cells_and_chinese_headers()
    {
        var bytes = await ExportAsync($"format=xlsx&community_code={QueryWorld.CommunityA}&sort=birth_date", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        using var workbook = new XLWorkbook(new MemoryStream(bytes));
        var sheet = workbook.Worksheets.First();
        var headers = sheet.Row(1).CellsUsed().Select(c => c.GetString()).ToList();
        Assert.That(headers, Does.Contain("姓名 (name)").And.Contain("现住址 (address)"));
        var nameColumn = headers.IndexOf("姓名 (name)") + 1;
        var names = Enumerable.Range(2, 3).Select(r => sheet.Cell(r, nameColumn)).ToList();
        var formula = names.Single(c => c.GetString().Contains("HYPERLINK", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(names.Select(c => c.GetString()), Is.EqualTo(new[] { "张三", "李四", "'" + QueryWorld.FormulaName }), "sorted by birth date");
            Assert.That(formula.HasFormula, Is.False);
            Assert.That(sheet.Cell(5, nameColumn).IsEmpty(), Is.True, "three residents in the community");
        });
    }

    [Test]
    public async Task Id_numbers_in_a_csv_export_are_in_the_form_excel_keeps_as_text()
    {
        // Opened in Excel, a plain 18-digit ID number became 1.10101E+17 and lost its last three digits.
        var text = Encoding.UTF8.GetString((await ExportAsync($"format=csv&community_code={QueryWorld.CommunityA}&fields=name,id_number", "text/csv"))[3..]);
        using var reader = new CsvReader(new StringReader(text), System.Globalization.CultureInfo.InvariantCulture);
        var row = reader.GetRecords<dynamic>().Cast<IDictionary<string, object>>().Single(r => (string)r["姓名 (name)"] == "张三");
        Assert.That(row["公民身份号码 (id_number)"], Is.EqualTo($"=\"{QueryWorld.ZhangId}\""));
        Assert.Multiple(() =>
        {
            Assert.That(SpreadsheetCells.ForCsv("11010119900307123X"), Is.EqualTo("=\"11010119900307123X\""), "an ID number ending in X");
            Assert.That(SpreadsheetCells.ForCsv("2"), Is.EqualTo("2"), "short codes stay plain");
            Assert.That(SpreadsheetCells.ForCsv("1234567890"), Is.EqualTo("1234567890"), "ten digits stay plain");
            Assert.That(SpreadsheetCells.ForCsv("110101********1234"), Is.EqualTo("110101********1234"), "a masked value is not digits");
        });
    }

    [Test]
    public async Task Id_numbers_in_an_xlsx_export_are_text_cells_with_every_digit()
    {
        var bytes = await ExportAsync($"format=xlsx&community_code={QueryWorld.CommunityA}&fields=name,id_number", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        using var workbook = new XLWorkbook(new MemoryStream(bytes));
        var sheet = workbook.Worksheets.First();
        var row = sheet.RowsUsed().Skip(1).Single(r => r.Cell(1).GetString() == "张三");
        Assert.Multiple(() =>
        {
            Assert.That(row.Cell(2).DataType, Is.EqualTo(XLDataType.Text));
            Assert.That(row.Cell(2).GetString(), Is.EqualTo(QueryWorld.ZhangId));
        });
    }

    [Test]
    public async Task A_large_xlsx_export_has_every_row()
    {
        var bytes = await ExportAsync($"format=xlsx&community_code={QueryWorld.BulkCommunity}&fields=id_number,name", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        var rows = MiniExcel.Query(new MemoryStream(bytes), useHeaderRow: true).Count();
        Assert.That(rows, Is.EqualTo(QueryWorld.BulkCount));
    }

    [Test]
    public async Task A_bad_format_or_field_is_refused_before_anything_is_written()
    {
        foreach (var (query, named) in new[] { ("format=pdf", "format"), ("format=csv&nosuch=1", "nosuch"), ("format=xlsx&sort=1;--", "sort") })
        {
            using var response = await _admin.GetAsync("/api/pool/person/export?" + query);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), query);
            Assert.That((await ServerHost.ProblemAsync(response)).Title, Does.StartWith(named), query);
        }
    }

    [Test]
    public async Task An_export_audits_each_batch_before_handing_out_any_of_its_rows()
    {
        // An export audited only after its rows were written left no audit entry when the client dropped the connection.
        var reader = _server.Services.GetRequiredService<PoolReader>();
        var admin = new DataPool.Core.Access.Viewer("t-admin", Roles.Admin, null, null);
        Assert.That(reader.Prepare(admin, "person", new Dictionary<string, StringValues> { ["community_code"] = QueryWorld.BulkCommunity }, out var prepared), Is.Null);
        var purpose = $"export test {Guid.NewGuid():N}";
        await foreach (var _ in reader.StreamAsync(prepared, purpose, CancellationToken.None))
        {
            var audited = await QueryWorld.CountAsync(_server, "SELECT count(*) FROM dp_access_log WHERE purpose = @p", ("@p", purpose));
            Assert.That(audited, Is.EqualTo(PoolReader.FirstStreamBatch), "the first batch is in the log before its first row leaves");
            break;
        }
    }

    [Test]
    public async Task An_export_whose_client_disconnects_after_the_first_rows_leaves_audit_rows_for_what_was_sent()
    {
        const string purpose = "export csv";
        var before = await QueryWorld.CountAsync(_server, "SELECT count(*) FROM dp_access_log WHERE purpose = @p", ("@p", purpose));
        var received = 0;
        using (var response = await _admin.GetAsync($"/api/pool/person/export?format=csv&community_code={QueryWorld.BulkCommunity}", HttpCompletionOption.ResponseHeadersRead))
        using (var lines = new StreamReader(await response.Content.ReadAsStreamAsync()))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            await lines.ReadLineAsync();
            while (received < 1523 && await lines.ReadLineAsync() is not null)
            {
                received++;
            }
        }

        // The connection is dropped mid-export; what the client got is in the log (the server may have audited a batch more).
        var deadline = DateTime.UtcNow.AddSeconds(10);
        long audited;
        while ((audited = await QueryWorld.CountAsync(_server, "SELECT count(*) FROM dp_access_log WHERE purpose = @p", ("@p", purpose)) - before) < received && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.That(received, Is.EqualTo(1523));
        Assert.That(audited, Is.GreaterThanOrEqualTo(received).And.LessThanOrEqualTo(QueryWorld.BulkCount));
    }
}
