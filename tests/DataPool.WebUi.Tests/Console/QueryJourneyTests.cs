using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClosedXML.Excel;
using CsvHelper;
using Microsoft.Playwright;
using static DataPool.WebUi.Tests.ConsoleSources;
using static Microsoft.Playwright.Assertions;

namespace DataPool.WebUi.Tests.Console;

/// <summary>
/// /query: an analyst builds a question from labels (fields, a code filter, a date range), sorts, pages, and downloads
/// it as CSV and xlsx; the files hold the same rows as the query API, with 18-character ID numbers intact as text.
/// The URL holds the query; a worker is offered only the fields their grant covers.
/// </summary>
public sealed class QueryJourneyTests
{
    private const string Analyst = "analyst-civil-affairs";
    private const string Fields = "id_number,name,gender,birth_date";
    private const string Filters = "gender=in:2&birth_date=range:1950-01-01..1979-12-31";

    [Test]
    public async Task An_analyst_builds_a_query_from_labels_sorts_pages_and_exports_the_same_rows_as_csv_and_xlsx()
    {
        var page = await Ui.SignedInAsync(Analyst);
        await page.GetByRole(AriaRole.Link, new() { Name = "查询", Exact = true }).ClickAsync();
        await page.GetByLabel("数据类别").SelectOptionAsync(new SelectOptionValue { Label = "人员" });
        await Expect(page.Locator("#query-table")).ToBeVisibleAsync();

        // Fields by their Chinese labels.
        await page.GetByRole(AriaRole.Button, new() { Name = "全不选" }).ClickAsync();
        foreach (var label in new[] { "公民身份号码", "姓名", "性别", "出生日期" })
        {
            await page.GetByLabel(label, new() { Exact = true }).CheckAsync();
        }

        // A code filter as a list of labels, and a date range.
        await page.GetByLabel("添加筛选字段").SelectOptionAsync(new SelectOptionValue { Label = "性别" });
        await page.GetByRole(AriaRole.Button, new() { Name = "添加", Exact = true }).ClickAsync();
        await page.Locator("#filter-gender select").SelectOptionAsync(new SelectOptionValue { Label = "女" });
        await page.GetByLabel("添加筛选字段").SelectOptionAsync(new SelectOptionValue { Label = "出生日期" });
        await page.GetByRole(AriaRole.Button, new() { Name = "添加", Exact = true }).ClickAsync();
        await page.Locator("#filter-birth_date").GetByLabel("起").FillAsync("1950-01-01");
        await page.Locator("#filter-birth_date").GetByLabel("止").FillAsync("1979-12-31");
        await page.GetByRole(AriaRole.Button, new() { Name = "查询", Exact = true }).ClickAsync();

        var api = await DemoServer.Server.LoginAsync(Analyst, DemoServer.Password);
        var total = (await PageAsync(api, "", 1, 0)).GetProperty("total").GetInt64();
        Assert.That(total, Is.GreaterThan(40), "enough rows for three pages");
        await Expect(page.Locator("#query-total")).ToContainTextAsync($"共 {total.ToString("N0", CultureInfo.InvariantCulture)} 条");
        await Expect(page.Locator("#query-table thead th")).ToHaveTextAsync(new[] { "公民身份号码 ↕", "姓名 ↕", "性别 ↕", "出生日期 ↕" });
        await Expect(page.Locator("#query-table tbody tr")).ToHaveCountAsync(20);
        Assert.That((await page.Locator("#query-table tbody td:nth-child(3)").AllTextContentsAsync()).Distinct(), Is.EqualTo(new[] { "女" }), "the code shown as its label");

        // Sorted by a click on the column, twice for descending; then the next page.
        await page.GetByRole(AriaRole.Button, new() { Name = "出生日期", Exact = true }).ClickAsync();
        await Expect(page.Locator("th[aria-sort=ascending]")).ToContainTextAsync("出生日期");
        Assert.That(await IdsAsync(page), Is.EqualTo(Ids(await PageAsync(api, "&sort=birth_date", 20, 0))));
        await page.GetByRole(AriaRole.Button, new() { Name = "出生日期", Exact = true }).ClickAsync();
        await Expect(page.Locator("th[aria-sort=descending]")).ToContainTextAsync("出生日期");
        await page.GetByRole(AriaRole.Button, new() { Name = "下一页" }).ClickAsync();
        await Expect(page.Locator("#query-page")).ToContainTextAsync("第 2 /");
        var secondPage = Ids(await PageAsync(api, "&sort=-birth_date", 20, 20));
        Assert.That(await IdsAsync(page), Is.EqualTo(secondPage), "page 2 is the API's rows 21–40 in the same sort");
        await ScreenshotAsync(page, "query-zh");

        var url = page.Url;
        Assert.That(Uri.UnescapeDataString(url), Does.Contain("entity=person").And.Contain($"fields={Fields}").And.Contain("gender=in:2")
            .And.Contain("birth_date=range:1950-01-01..1979-12-31").And.Contain("sort=-birth_date").And.Contain("page=2"));

        // The downloads: the whole query (every page), in the same order, ID numbers intact as text.
        var expected = await EverythingAsync(api, "&sort=-birth_date");
        Assert.That(expected, Has.Count.EqualTo(total));
        var csv = await DownloadAsync(page, "导出 CSV");
        var xlsx = await DownloadAsync(page, "导出 Excel（xlsx）");
        AssertCsv(csv, expected);
        AssertXlsx(xlsx, expected);

        // The bookmarked URL, reloaded and opened by someone else, shows the same query.
        await page.ReloadAsync();
        await AssertRestoredAsync(page, secondPage);
        var shared = await Ui.SignedInAsync(Analyst);
        await shared.GotoAsync(url);
        await AssertRestoredAsync(shared, secondPage);

        await shared.GetByRole(AriaRole.Button, new() { Name = "Switch to English" }).ClickAsync();
        await Expect(shared.GetByRole(AriaRole.Heading, new() { Name = "Query", Level = 1 })).ToBeVisibleAsync();
        await Expect(shared.Locator("#query-table thead th").First).ToContainTextAsync("Resident ID number");
        await Expect(shared.Locator("#query-page")).ToContainTextAsync("Page 2 of");
        await ScreenshotAsync(shared, "query-en");
        await page.Context.CloseAsync();
        await shared.Context.CloseAsync();
    }

