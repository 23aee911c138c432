using Microsoft.Playwright;
using static DataPool.WebUi.Tests.ConsoleSources;
using static Microsoft.Playwright.Assertions;

namespace DataPool.WebUi.Tests.Console;

/// <summary>/quarantine: an admin finds a bad row by its reason, sees the failing column and the suggested fix, replays a wrong fix, then the suggested one, and sees every attempt.</summary>
public sealed class QuarantineJourneyTests
{
    private const string Source = "ui-quarantine";
    private static readonly string IdNumber = IdNumberOf("19330303", 913);

    [OneTimeSetUp]
    public async Task AddSourceAsync()
    {
        var result = await AddAndSyncAsync(Source, $"身份证号,姓名,性别,出生日期\n{IdNumber},欧阳修远,男,1933-03-13\n",
            """{ "name": "persons", "entity": "person", "key": ["身份证号"], "fields": { "id_number": { "from": "身份证号" }, "name": { "from": "姓名" }, "gender": { "from": "性别" }, "birth_date": { "from": "出生日期" } } }""");
        Assert.That(result.Counts.Quarantined, Is.EqualTo(1));
    }

    [Test]
    public async Task An_admin_fixes_and_replays_a_quarantined_row_and_sees_every_attempt()
    {
        var page = await Ui.SignedInAsync("admin");
        await page.GetByRole(AriaRole.Link, new() { Name = "隔离区" }).ClickAsync();
        await Expect(page.Locator("#totals-by-source")).ToContainTextAsync(Source);
        await Expect(page.Locator("#totals-by-reason")).ToContainTextAsync("出生日期与身份证号不符");
        await page.GetByLabel("来源").SelectOptionAsync(Source);
        await Expect(page.Locator("#quarantine-rows tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#quarantine-rows tbody tr")).ToContainTextAsync("出生日期与身份证号不符");
        await ScreenshotAsync(page, "quarantine-list-zh");

        await page.Locator("#quarantine-rows tbody tr").GetByRole(AriaRole.Button, new() { Name = "查看" }).ClickAsync();
        var birth = page.Locator("#raw-row tr[data-column=出生日期]");
        await Expect(birth).ToHaveClassAsync("failing");
        await Expect(page.Locator("#raw-row tr.failing")).ToHaveCountAsync(1);
        await Expect(birth.Locator(".suggestion")).ToContainTextAsync("身份证号所载出生日期 1933-03-03");

        // A wrong fix first: still bad, and kept.
        await page.GetByLabel("出生日期").FillAsync("1933-03-04");
        await page.GetByRole(AriaRole.Button, new() { Name = "修正并重放" }).ClickAsync();
        await Expect(page.Locator("#replay-status")).ToHaveTextAsync("仍未通过校验，原因见下方尝试记录。");
        await Expect(page.Locator("#attempt-rows tbody tr[data-attempt]")).ToHaveCountAsync(1);
        await Expect(page.Locator("#attempt-rows tr[data-attempt='1']")).ToContainTextAsync("出生日期与身份证号不符");

        // Then the suggested one.
        await page.Locator("#raw-row tr[data-column=出生日期]").GetByRole(AriaRole.Button, new() { Name = "采用" }).ClickAsync();
        await Expect(page.GetByLabel("出生日期")).ToHaveValueAsync("1933-03-03");
        await page.GetByRole(AriaRole.Button, new() { Name = "修正并重放" }).ClickAsync();
        await Expect(page.Locator("#replay-status")).ToHaveTextAsync("已通过校验并写入数据池。");

        await Expect(page.Locator("#attempt-rows tr.original-row")).ToContainTextAsync("出生日期=1933-03-13");
        await Expect(page.Locator("#attempt-rows tbody tr[data-attempt]")).ToHaveCountAsync(2);
        await Expect(page.Locator("#attempt-rows tr[data-attempt='1']")).ToContainTextAsync("1933-03-04");
        await Expect(page.Locator("#attempt-rows tr[data-attempt='2']")).ToContainTextAsync("出生日期: 1933-03-03");
        await Expect(page.Locator("#attempt-rows tr[data-attempt='2']")).ToContainTextAsync("已接受");
        await Expect(page.Locator("#raw-row tr[data-column=出生日期] td.original")).ToHaveTextAsync("1933-03-13");
        await ScreenshotAsync(page, "quarantine-detail-zh");

        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to English" }).ClickAsync();
        await page.GotoAsync($"/quarantine?status=all&source={Source}");
        await Expect(page.Locator("#totals-by-reason")).ToContainTextAsync("Birth date disagrees with the ID number");
        await page.Locator("#quarantine-rows tbody tr").First.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
        await Expect(page.Locator("#attempt-rows tr[data-attempt='2']")).ToContainTextAsync("Accepted");
        await ScreenshotAsync(page, "quarantine-detail-en");
    }
}
