using DataPool.Core.Sources;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using DataPool.Server.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace DataPool.WebUi.Tests;

/// <summary>
/// One real server for the whole project (in-process Kestrel over an embedded pool) holding the demo world's
/// household register and civil-affairs exports and the demo users, and one headless Debian Chromium driven by
/// Playwright. Each test opens its own browser context (its own cookies and storage).
/// </summary>
[SetUpFixture]
public sealed class DemoServer
{
    /// <summary>Debian's browser: Playwright never downloads one of its own here (offline intranets, offline CI).</summary>
    public const string Chromium = "/usr/bin/chromium";

    /// <summary>The demo sources the UI tests need: households and persons, and a department's facts for provenance hints.</summary>
    private static readonly string[] Sources = ["hukou", "civil-affairs"];

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
        var clock = System.Diagnostics.Stopwatch.StartNew();
        _server = await DataPool.Server.Tests.ServerHost.StartAsync();
        TestContext.Progress.WriteLine($"server started in {clock.ElapsedMilliseconds} ms");
        await LoadDemoWorldAsync(_server.Services);
        TestContext.Progress.WriteLine($"demo world loaded at {clock.ElapsedMilliseconds} ms");
        _playwright = await Playwright.CreateAsync();
        TestContext.Progress.WriteLine($"playwright at {clock.ElapsedMilliseconds} ms");
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox"],
        });
        TestContext.Progress.WriteLine($"chromium at {clock.ElapsedMilliseconds} ms");
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

    /// <summary>A fresh browser context (no cookies, no stored language) at 1280 px unless told otherwise.</summary>
    public static async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "zh-CN",
        });
        context.SetDefaultTimeout(10_000);
        return await context.NewPageAsync();
    }

    /// <summary>Registers and syncs the demo sources straight through the server's own services, and seeds the demo users.</summary>
    private static async Task LoadDemoWorldAsync(IServiceProvider services)
    {
        var seeds = Path.Combine(RepoRoot(), "seeds");
        var loader = services.GetRequiredService<SourceDefinitionLoader>();
        var registry = services.GetRequiredService<SourceRegistry>();
        var runner = services.GetRequiredService<SyncRunner>();
        foreach (var id in Sources)
        {
            var file = Directory.EnumerateFiles(seeds, id + ".source.json", SearchOption.AllDirectories).Single();
            await registry.UpsertAsync(loader.Load(file));
            var result = await runner.RunAsync(id, "test");
            TestContext.Progress.WriteLine(result.SummaryLine);
            Assert.That(result.Succeeded, Is.True, result.SummaryLine);
        }

        await DemoUsers.SeedAsync(services.GetRequiredService<UserAccounts>(), DemoUsers.All(Password), CancellationToken.None);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DataPool.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("DataPool.sln not found above " + TestContext.CurrentContext.TestDirectory);
    }
}
