using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DataPool.WebUi.Tests.WebUi;

/// <summary>The burden ledger page: the demo world's 44 legacy forms, the charts drawn as SVG, and a table per community.</summary>
public sealed class DashboardTests
{
    [TestCase("admin")]
    [TestCase("analyst-civil-affairs")]
    public async Task The_dashboard_shows_the_44_legacy_forms_and_the_charts(string user)
    {
        var client = await DemoServer.Server.LoginAsync(user, DemoServer.Password);
        var burden = await client.GetFromJsonAsync<JsonElement>("/api/burden");
        var page = await Ui.SignedInAsync(user);
        await page.GetByRole(AriaRole.Link, new() { Name = "减负台账" }).ClickAsync();

        await Expect(page.Locator("[data-metric=legacyForms] .value")).ToHaveTextAsync("44");
        await Expect(page.Locator("[data-metric=retired] .value")).ToHaveTextAsync(burden.GetProperty("retired").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("#burden-summary")).ToHaveTextAsync("44 张表单 → 1 张统一表单 + 7 张自动生成报表");
        await Expect(page.Locator("figure.chart svg[role=img]")).ToHaveCountAsync(2);
        await Expect(page.Locator("svg.stacked .part.retired rect")).ToHaveCountAsync(1);
        var communities = burden.GetProperty("communities").GetArrayLength();
        Assert.That(communities, Is.GreaterThan(0));
        await Expect(page.Locator("#communities tbody tr")).ToHaveCountAsync(communities);
        await Expect(page.Locator("#forms tbody tr")).ToHaveCountAsync(44);
    }

    [Test]
    public async Task The_pages_fit_a_narrow_screen_and_every_input_has_a_label()
    {
        var (no, head) = await Ui.HouseholdAsync(0);
        var page = await Ui.SignedInAsync("worker-001", width: 390);
        await page.GotoAsync("/dashboard");
        await Expect(page.Locator("[data-metric=legacyForms] .value")).ToHaveTextAsync("44");
        Assert.That(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), Is.True, "the dashboard scrolls sideways at 390 px");

        await page.GotoAsync("/");
        await Ui.OpenHouseholdAsync(page, head, no);
        Assert.That(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), Is.True, "the form scrolls sideways at 390 px");
        var unlabelled = await page.EvaluateAsync<string[]>("[...document.querySelectorAll('input, select')].filter(e => e.labels.length === 0).map(e => e.id)");
        Assert.That(unlabelled, Is.Empty);
        Assert.That(await page.Locator(".field input, .field select").CountAsync(), Is.GreaterThan(10));
    }
}
