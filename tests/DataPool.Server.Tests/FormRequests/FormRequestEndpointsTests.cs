using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ClosedXML.Excel;
using DataPool.Core.Store;
using DataPool.Server.Identity;
using DataPool.Server.Tests.Forms;

namespace DataPool.Server.Tests.FormRequests;

/// <summary>The admission gate: a proposed form's coverage (pool, connected, new), from a list or an Excel template, and approval.</summary>
[TestFixture(StoreOptions.Sqlite)]
[TestFixture(StoreOptions.Postgres)]
public sealed class FormRequestEndpointsTests(string store)
{
    private ServerHost _server = null!;

    [OneTimeSetUp]
    public async Task Start() => _server = await FormsWorld.ForAsync(store);

    private static Dictionary<string, JsonElement> Coverage(JsonElement request) =>
        request.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("label").GetString()!);

    [Test]
    public async Task A_proposed_list_of_fields_gets_each_fields_coverage()
    {
        var analyst = await _server.ClientAsync(Roles.Analyst);
        using var response = await analyst.PostAsJsonAsync("/api/form-requests", new
        {
            name = "困难群众家庭情况调查表",
            fields = new object[]
            {
                new { label = "姓名" }, new { label = "身份证号码" }, new { label = "手机号" }, new { label = "残疾人证号" },
                new { label = "户籍登记日期" }, new { label = "家中是否饲养宠物", hint = "是/否" },
            },
        });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var request = await FormsWorld.JsonAsync(response);
        Assert.That(request.GetProperty("department").GetString(), Is.EqualTo(ServerHost.Department), "an analyst proposes for their own department");
        var coverage = Coverage(request);
        Assert.That(coverage["姓名"].GetProperty("coverage").GetString(), Is.EqualTo("pool"));
        Assert.That(coverage["姓名"].GetProperty("poolField").GetString(), Is.EqualTo("person.name"));
        Assert.That(coverage["身份证号码"].GetProperty("poolField").GetString(), Is.EqualTo("person.id_number"));
        Assert.That(coverage["手机号"].GetProperty("coverage").GetString(), Is.EqualTo("pool"));
        // The pool has the field but no connected source has filled it in this world (the federation's system is not synced here).
        Assert.That(coverage["残疾人证号"].GetProperty("coverage").GetString(), Is.EqualTo("connected"));
        // The household register exports the column but its definition does not map it.
        Assert.That(coverage["户籍登记日期"].GetProperty("coverage").GetString(), Is.EqualTo("connected"));
        Assert.That(coverage["户籍登记日期"].GetProperty("source").GetString(), Is.EqualTo("hukou"));
        Assert.That(coverage["家中是否饲养宠物"].GetProperty("coverage").GetString(), Is.EqualTo("new"));
        Assert.That(request.GetProperty("new").GetInt32(), Is.EqualTo(1));

        var id = request.GetProperty("id").GetInt64();
        using var listed = await analyst.GetAsync("/api/form-requests");
        Assert.That((await FormsWorld.JsonAsync(listed)).EnumerateArray().Select(r => r.GetProperty("id").GetInt64()), Does.Contain(id));
        var other = await _server.ClientAsync(Roles.Analyst, "health-commission");
        using var hidden = await other.GetAsync($"/api/form-requests/{id}");
        Assert.That(hidden.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "another department's proposal is not shown");
    }

    [Test]
    public async Task An_excel_templates_header_row_is_read_under_its_title_row()
    {
        using var workbook = new XLWorkbook();
        var sheet = workbook.AddWorksheet("模板");
        sheet.Cell(1, 1).Value = "某某部门居民情况统计表";
        sheet.Range(1, 1, 1, 4).Merge();
        string[] header = ["姓名", "联系电话", "出生日期", "家庭年收入（元）"];
        for (var i = 0; i < header.Length; i++)
        {
            sheet.Cell(2, i + 1).Value = header[i];
        }

        using var stream = new MemoryStream();
        workbook.SaveAs(stream);
        using var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(stream.ToArray());
        file.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        content.Add(file, "file", "template.xlsx");
        content.Add(new StringContent("居民情况统计表"), "name");
        content.Add(new StringContent("statistics"), "department");

        var admin = await _server.ClientAsync(Roles.Admin);
        using var response = await admin.PostAsync("/api/form-requests", content);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var request = await FormsWorld.JsonAsync(response);
        var coverage = Coverage(request);
        Assert.That(coverage.Keys, Is.EqualTo(header), "the header row, not the title row above it");
        Assert.That(coverage["联系电话"].GetProperty("coverage").GetString(), Is.EqualTo("pool"));
        Assert.That(coverage["出生日期"].GetProperty("coverage").GetString(), Is.EqualTo("pool"));
        Assert.That(coverage["家庭年收入（元）"].GetProperty("coverage").GetString(), Is.EqualTo("new"));
        Assert.That(request.GetProperty("department").GetString(), Is.EqualTo("statistics"));
    }

    [Test]
    public async Task Approval_adds_only_the_truly_new_fields_to_the_unified_form()
    {
        var analyst = await _server.ClientAsync(Roles.Analyst);
        using var proposed = await analyst.PostAsJsonAsync("/api/form-requests", new
        {
            name = "居家养老服务需求表",
            fields = new object[] { new { label = "姓名" }, new { label = "是否独居" }, new { label = "助餐服务需求" }, new { label = "适老化改造意愿" } },
        });
        var id = (await FormsWorld.JsonAsync(proposed)).GetProperty("id").GetInt64();

        using var refused = await analyst.PostAsync($"/api/form-requests/{id}/approve", null);
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "only an admin approves");

        var admin = await _server.ClientAsync(Roles.Admin);
        var before = await FormsWorld.JsonAsync(await admin.GetAsync("/api/forms/definition"));
        using var approved = await admin.PostAsync($"/api/form-requests/{id}/approve", null);
        Assert.That(approved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await approved.Content.ReadAsStringAsync());
        Assert.That((await FormsWorld.JsonAsync(approved)).GetProperty("status").GetString(), Is.EqualTo("approved"));

        var after = await FormsWorld.JsonAsync(await admin.GetAsync("/api/forms/definition"));
        Assert.That(after.GetProperty("version").GetInt32(), Is.GreaterThan(before.GetProperty("version").GetInt32()));
        var labels = after.GetProperty("sections").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "extensions")
            .GetProperty("fields").EnumerateArray().Where(f => f.GetProperty("legacyForms")[0].GetString() == $"form-request-{id}")
            .Select(f => f.GetProperty("label").GetProperty("zh").GetString()).ToList();
        Assert.That(labels, Is.EquivalentTo(new[] { "助餐服务需求", "适老化改造意愿" }));

        using var twice = await admin.PostAsync($"/api/form-requests/{id}/approve", null);
        Assert.That(twice.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
    }
}
