using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace DataPool.WebUi.Tests.WebUi;

/// <summary>Every time shown to a person is Beijing time, whatever the zone of the browser that shows it.</summary>
public sealed partial class BeijingTimeTests
{
    [Test]
    public async Task A_browser_in_New_York_shows_the_time_in_Beijing()
    {
        var context = await DemoServer.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = DemoServer.Server.BaseAddress.ToString(),
            TimezoneId = "America/New_York",
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        var shown = await page.EvaluateAsync<string[]>("""
            async () => {
              const { beijingTime } = await import('/js/beijing-time.js');
              return [beijingTime('2026-12-06T16:30:00Z'), beijingTime('2026-12-06T16:30:05+00:00', { seconds: true }), new Date('2026-12-06T16:30:00Z').getHours().toString()];
            }
            """);
        await context.CloseAsync();
        Assert.That(shown[2], Is.EqualTo("11"), "the browser really is in New York");
        Assert.That(shown[..2], Is.EqualTo(new[] { "2026-12-07 00:30", "2026-12-07 00:30:05" }));
    }

    /// <summary>The pages format times through js/beijing-time.js only: no page formats a Date in the browser's zone.</summary>
    [Test]
    public void No_page_formats_a_time_in_the_browsers_zone()
    {
        var wwwroot = Path.Combine(TestContext.CurrentContext.TestDirectory, "wwwroot");
        var offenders = Directory.EnumerateFiles(wwwroot, "*.js", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "beijing-time.js")
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(wwwroot, f), Line: i + 1, Text: line)))
            .Where(l => LocalTimeFormatting().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();
        Assert.That(offenders, Is.Empty, "format times with beijingTime() from js/beijing-time.js");
    }

    [GeneratedRegex(@"toLocale(Date|Time)String|Date\([^)]*\)\s*\.toLocaleString|\.(getHours|getDate|getMonth|getFullYear)\(")]
    private static partial Regex LocalTimeFormatting();
}
