using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DataPool.WebUi.Tests.WebUi;

/// <summary>
/// A worker finds a household the way they type: by surname, by address shorthand (2-2-201), and on page 2 of a
/// long result that states its true total ("多福巷" said "找到 50 户" when hundreds matched, with no next page).
/// </summary>
public sealed partial class HouseholdSearchTests
{
    private static async Task SearchAsync(IPage page, string query)
    {
        await page.GetByLabel("姓名、身份证号、地址或户号").FillAsync(query);
        await page.GetByRole(AriaRole.Button, new() { Name = "查找" }).ClickAsync();
    }

    [Test]
    public async Task A_worker_finds_a_household_by_surname()
    {
        var (no, head) = await Ui.HouseholdAsync(0);
        var page = await Ui.SignedInAsync("worker-001");
        await SearchAsync(page, head[..1]);
        await page.GetByRole(AriaRole.Link, new() { Name = no, Exact = true }).ClickAsync();
        await Expect(page.Locator("#save")).ToBeVisibleAsync();
    }

    [Test]
    public async Task A_worker_finds_a_household_by_address_shorthand()
    {
        var hit = (await Ui.HouseholdsAsync("worker-001", "多福巷"))[1];
        var flat = Flat().Match(hit.GetProperty("address").GetString()!);
        Assert.That(flat.Success, Is.True);
        var page = await Ui.SignedInAsync("worker-001");
        await SearchAsync(page, $"{flat.Groups[1].Value}-{flat.Groups[2].Value}-{flat.Groups[3].Value}");
        await page.GetByRole(AriaRole.Link, new() { Name = hit.GetProperty("householdNo").GetString()!, Exact = true }).ClickAsync();
        await Expect(page.Locator("#save")).ToBeVisibleAsync();
    }

    [Test]
    public async Task A_worker_finds_a_household_on_page_two_of_a_long_result()
    {
        var client = await DemoServer.Server.LoginAsync("worker-001", DemoServer.Password);
        var second = await client.GetFromJsonAsync<JsonElement>("/api/forms/households?q=" + Uri.EscapeDataString("多福巷") + "&page=2");
        var total = second.GetProperty("total").GetInt64();
        var pages = (total + second.GetProperty("pageSize").GetInt64() - 1) / second.GetProperty("pageSize").GetInt64();
        Assert.That(pages, Is.GreaterThan(1), "the demo community has more than one page of households");
        var no = second.GetProperty("items")[0].GetProperty("householdNo").GetString()!;

        var page = await Ui.SignedInAsync("worker-001");
        await SearchAsync(page, "多福巷");
        await Expect(page.Locator("#search-results")).ToContainTextAsync($"找到 {total:N0} 户");
        await Expect(page.Locator(".search-pager")).ToContainTextAsync($"第 1 / {pages} 页");
        await page.GetByRole(AriaRole.Button, new() { Name = "下一页" }).ClickAsync();
        await Expect(page.Locator(".search-pager")).ToContainTextAsync($"第 2 / {pages} 页");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "上一页" })).ToBeEnabledAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "search-page-2.png"), FullPage = true });
        await page.GetByRole(AriaRole.Link, new() { Name = no, Exact = true }).ClickAsync();
        await Expect(page.Locator("#save")).ToBeVisibleAsync();
    }

    [GeneratedRegex(@"(\d+)号楼(\d+)单元(\d+)")]
    private static partial Regex Flat();
}
