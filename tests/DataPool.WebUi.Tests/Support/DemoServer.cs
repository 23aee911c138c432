using DataPool.Core.Store;
using DataPool.Server.Identity;
using DataPool.Server.Tests.Forms;
using Microsoft.Playwright;

namespace DataPool.WebUi.Tests;

/// <summary>
/// One real server for the whole project (in-process Kestrel over an embedded pool) holding a small demo world's
/// household register and civil-affairs exports (<see cref="FormsWorld"/>, as the forms API tests build it) and the
/// demo users, and one headless Debian Chromium driven by Playwright. Each test opens its own browser context (its own
/// cookies and storage).
/// </summary>
[SetUpFixture]
public sealed class DemoServer
{
    /// <summary>Debian's browser: Playwright never downloads one of its own here (offline intranets, offline CI).</summary>
    public const string Chromium = "/usr/bin/chromium";

    /// <summary>How long an action or an expectation may wait for the page, in milliseconds.</summary>
    private const int Timeout = 20_000;

    private static DataPool.Server.Tests.ServerHost? _server;
    private static IPlaywright? _playwright;
    private static IBrowser? _browser;

    public static DataPool.Server.Tests.ServerHost Server => _server ?? throw new InvalidOperationException("the demo server has not started");

    public static IBrowser Browser => _browser ?? throw new InvalidOperationException("the browser has not started");

    public static string Password => DemoUsers.DefaultPassword;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        // Generous waits: CI runs every test project at once on two cores, and a page under that load is slow, not wrong.
        Assertions.SetDefaultExpectTimeout(Timeout);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // One Hangfire worker: "sync now" on the sources page queues its run for a worker, as in production.
        _server = await FormsWorld.ForAsync(StoreOptions.Sqlite, "--DataPool:Scheduling:Workers=1");
        await DemoUsers.SeedAsync(_server.Users, DemoUsers.All(Password), CancellationToken.None);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox"],
        });
        TestContext.Progress.WriteLine($"web UI tests: demo server and Chromium ready in {clock.ElapsedMilliseconds} ms");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A fresh browser context (no cookies, no stored language, unless <paramref name="storageState"/> gives a session) at 1280 px unless told otherwise.</summary>
    public static async Task<IPage> NewPageAsync(int width = 1280, int height = 900, string? storageState = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "zh-CN",
            StorageState = storageState,
        });
        context.SetDefaultTimeout(Timeout);
        return await context.NewPageAsync();
    }
}
