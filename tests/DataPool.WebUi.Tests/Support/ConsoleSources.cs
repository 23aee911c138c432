using System.Globalization;
using System.Net;
using System.Text;
using DataPool.Core.Sync;
using DataPool.Core.Values;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace DataPool.WebUi.Tests;

/// <summary>Small CSV sources the console journeys add to the shared demo server, synced at once, and page screenshots.</summary>
public static class ConsoleSources
{
    /// <summary>A valid resident ID of someone born on the date (yyyyMMdd), sequence odd for a man.</summary>
    public static string IdNumberOf(string birth, int sequence)
    {
        var first17 = "110101" + birth + sequence.ToString("000", CultureInfo.InvariantCulture);
        return first17 + IdNumber.CheckCharacter(first17);
    }

    /// <summary>Writes the CSV into the server's sources root, adds the definition through the API, and syncs it.</summary>
    public static async Task<SyncResult> AddAndSyncAsync(string id, string csv, string streamJson)
    {
        var server = DemoServer.Server;
        var root = Path.Combine(server.Folder, "sources");
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(Path.Combine(root, $"{id}.csv"), csv, Encoding.UTF8);
        var admin = await server.LoginAsync("admin", DemoServer.Password);
        using var response = await admin.PostAsync("/api/sources", new StringContent($$"""
            { "id": "{{id}}", "name": "{{id}}", "department": "community", "kind": "csv", "settings": { "path": "{{id}}.csv" },
              "streams": [{{streamJson}}] }
            """, Encoding.UTF8, "application/json"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return await server.Services.GetRequiredService<SyncRunner>().RunAsync(id);
    }

    /// <summary>Saves a full-page screenshot beside the test results (looked at by people, not compared).</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.AddTestAttachment(path);
    }
}
