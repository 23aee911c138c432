using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ClosedXML.Excel;
using DataPool.Core.Store;
using DataPool.Server.FormRequests;
using DataPool.Server.Identity;
using DataPool.Testing;

namespace DataPool.Server.Tests.FormRequests;

/// <summary>
/// Hostile template uploads (issue 13): a 1.5 MB xlsx whose shared strings expand to gigabytes took the server to
/// 2.2 GB and a 500. The xlsx limits are checked before anything is parsed, and answer 400/413 with the reason.
/// </summary>
[TestFixture(StoreOptions.Sqlite)]
[TestFixture(StoreOptions.Postgres)]
public sealed class TemplateUploadLimitTests(string store)
{
    private ServerHost _server = null!;

    [OneTimeSetUp]
    public async Task Start() => _server = await ServerHost.StartAsync(store);

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    [Test]
    public async Task A_zip_bomb_template_answers_400_with_the_limit_without_the_server_allocating_it()
    {
        var bomb = Template(s => XlsxBombs.WithHugeSharedString(s, 1024L * 1024 * 1024));
        Assert.That(bomb, Has.Length.LessThan(FormRequestEndpoints.MaxTemplateBytes), "the bomb passes the upload's size check");
        var admin = await _server.ClientAsync(Roles.Admin);

        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        using var response = await admin.PostAsync("/api/form-requests", Upload(bomb));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), body);
        var message = JsonDocument.Parse(body).RootElement.GetProperty("errors").GetProperty("file")[0].GetString();
        Assert.That(message, Does.StartWith("该 Excel 模板超出限制：bomb.xlsx: part xl/sharedStrings.xml inflates at least"));
        Assert.That(allocated, Is.LessThan(64L * 1024 * 1024), $"the server allocated {allocated / 1024 / 1024} MB");
    }

    [Test]
    public async Task A_template_with_too_many_shared_strings_answers_400_naming_the_limit()
    {
        var many = Template(s => XlsxBombs.WithSharedStrings(s, (int)FormRequestEndpoints.TemplateLimits.MaxSharedStrings + 1));
        var admin = await _server.ClientAsync(Roles.Admin);

        using var response = await admin.PostAsync("/api/form-requests", Upload(many));

        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), body);
        Assert.That(body, Does.Contain("bomb.xlsx has more than 100,000 shared strings (in xl/sharedStrings.xml), over the limit of 100,000"));
    }

    [Test]
    public async Task An_upload_over_the_body_limit_answers_413_before_it_is_read()
    {
        var admin = await _server.ClientAsync(Roles.Admin);
        var oversized = new byte[FormRequestEndpoints.MaxUploadBytes + 1];

        using var response = await admin.PostAsync("/api/form-requests", Upload(oversized));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("an Excel template upload may be at most 5 MB"));
    }

    /// <summary>A one-sheet template with a header row, changed by <paramref name="change"/>.</summary>
    private static byte[] Template(Action<Stream> change)
    {
        using var stream = new MemoryStream();
        using (var workbook = new XLWorkbook())
        {
            var sheet = workbook.AddWorksheet("模板");
            sheet.Cell(1, 1).Value = "姓名";
            sheet.Cell(1, 2).Value = "张三";
            workbook.SaveAs(stream);
        }

        change(stream);
        return stream.ToArray();
    }

    private static MultipartFormDataContent Upload(byte[] file)
    {
        var content = new MultipartFormDataContent();
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        content.Add(part, "file", "bomb.xlsx");
        content.Add(new StringContent("炸弹"), "name");
        content.Add(new StringContent("statistics"), "department");
        return content;
    }
}
