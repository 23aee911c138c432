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
    private ServerHost _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await ServerHost.StartAsync(StoreOptions.Sqlite, "--DataPool:Scheduling:Workers=1");
        await DemoUsers.SeedAsync(_server.Users, DemoUsers.All(DemoServer.Password), CancellationToken.None);
        var sources = Path.Combine(_server.Folder, "sources");
        Directory.CreateDirectory(sources);
        await File.WriteAllTextAsync(Path.Combine(sources, Id + ".csv"), BigExports.Persons(120_000));
        var admin = await _server.LoginAsync("admin", DemoServer.Password);
        using var added = await admin.PostAsync("/api/sources", new StringContent(BigExports.Definition(Id, Id + ".csv"), Encoding.UTF8, "application/json"));
        Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.Created), await added.Content.ReadAsStringAsync());
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task An_admin_watches_the_progress_of_a_big_sync_until_its_summary()
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

        await page.Locator($"tbody[data-source={Id}]").GetByRole(AriaRole.Button, new() { Name = "立即同步" }).ClickAsync();
        var running = page.Locator($"#live-{Id} .run-progress[data-state=running]");
        await Expect(running.Locator("progress[value]")).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await Expect(running.Locator(".percent")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+(\.\d)?%$"));
        await Expect(running.Locator(".rows")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^已读 [\d,]+ 行$"));
        await Expect(running.Locator(".stream")).ToHaveTextAsync("数据流：persons");
        Directory.CreateDirectory(Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots", "sources-progress-zh.png") });

        await Expect(page.Locator($"#live-{Id} .run-summary")).ToHaveAttributeAsync("data-state", "succeeded", new() { Timeout = 180_000 });
        await Expect(page.Locator($"#live-{Id} .run-summary [data-count=read] .value")).ToHaveTextAsync("120,000");
        await context.CloseAsync();
    }
}
