using System.Net;
using System.Text;
using DataPool.Core.Store;
using DataPool.Server.Identity;
using DataPool.Server.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DataPool.WebUi.Tests.WebUi;

/// <summary>
/// "Sync now" on a source big enough to take seconds, on a server of its own (the shared demo pool stays as it is):
/// the admin watches the bar, the percentage, rows and rows/s rise until the summary replaces them.
/// </summary>
public sealed class SyncProgressPageTests
{
    private const string Id = "big-export";
    private const string Walked = "big-walked";
    private ServerHost _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await ServerHost.StartAsync(StoreOptions.Sqlite, "--DataPool:Scheduling:Workers=1");
        await DemoUsers.SeedAsync(_server.Users, DemoUsers.All(DemoServer.Password), CancellationToken.None);
        var sources = Path.Combine(_server.Folder, "sources");
        Directory.CreateDirectory(sources);
        var admin = await _server.LoginAsync("admin", DemoServer.Password);
        foreach (var id in new[] { Id, Walked })
        {
            await File.WriteAllTextAsync(Path.Combine(sources, id + ".csv"), BigExports.Persons(120_000));
            using var added = await admin.PostAsync("/api/sources", new StringContent(BigExports.Definition(id, id + ".csv"), Encoding.UTF8, "application/json"));
            Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.Created), await added.Content.ReadAsStringAsync());
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task An_admin_watches_the_progress_of_a_big_sync_until_its_summary()
    {
        var (context, page) = await SourcesPageAsync();

        await page.Locator($"tbody[data-source={Id}]").GetByRole(AriaRole.Button, new() { Name = "立即同步" }).ClickAsync();
        var running = page.Locator($"#live-{Id} .run-progress[data-state=running]");
        await Expect(running.Locator("progress[value]")).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await Expect(running.Locator(".percent")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+(\.\d)?%$"));
        await Expect(running.Locator(".rows")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^已读 [\d,]+ 行$"));
        await Expect(running.Locator(".stream")).ToHaveTextAsync("数据流：persons");
        await page.ScreenshotAsync(new() { Path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots", "sources-progress-zh.png") });

        await Expect(page.Locator($"#live-{Id} .run-summary")).ToHaveAttributeAsync("data-state", "succeeded", new() { Timeout = 180_000 });
        await Expect(page.Locator($"#live-{Id} .run-summary [data-count=read] .value")).ToHaveTextAsync("120,000");
        await context.CloseAsync();
    }

    /// <summary>
    /// A stream too large for its stored hashes is read twice; the answer of <c>GET /api/runs/{id}</c> names the read
    /// (<c>progress.phase</c>). A sync of that size takes minutes to set up, so the answers here are the real ones with
    /// the first read's phase written in: what is tested is that the admin is told, in words.
    /// </summary>
    [Test]
    public async Task An_admin_is_told_which_read_of_a_walked_stream_is_running()
    {
        var (context, page) = await SourcesPageAsync();
        await page.RouteAsync("**/api/runs/*", async route =>
        {
            var response = await route.FetchAsync();
            var run = System.Text.Json.Nodes.JsonNode.Parse(await response.TextAsync())!;
            if (run["progress"] is System.Text.Json.Nodes.JsonObject progress)
            {
                progress["phase"] = "walk";
            }

            await route.FulfillAsync(new() { Response = response, Body = run.ToJsonString() });
        });

        await page.Locator($"tbody[data-source={Walked}]").GetByRole(AriaRole.Button, new() { Name = "立即同步" }).ClickAsync();
        var running = page.Locator($"#live-{Walked} .run-progress[data-state=running]");
        await Expect(running.Locator(".phase[data-phase=walk]")).ToHaveTextAsync("第一遍读取：与已存记录比对", new() { Timeout = 120_000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots", "sources-progress-walk-zh.png") });

        await page.UnrouteAsync("**/api/runs/*");
        await Expect(page.Locator($"#live-{Walked} .run-summary")).ToHaveAttributeAsync("data-state", "succeeded", new() { Timeout = 180_000 });
        await Expect(page.Locator($"#live-{Walked} .phase")).ToHaveCountAsync(0);
        await context.CloseAsync();
    }

    private async Task<(IBrowserContext Context, IPage Page)> SourcesPageAsync()
    {
        var context = await DemoServer.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _server.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, Locale = "zh-CN",
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/sources");
        await page.GetByLabel("用户名").FillAsync("admin");
        await page.GetByLabel("密码").FillAsync(DemoServer.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "数据源", Exact = true }).ClickAsync();
        Directory.CreateDirectory(Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots"));
        return (context, page);
    }
}
