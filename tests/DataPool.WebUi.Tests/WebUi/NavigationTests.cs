using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DataPool.WebUi.Tests.WebUi;

/// <summary>The shell's client routes (app.js): every route renders into a view of its own.</summary>
public sealed class NavigationTests
{
    [Test]
    public async Task A_page_answering_late_never_replaces_the_page_the_user_moved_on_to()
    {
        var page = await Ui.SignedInAsync("analyst-civil-affairs");
        var release = new TaskCompletionSource();
        await page.RouteAsync("**/api/burden", async route =>
        {
            await release.Task;
            await route.ContinueAsync();
        });

        // The dashboard asks for the burden ledger; the analyst moves on to the query page before it answers.
        await page.GetByRole(AriaRole.Link, new() { Name = "减负台账" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "查询", Exact = true }).ClickAsync();
        await Expect(page.GetByLabel("数据类别")).ToBeVisibleAsync();

        var answered = page.WaitForResponseAsync("**/api/burden");
        release.SetResult();
        await answered;
        // The late answer must not draw the dashboard: give it time to try, then look.
        var drawn = await page.WaitForSelectorAsync("#burden-summary", new() { Timeout = 2_000 }).ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);
        Assert.That(drawn, Is.False, "the dashboard's late answer replaced the query page");
        await Expect(page.GetByLabel("数据类别")).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/query$"));
    }
}
