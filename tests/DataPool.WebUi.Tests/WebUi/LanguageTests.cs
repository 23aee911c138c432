using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DataPool.WebUi.Tests.WebUi;

/// <summary>Chinese first; the EN/中文 switch changes every label, the form's too, and persists across reloads.</summary>
public sealed class LanguageTests
{
    [Test]
    public async Task Switching_to_english_changes_the_labels_and_persists()
    {
        var (no, _) = await Ui.HouseholdAsync(0);
        var page = await Ui.SignedInAsync("worker-001");
        await Expect(page.Locator("label[for=search-q]")).ToHaveTextAsync("姓名、身份证号、地址或户号");
        Assert.That(await page.EvaluateAsync<string>("document.documentElement.lang"), Is.EqualTo("zh-CN"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to English" }).ClickAsync();
        await Expect(page.Locator("label[for=search-q]")).ToHaveTextAsync("Name, ID number, address or household number");
        await Expect(page.Locator("#nav-dashboard")).ToHaveTextAsync("Burden ledger");
        Assert.That(await page.EvaluateAsync<string>("document.documentElement.lang"), Is.EqualTo("en"));

        await page.GotoAsync($"/households/{no}");
        await Expect(Ui.Field(page, "household.address").Locator("label")).ToContainTextAsync("Address");
        // What the worker typed survives the switch.
        var phone = Ui.NewPhone();
        await Ui.Input(page, "members[0].phone").FillAsync(phone);
        await page.GetByRole(AriaRole.Button, new() { Name = "切换到中文" }).ClickAsync();
        await Expect(Ui.Field(page, "household.address").Locator("label")).ToContainTextAsync("住址");
        await Expect(Ui.Input(page, "members[0].phone")).ToHaveValueAsync(phone);
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to English" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save" })).ToBeVisibleAsync();
        await Expect(Ui.Field(page, "members[0].name").Locator(".hint")).ToContainTextAsync("Household register · imported 20");

        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Add a member" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "切换到中文" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "添加成员" })).ToBeVisibleAsync();
    }
}
