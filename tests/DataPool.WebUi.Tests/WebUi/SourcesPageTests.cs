using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DataPool.WebUi.Tests.WebUi;

/// <summary>
/// The admin's sources page and run page: every source with its last run, "sync now" followed live to its summary,
/// on to the run's page; in Chinese and in English. A worker is offered neither, and the API refuses them.
/// </summary>
public sealed class SourcesPageTests
{
    private static string Screenshots => Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");

    [Test]
    public async Task An_admin_syncs_a_source_watches_it_to_the_summary_and_opens_its_run()
    {
        var admin = await DemoServer.Server.LoginAsync("admin", DemoServer.Password);
        var sources = await admin.GetFromJsonAsync<JsonElement[]>("/api/sources");
        var page = await Ui.SignedInAsync("admin");

        await page.GetByRole(AriaRole.Link, new() { Name = "数据源", Exact = true }).ClickAsync();
        Assert.That(sources!.Select(s => s.GetProperty("id").GetString()), Is.SupersetOf(new[] { "hukou", "civil-affairs" }));
        await Expect(page.Locator("#sources > tbody[data-source=civil-affairs]")).ToHaveCountAsync(1);
        var hukou = page.Locator("tbody[data-source=hukou]");
        await Expect(hukou.Locator("th .source-name")).ToHaveAttributeAsync("href", "/sources/hukou");
        await Expect(hukou.Locator("td").Nth(0)).ToHaveTextAsync("公安");
        await Expect(page.Locator("#new-source")).ToHaveAttributeAsync("href", "/sources/new");
        await Screenshot(page, "sources-zh");

        // Every state the live region passes through, as the admin would have seen it.
        await page.EvaluateAsync("""
            () => { window.seenStates = []; new MutationObserver(() => document.querySelectorAll('#live-hukou [data-state]')
              .forEach(e => window.seenStates.push(e.dataset.state))).observe(document.body, { subtree: true, childList: true }); }
            """);
        await hukou.GetByRole(AriaRole.Button, new() { Name = "立即同步" }).ClickAsync();
        var summary = page.Locator("#live-hukou .run-summary");
        await Expect(summary).ToHaveAttributeAsync("data-state", "succeeded", new() { Timeout = 120_000 });
        var runLink = page.Locator("#live-hukou a.run-link");
        var runId = long.Parse((await runLink.GetAttributeAsync("href"))!.Split('/')[^1], CultureInfo.InvariantCulture);
        var run = await admin.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}");
        var read = run.GetProperty("counts").GetProperty("read").GetInt64();
        Assert.That(read, Is.GreaterThan(0));
        await Expect(summary.Locator("[data-count=read] .value")).ToHaveTextAsync(read.ToString("N0", CultureInfo.InvariantCulture));
        await Expect(summary.Locator("[data-count=unchanged] .value"))
            .ToHaveTextAsync(run.GetProperty("counts").GetProperty("unchanged").GetInt64().ToString("N0", CultureInfo.InvariantCulture));
        var states = await page.EvaluateAsync<string[]>("() => window.seenStates");
        Assert.That(states, Does.Contain("succeeded").And.All.AnyOf("queued", "running", "succeeded"), string.Join(", ", states));
        await Screenshot(page, "sources-synced-zh");

        await runLink.ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/runs/{runId}$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync($"运行 #{runId}");
        await Expect(page.Locator("#run-streams tbody tr[data-stream]")).ToHaveCountAsync(run.GetProperty("streams").EnumerateObject().Count());
        await Expect(page.Locator("#run-streams tbody tr").First.Locator("td").First).ToHaveTextAsync(
            run.GetProperty("streams").EnumerateObject().First().Value.GetProperty("read").GetInt64().ToString("N0", CultureInfo.InvariantCulture));
        await Expect(page.Locator("#run-source")).ToHaveAttributeAsync("href", "/sources/hukou");
        await Expect(page.Locator("#no-changes")).ToHaveTextAsync("本次运行没有改动数据池。");
        await Screenshot(page, "run-zh");

