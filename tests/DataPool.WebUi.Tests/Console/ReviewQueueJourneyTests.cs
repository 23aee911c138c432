using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static DataPool.WebUi.Tests.ConsoleSources;
using static Microsoft.Playwright.Assertions;

namespace DataPool.WebUi.Tests.Console;

/// <summary>/matches: an admin sees a pair side by side with the weights, the pending count of its source, and accepts it with the keyboard.</summary>
public sealed class ReviewQueueJourneyTests
{
    private const string Register = "ui-register";
    private const string Ledger = "ui-ledger";

    [OneTimeSetUp]
    public async Task AddSourcesAsync()
    {
        const string fields = """ "name": { "from": "姓名" }, "gender": { "from": "性别" }, "birth_date": { "from": "出生日期" }, "community_code": { "from": "社区" } """;
        var id = IdNumberOf("19310215", 917);
        Assert.That((await AddAndSyncAsync(Register, $"身份证号,姓名,性别,出生日期,社区\n{id},司马长风,男,1931-02-15,110101001001\n",
            $$"""{ "name": "persons", "entity": "person", "key": ["身份证号"], "fields": { "id_number": { "from": "身份证号" }, {{fields}} } }""")).Succeeded, Is.True);
        // No ID number, the traditional spelling, another gender and community: maybe the same man, maybe not.
        var ledger = await AddAndSyncAsync(Ledger, "编号,身份证号,姓名,性别,出生日期,社区\nL1,,司馬長風,女,1931/2/15,110101001002\n",
            $$"""{ "name": "persons", "entity": "person", "key": ["编号"], "fields": { "id_number": { "from": "身份证号", "onInvalid": "flag" }, {{fields}} } }""");
        Assert.That(ledger.Counts.New, Is.EqualTo(1), "a provisional person while the pair waits for review");
    }

    [Test]
    public async Task An_admin_accepts_a_review_item_with_the_keyboard()
    {
        var page = await Ui.SignedInAsync("admin");
        await page.GetByRole(AriaRole.Link, new() { Name = "待审核匹配" }).ClickAsync();
        await Expect(page.Locator("#shortcuts")).ToContainTextAsync("接受（合并）");
        await page.Locator($"#pending-by-source li[data-source={Ledger}] button").ClickAsync();
        await Expect(page.Locator("#review-item .side.left")).ToContainTextAsync("司馬長風");
        await Expect(page.Locator("#review-item .side.right")).ToContainTextAsync("司马长风");
        await Expect(page.Locator("#review-fields tr[data-field=gender]")).ToHaveClassAsync("outcome-differ");
        await Expect(page.Locator("#review-fields tr[data-field=gender] td.outcome")).ToHaveTextAsync("不同");
        await Expect(page.Locator("#review-fields tr[data-field=gender] .weight-bar .fill.minus")).ToBeVisibleAsync();
        await Expect(page.Locator("#review-fields tr[data-field=birth_date] .weight-bar .fill.plus")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "matches-zh");

        await page.Locator("#review-item h2").ClickAsync();
        await page.Keyboard.PressAsync("a");

        await Expect(page.Locator("#review-status")).ToContainTextAsync("已合并");
        var admin = await DemoServer.Server.LoginAsync("admin", DemoServer.Password);
        var accepted = await admin.GetFromJsonAsync<JsonElement>($"/api/matches?status=accepted&source={Ledger}");
        Assert.That(accepted.GetProperty("total").GetInt64(), Is.EqualTo(1));
        await Expect(page.Locator("#conflict-rows")).ToContainTextAsync(Ledger);

        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to English" }).ClickAsync();
        await page.GotoAsync("/matches");
        await page.GetByLabel("Status").SelectOptionAsync("accepted");
        await Expect(page.Locator("#review-item")).ToContainTextAsync("Merged");
        await ScreenshotAsync(page, "matches-en");
    }

    [Test]
    public async Task An_admin_loads_a_truth_file_and_sees_the_curve_the_api_computes()
    {
        var truth = $"source_id,source_key,entity\n{Register},{IdNumberOf("19310215", 917)},sima\n{Ledger},L1,sima\n";
        var admin = await DemoServer.Server.LoginAsync("admin", DemoServer.Password);
        using var answer = await admin.PostAsync("/api/matches/evaluate", new StringContent(truth, System.Text.Encoding.UTF8, "text/csv"));
        var expected = await answer.Content.ReadFromJsonAsync<JsonElement>();
        var thresholds = expected.GetProperty("byThreshold").GetArrayLength();
        Assert.That(thresholds, Is.GreaterThan(1));

        var page = await Ui.SignedInAsync("admin");
        await page.GotoAsync("/matches");
        await page.GetByLabel("标注文件（CSV）").SetInputFilesAsync(new FilePayload { Name = "truth.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(truth) });
        await page.Locator("#evaluate").ClickAsync();

        await Expect(page.Locator("#evaluation-summary")).ToContainTextAsync("样本 2 条记录");
        await Expect(page.Locator("#pr-curve polyline")).ToHaveCountAsync(3);
        await Expect(page.Locator("#evaluation-table tbody tr")).ToHaveCountAsync(thresholds);
        var first = expected.GetProperty("byThreshold")[0].GetProperty("counts");
        await Expect(page.Locator("#evaluation-table tbody tr").First.Locator("td").Nth(3)).ToHaveTextAsync(first.GetProperty("f1").GetDouble().ToString("0.000", System.Globalization.CultureInfo.InvariantCulture));
        await ScreenshotAsync(page, "matches-evaluation-zh");

        await page.GetByLabel("标注文件（CSV）").SetInputFilesAsync(new FilePayload { Name = "bad.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes("who,what\n1,2\n") });
        await page.Locator("#evaluate").ClickAsync();
        await Expect(page.Locator("#evaluation-result [role=alert]")).ToContainTextAsync("无法检验");
    }
}