    [Test]
    public async Task A_worker_is_offered_only_the_fields_their_grant_covers()
    {
        var page = await Ui.SignedInAsync("worker-001");
        await page.GetByRole(AriaRole.Link, new() { Name = "查询", Exact = true }).ClickAsync();
        await page.GetByLabel("数据类别").SelectOptionAsync(new SelectOptionValue { Label = "家庭医生签约" });
        // schemas/access/community-worker.json: the family doctor's contract without the chronic conditions.
        var offered = await page.Locator("#query-fields input[type=checkbox]").EvaluateAllAsync<string[]>("boxes => boxes.map(b => b.value)");
        Assert.That(offered, Is.EqualTo(new[] { "id_number", "contract_no", "doctor_name", "clinic", "signed_date", "expiry_date" }));
        await Expect(page.GetByLabel("慢性病")).ToHaveCountAsync(0);

        // Disability: category and grade are shown masked to a worker, so they are marked and cannot be filtered on.
        await page.GetByLabel("数据类别").SelectOptionAsync(new SelectOptionValue { Label = "残疾人" });
        await Expect(page.Locator("label[for=query-field-category]")).ToContainTextAsync("（脱敏）");
        var filterable = await page.Locator("#query-add-filter option").AllTextContentsAsync();
        Assert.That(filterable, Does.Contain("发证日期").And.Not.Contain("残疾类别").And.Not.Contain("残疾等级"));

        // What the page does not offer the API refuses; the person query shows only the worker's community.
        var api = await DemoServer.Server.LoginAsync("worker-001", DemoServer.Password);
        using var refused = await api.GetAsync("/api/pool/family_doctor?fields=chronic_conditions");
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        await page.GotoAsync("/query?entity=person&fields=name,community_code");
        await Expect(page.Locator("#query-table tbody tr").First).ToBeVisibleAsync();
        var communities = await page.Locator("#query-table tbody td:nth-child(2)").EvaluateAllAsync<string[]>("cells => cells.map(c => c.dataset.code ?? c.textContent)");
        Assert.That(communities.Distinct(), Is.EqualTo(new[] { DataPool.Server.Tests.Forms.FormsWorld.CommunityA }));
        await page.Context.CloseAsync();
    }