        await page.Locator("#lang-switch").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Run #{runId}");
        await Screenshot(page, "run-en");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sources", Exact = true }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Sources");
        await Expect(hukou.Locator("td").Nth(0)).ToHaveTextAsync("Public security");
        await Screenshot(page, "sources-en");
        await page.Locator("#lang-switch").ClickAsync();
        await page.Context.CloseAsync();
    }

    [Test]
    public async Task A_failed_run_stands_out_and_its_page_says_why_in_plain_words()
    {
        var admin = await DemoServer.Server.LoginAsync("admin", DemoServer.Password);
        // A source whose export is not there: its sync fails and changes nothing in the shared demo pool.
        var definition = """
            { "id": "webui-missing", "name": "缺失的导出", "department": "civil-affairs", "kind": "csv",
              "settings": { "path": "no-such-export.csv" }, "schedule": "0 2 * * *", "priority": 1,
              "streams": [{ "name": "persons", "entity": "person", "key": ["id"], "fields": { "id_number": { "from": "id" } } }] }
            """;
        using (var added = await admin.PostAsync("/api/sources", new StringContent(definition, System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.Created).Or.EqualTo(HttpStatusCode.Conflict), await added.Content.ReadAsStringAsync());
        }

        var page = await Ui.SignedInAsync("admin");
        await page.GotoAsync("/sources");
        var row = page.Locator("tbody[data-source=webui-missing]");
        await Expect(row.Locator(".schedule .hint")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^下次：\d{4}-\d\d-\d\d 02:00（北京时间）$"));
        await row.GetByRole(AriaRole.Button, new() { Name = "立即同步" }).ClickAsync();
        await Expect(page.Locator("#live-webui-missing .run-summary")).ToHaveAttributeAsync("data-state", "failed", new() { Timeout = 120_000 });
        await Expect(page.Locator("#live-webui-missing .run-error .plain")).ToHaveTextAsync("找不到导出文件或无法打开。请确认文件已放到数据源目录。");

        await page.ReloadAsync();
        await Expect(page.Locator("tbody[data-source=webui-missing]")).ToHaveClassAsync("failing");
        await Expect(page.Locator("#failing-sources")).ToBeVisibleAsync();
        await Screenshot(page, "sources-failing-zh");
        await page.Locator("tbody[data-source=webui-missing] .last-run a").ClickAsync();
        await Expect(page.Locator(".run-error .plain")).ToHaveTextAsync("找不到导出文件或无法打开。请确认文件已放到数据源目录。");
        await Screenshot(page, "run-failed-zh");
        await page.Context.CloseAsync();
    }

    [Test]
    public async Task A_worker_is_offered_neither_page_and_the_api_refuses_them()
    {
        var page = await Ui.SignedInAsync("worker-001");
        await Expect(page.Locator("#nav-sources")).ToHaveCountAsync(0);
        await page.GotoAsync("/sources");
        await Expect(page.Locator("main .alert")).ToHaveTextAsync("您无权查看此内容。");
        await Expect(page.Locator("#sources")).ToHaveCountAsync(0);
        await page.GotoAsync("/runs/1");
        await Expect(page.Locator("main .alert")).ToHaveTextAsync("您无权查看此内容。");
        await page.Context.CloseAsync();

        var worker = await DemoServer.Server.LoginAsync("worker-001", DemoServer.Password);
        using var list = await worker.GetAsync("/api/sources");
        using var sync = await worker.PostAsync("/api/sources/hukou/sync", null);
        using var run = await worker.GetAsync("/api/runs/1");
        using var changes = await worker.GetAsync("/api/runs/1/changes");
        Assert.That(new[] { list.StatusCode, sync.StatusCode, run.StatusCode, changes.StatusCode }, Is.All.EqualTo(HttpStatusCode.Forbidden));
    }

    private static async Task Screenshot(IPage page, string name)
    {
        Directory.CreateDirectory(Screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });
    }
}
