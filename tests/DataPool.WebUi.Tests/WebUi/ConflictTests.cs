using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DataPool.WebUi.Tests.WebUi;

/// <summary>Optimistic concurrency in the page: a save over a stale form shows what changed meanwhile and lets the worker reapply.</summary>
public sealed class ConflictTests
{
    [Test]
    public async Task A_stale_save_shows_the_change_made_meanwhile_and_the_worker_can_reapply_theirs()
    {
        var (no, head) = await Ui.HouseholdAsync(4);
        var first = await Ui.SignedInAsync("worker-001");
        await Ui.OpenHouseholdAsync(first, head, no);
        var second = await Ui.SignedInAsync("worker-001");
        await Ui.OpenHouseholdAsync(second, head, no);

        var theirs = Ui.NewPhone();
        await Ui.Input(second, "members[0].phone").FillAsync(theirs);
        await second.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Expect(second.Locator("#form-status")).ToHaveTextAsync("已保存。");

        var mine = Ui.NewPhone();
        await Ui.Input(first, "members[0].phone").FillAsync(mine);
        await first.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();

        var conflict = first.Locator("#conflict");
        await Expect(conflict).ToBeVisibleAsync();
        await Expect(conflict.Locator("h2")).ToContainTextAsync("保存冲突");
        var row = conflict.Locator("tbody tr").Filter(new() { HasText = theirs });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("社区填报");
        await Expect(row.Locator("td").First).ToContainTextAsync("成员 1");

        await first.GetByRole(AriaRole.Button, new() { Name = "加载最新数据并保留我的修改" }).ClickAsync();
        await Expect(conflict).ToBeHiddenAsync();
        await Expect(Ui.Input(first, "members[0].phone")).ToHaveValueAsync(mine);
        await first.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Expect(first.Locator("#form-status")).ToHaveTextAsync("已保存。");

        await second.ReloadAsync();
        await Expect(Ui.Input(second, "members[0].phone")).ToHaveValueAsync(mine);
    }
}