    private static async Task AssertRestoredAsync(IPage page, IReadOnlyList<string> ids)
    {
        await Expect(page.Locator("#query-page")).ToContainTextAsync("第 2 /");
        await Expect(page.GetByLabel("数据类别")).ToHaveValueAsync("person");
        await Expect(page.GetByLabel("姓名", new() { Exact = true })).ToBeCheckedAsync();
        await Expect(page.GetByLabel("民族", new() { Exact = true })).Not.ToBeCheckedAsync();
        await Expect(page.Locator("#filter-gender select")).ToHaveValuesAsync(new[] { "2" });
        await Expect(page.Locator("#filter-birth_date").GetByLabel("起")).ToHaveValueAsync("1950-01-01");
        await Expect(page.Locator("#filter-birth_date").GetByLabel("止")).ToHaveValueAsync("1979-12-31");
        await Expect(page.Locator("th[aria-sort=descending]")).ToContainTextAsync("出生日期");
        Assert.That(await IdsAsync(page), Is.EqualTo(ids));
    }

    private static async Task<JsonElement> PageAsync(HttpClient api, string sort, int limit, int offset) =>
        await api.GetFromJsonAsync<JsonElement>($"/api/pool/person?fields={Fields}&{Filters}{sort}&limit={limit}&offset={offset}&total=true");

    private static async Task<List<JsonElement>> EverythingAsync(HttpClient api, string sort)
    {
        var rows = new List<JsonElement>();
        JsonElement page;
        do
        {
            page = await PageAsync(api, sort, 1000, rows.Count);
            rows.AddRange(page.GetProperty("items").EnumerateArray());
        }
        while (rows.Count < page.GetProperty("total").GetInt64());
        return rows;
    }

    private static List<string> Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id_number").GetString()!)];

    private static async Task<List<string>> IdsAsync(IPage page) => [.. await page.Locator("#query-table tbody td:first-child").AllTextContentsAsync()];

    private static async Task<string> DownloadAsync(IPage page, string link)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = link }).ClickAsync());
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "downloads", $"{Guid.NewGuid():N}-{download.SuggestedFilename}");
        await download.SaveAsAsync(path);
        return path;
    }

    private static string? Text(JsonElement row, string field) => row.GetProperty(field).GetString();

    private static void AssertCsv(string path, List<JsonElement> expected)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        Assert.That(csv.Read() && csv.ReadHeader(), Is.True);
        Assert.That(csv.HeaderRecord, Is.EqualTo(new[] { "公民身份号码 (id_number)", "姓名 (name)", "性别 (gender)", "出生日期 (birth_date)" }));
        var rows = new List<string[]>();
        while (csv.Read())
        {
            rows.Add([.. Enumerable.Range(0, 4).Select(i => csv.GetField(i) ?? "")]);
        }

        Assert.That(rows, Has.Count.EqualTo(expected.Count));
        for (var i = 0; i < rows.Count; i++)
        {
            var id = Text(expected[i], "id_number")!;
            // ="…" is what Excel opens as text: the 18 characters survive, not 1.10101E+17.
            Assert.That(rows[i][0], Is.EqualTo($"=\"{id}\""), $"CSV row {i + 1}");
            Assert.That(id, Has.Length.EqualTo(18));
            Assert.That(rows[i][1..], Is.EqualTo(new[] { Text(expected[i], "name") ?? "", Text(expected[i], "gender") ?? "", Text(expected[i], "birth_date") ?? "" }), $"CSV row {i + 1}");
        }
    }

    private static void AssertXlsx(string path, List<JsonElement> expected)
    {
        using var workbook = new XLWorkbook(path);
        var sheet = workbook.Worksheets.First();
        Assert.That(sheet.Row(1).Cells(1, 4).Select(c => c.GetString()), Is.EqualTo(new[] { "公民身份号码 (id_number)", "姓名 (name)", "性别 (gender)", "出生日期 (birth_date)" }));
        Assert.That(sheet.LastRowUsed().RowNumber() - 1, Is.EqualTo(expected.Count));
        for (var i = 0; i < expected.Count; i++)
        {
            var row = sheet.Row(i + 2);
            var id = row.Cell(1);
            Assert.That(id.DataType, Is.EqualTo(XLDataType.Text), $"xlsx row {i + 2}: the ID number is a text cell");
            Assert.That(id.GetString(), Is.EqualTo(Text(expected[i], "id_number")).And.Length.EqualTo(18), $"xlsx row {i + 2}");
            Assert.That(new[] { row.Cell(2).GetString(), row.Cell(3).GetString(), row.Cell(4).GetString() },
                Is.EqualTo(new[] { Text(expected[i], "name") ?? "", Text(expected[i], "gender") ?? "", Text(expected[i], "birth_date") ?? "" }), $"xlsx row {i + 2}");
        }
    }
}
