using System.Text.Json;
using Microsoft.Playwright;

namespace DataPool.WebUi.Tests;

/// <summary>
/// axe-core, the accessibility checker, injected into pages under test only (never served to users). tests/prerequisites.sh
/// fetches it with npm into the cache named here; a test asking for it fails by name when it is not there.
/// </summary>
public static class AxeCore
{
    public const string Version = "4.14.1";

    /// <summary>Where tests/prerequisites.sh puts axe.min.js (the same expression as the script's).</summary>
    public static string ScriptPath
    {
        get
        {
            var cache = Environment.GetEnvironmentVariable("DATAPOOL_TEST_CACHE");
            if (string.IsNullOrEmpty(cache))
            {
                var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
                var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
                cache = Path.Combine(string.IsNullOrEmpty(xdg) ? Path.Combine(home, ".cache") : xdg, "datapool-tests");
            }

            return Path.Combine(cache, $"axe-core-{Version}", "axe.min.js");
        }
    }

    /// <summary>axe-core's source, or a failed test saying how to get it.</summary>
    public static string Script()
    {
        var path = ScriptPath;
        if (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            Assert.Fail($"axe-core {Version} is missing at {path}: tests/prerequisites.sh fetches it with npm (`npm pack axe-core@{Version}`); " +
                        "run it (it needs npm and access to the npm registry), then run the tests again.");
        }

        return File.ReadAllText(path);
    }

    /// <summary>
    /// Adds axe-core to every document the context opens from now on (an init script, so the pages' strict CSP, which
    /// refuses inline scripts, does not stand in the way).
    /// </summary>
    public static Task InjectAsync(IBrowserContext context) => context.AddInitScriptAsync(Script());

    /// <summary>The page's serious and critical violations, one line per rule with the elements it names.</summary>
    public static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page)
    {
        var violations = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const result = await axe.run(document, { resultTypes: ['violations'] });
              return result.violations
                .filter((v) => v.impact === 'serious' || v.impact === 'critical')
                .map((v) => `${v.impact} ${v.id} (${v.help}): ` + v.nodes.slice(0, 6).map((n) => n.target.join(' ') + ' — ' + (n.failureSummary || '').replace(/\s+/g, ' ')).join(' | '));
            }
            """);
        return violations.EnumerateArray().Select(v => v.GetString()!).ToList();
    }
}
