using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace DataPool.WebUi.Tests;

/// <summary>What the tests do in the page the way a person does it: labels, buttons, links.</summary>
public static class Ui
{
    private static readonly ConcurrentDictionary<string, Task<string>> Sessions = new(StringComparer.Ordinal);
    private static Task<IReadOnlyList<JsonElement>>? _households;

    /// <summary>
    /// Opens the site in a fresh browser context signed in as the user. The first time for a user it signs in through
    /// the sign-in form; later contexts start from that session's cookie (signing in costs a password hash).
    /// </summary>
    public static async Task<IPage> SignedInAsync(string name, int width = 1280)
    {
        var page = await SessionPageAsync(name, width);
        // A sign-out ends every session of the user on the server (security stamp): a kept session may be gone.
        if (await page.Locator("#who").CountAsync() == 0 && await page.GetByLabel("密码").IsVisibleAsync())
        {
            Sessions.TryRemove(name, out _);
            await page.Context.CloseAsync();
            page = await SessionPageAsync(name, width);
        }

        await Assertions.Expect(page.Locator("#who")).ToBeVisibleAsync();
        return page;
    }

    private static async Task<IPage> SessionPageAsync(string name, int width)
    {
        var state = await Sessions.GetOrAdd(name, async user =>
        {
            var first = await DemoServer.NewPageAsync();
            await first.GotoAsync("/");
            await first.GetByLabel("用户名").FillAsync(user);
            await first.GetByLabel("密码").FillAsync(DemoServer.Password);
            await first.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
            await Assertions.Expect(first.Locator("#who")).ToBeVisibleAsync();
            var saved = await first.Context.StorageStateAsync();
            await first.Context.CloseAsync();
            return saved;
        });
        var page = await DemoServer.NewPageAsync(width, storageState: state);
        await page.GotoAsync("/");
        // The shell asks who is signed in; wait for its answer (the header or the sign-in form), not a fixed time.
        await Assertions.Expect(page.Locator("#who").Or(page.GetByLabel("密码")).First).ToBeVisibleAsync();
        return page;
    }

    /// <summary>The input of a form field by its path (<c>household.address</c>, <c>members[0].phone</c>).</summary>
    public static ILocator Field(IPage page, string path) => page.Locator($".field[data-path=\"{path}\"]");

    public static ILocator Input(IPage page, string path) => Field(page, path).Locator("input, select");

    /// <summary>Searches by the text and opens the household from the result list.</summary>
    public static async Task OpenHouseholdAsync(IPage page, string query, string householdNo)
    {
        await page.GetByLabel("姓名、身份证号、地址或户号").FillAsync(query);
        await page.GetByRole(AriaRole.Button, new() { Name = "查找" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = householdNo, Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#save")).ToBeVisibleAsync();
    }

    /// <summary>
    /// Households of the community of <paramref name="worker"/> as its API lists them for a search; each test takes
    /// its own, so tests that save never see each other's changes.
    /// </summary>
    public static async Task<IReadOnlyList<JsonElement>> HouseholdsAsync(string worker, string query)
    {
        var client = await DemoServer.Server.LoginAsync(worker, DemoServer.Password);
        var page = await client.GetFromJsonAsync<JsonElement>($"/api/forms/households?q={Uri.EscapeDataString(query)}");
        var hits = page.GetProperty("items").EnumerateArray().ToList();
        Assert.That(hits, Is.Not.Empty, $"no household of {worker} for '{query}'");
        return hits;
    }

    /// <summary>A household of worker-001's community with at least one member, by its place in the search.</summary>
    public static async Task<(string No, string Head)> HouseholdAsync(int place)
    {
        var hits = await (_households ??= HouseholdsAsync("worker-001", "多福巷"));
        var hit = hits.Where(h => h.GetProperty("memberCount").GetInt32() > 0).ElementAt(place);
        return (hit.GetProperty("householdNo").GetString()!, hit.GetProperty("headName").GetString()!);
    }

    /// <summary>A phone number for a test: a valid mobile that differs per call.</summary>
    public static string NewPhone() => "139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
