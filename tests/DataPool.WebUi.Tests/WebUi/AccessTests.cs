using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DataPool.WebUi.Tests.WebUi;

/// <summary>Who sees what in the page: a worker of another community is refused a household; signing out ends the session.</summary>
public sealed class AccessTests
{
    [Test]
    public async Task A_worker_of_another_community_cannot_open_the_household()
    {
        var (no, _) = await Ui.HouseholdAsync(0);
        var page = await Ui.SignedInAsync("worker-002");
        await page.GotoAsync($"/households/{no}");
        // Another community's household reads as a missing one: the server answers 404 for both.
        await Expect(page.Locator("#form-refused")).ToHaveTextAsync($"找不到户号为 {no} 的住户（或它不属于您的社区）。");
        await Expect(page.Locator("#save")).ToHaveCountAsync(0);
        await Expect(page.Locator(".field")).ToHaveCountAsync(0);
    }

    [Test]
    public async Task A_wrong_password_is_refused_and_sign_out_returns_to_the_sign_in_form()
    {
        var page = await DemoServer.NewPageAsync();
        await page.GotoAsync("/dashboard");
        // worker-003 is no other test's user: signing out ends every session of the user on the server (security stamp),
        // and the other fixtures run alongside with worker-001's sessions.
        await page.GetByLabel("用户名").FillAsync("worker-003");
        await page.GetByLabel("密码").FillAsync("not-the-password");
        await page.GetByLabel("密码").PressAsync("Enter");
        await Expect(page.Locator("#login-error")).ToHaveTextAsync("用户名或密码不正确。");

        // Keyboard only: the name field, Tab to the password, Enter to sign in.
        await page.GetByLabel("用户名").FillAsync("worker-003");
        await page.GetByLabel("用户名").PressAsync("Tab");
        await page.Keyboard.TypeAsync(DemoServer.Password);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#who")).ToContainTextAsync("东厂社区工作者");

        await page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "登录" })).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "登录" })).ToBeVisibleAsync();
        await Expect(page.Locator("#who")).ToHaveCountAsync(0);
    }
}
