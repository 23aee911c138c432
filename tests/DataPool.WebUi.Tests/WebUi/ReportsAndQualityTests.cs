using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DataPool.WebUi.Tests.WebUi;

/// <summary>
/// The console's report and data-quality pages as their users work them: an admin generates a report, waits for it
/// and opens the records behind one of its numbers; an analyst sees the quality of their own department's sources only.
/// Each journey leaves a screenshot in Chinese and in English (screenshots/ under the test output).
/// </summary>
public sealed class ReportsAndQualityTests
{
    [Test]
    public async Task An_admin_runs_a_report_waits_for_it_and_traces_a_cell_to_its_records()
    {
        var page = await Ui.SignedInAsync("admin");
        await page.GetByRole(AriaRole.Link, new() { Name = "报表" }).ClickAsync();
        var row = page.Locator("#report-list tr[data-report=population-monthly]");
        await Expect(row).ToContainTextAsync("下次：");
        await Expect(page.Locator("#report-list tbody tr")).ToHaveCountAsync(7);

        // The polls are held back a little, so the bar of a run that takes a blink stays long enough to be read.
        await page.RouteAsync("**/api/reports/runs/*", async route =>
        {
            await Task.Delay(1500);
            await route.ContinueAsync();
        });
        await row.GetByRole(AriaRole.Button, new() { Name = "立即生成" }).ClickAsync();
        var bar = row.Locator(".progress progress[max='100']");
        await Expect(bar).ToBeVisibleAsync();
        var percent = int.Parse(await bar.GetAttributeAsync("value") ?? "-1", System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(percent, Is.InRange(0, 100));
        await Expect(row.Locator(".progress .percent")).ToHaveTextAsync($"{percent}%");
        await Expect(row.Locator(".progress")).ToContainTextAsync("/5 步");
        await ShotAsync(page, "reports-progress-zh");
        await page.UnrouteAsync("**/api/reports/runs/*");
        await Expect(page.Locator("#run-result")).ToContainTextAsync("已完成");
        await Expect(row).ToContainTextAsync("成功");
        await Expect(page.Locator("#run-history tbody tr").First.GetByRole(AriaRole.Link, new() { Name = "xlsx" })).ToBeVisibleAsync();

        // C4: the residents of the first community; its records are listed, as many as the number says (a page at a time).
        var cell = page.Locator("#report-sheet button.cell[data-ref=C4]");
        var residents = int.Parse(Regex.Replace(await cell.InnerTextAsync(), "[^0-9]", ""), System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(residents, Is.GreaterThan(0));
        await cell.ClickAsync();
        await Expect(page.Locator("#trace-summary")).ToContainTextAsync($"共 {residents:N0} 条记录");
        await Expect(page.Locator("#trace-records tbody tr")).ToHaveCountAsync(Math.Min(residents, 20));
        await Expect(page.Locator("#trace-records thead")).ToContainTextAsync("姓名");
        await ShotAsync(page, "reports-zh");

        await page.Locator("#lang-switch").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Reports", Exact = true })).ToBeVisibleAsync();
        await page.Locator("#report-list tr[data-report=population-monthly]").GetByRole(AriaRole.Button, new() { Name = "Monthly population by community and age band" }).ClickAsync();
        await page.Locator("#report-sheet button.cell[data-ref=C4]").ClickAsync();
        await Expect(page.Locator("#trace-summary")).ToContainTextAsync($"{residents:N0} records");
        await ShotAsync(page, "reports-en");
    }

    [Test]
    public async Task An_analyst_sees_the_data_quality_of_their_own_department_only()
    {
        var page = await Ui.SignedInAsync("analyst-civil-affairs");
        await page.GetByRole(AriaRole.Link, new() { Name = "数据质量" }).ClickAsync();
        await Expect(page.Locator("article.source-quality[data-source=civil-affairs]")).ToBeVisibleAsync();
        await Expect(page.Locator("article.source-quality[data-source=hukou]")).ToHaveCountAsync(0);
        await Expect(page.Locator("#freshness-chart svg[role=img]")).ToBeVisibleAsync();
        await Expect(page.Locator("#quality-department")).ToHaveCountAsync(0);
        Assert.That(await page.Locator("article.source-quality svg.hbars").CountAsync(), Is.GreaterThan(0), "completeness drawn");
        await ShotAsync(page, "quality-analyst-zh");

        var api = await DemoServer.Server.LoginAsync("analyst-civil-affairs", DemoServer.Password);
        using var other = await api.GetAsync("/api/quality?department=public-security");
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        var admin = await Ui.SignedInAsync("admin");
        await admin.GotoAsync("/quality");
        // Every department's sources (other journeys on the shared demo server add sources of their own).
        await Expect(admin.Locator("article.source-quality[data-source=civil-affairs]")).ToBeVisibleAsync();
        await Expect(admin.Locator("article.source-quality[data-source=hukou]")).ToBeVisibleAsync();
        await ShotAsync(admin, "quality-admin-zh");
        await admin.Locator("#lang-switch").ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Data quality" })).ToBeVisibleAsync();
        await ShotAsync(admin, "quality-admin-en");
    }

    private static async Task ShotAsync(IPage page, string name)
    {
        var folder = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        TestContext.AddTestAttachment(file, name);
    }
}
