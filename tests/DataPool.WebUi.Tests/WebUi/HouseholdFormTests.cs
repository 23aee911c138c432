using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DataPool.WebUi.Tests.WebUi;

/// <summary>
/// The worker's path in headless Chromium: sign in, find a household of their community, correct a value, save,
/// and see the new value with its provenance (community-form); the rules checked as they type; members added.
/// </summary>
public sealed class HouseholdFormTests
{
    /// <summary>A value's hint names when the department recorded it where its source says so, beside the import; the header names the community.</summary>
    [Test]
    public async Task A_hint_shows_when_the_department_recorded_the_value_and_the_header_names_the_community()
    {
        var (no, head) = await Ui.HouseholdAsync(9);
        var id = await DataPool.Server.Tests.Forms.FormsWorld.ScalarAsync(DemoServer.Server,
            "SELECT id_number FROM pool_person WHERE household_no = @h AND name = @n AND _deleted = 0", ("@h", no), ("@n", head));
        var synced = await ConsoleSources.AddAndSyncAsync("hint-registrations", $"身份证号,就业状态,更新日期\n{id},失业,2026-03-15\n", """
            { "name": "registrations", "entity": "employment", "key": ["身份证号"], "asOf": "更新日期",
              "fields": { "id_number": { "from": "身份证号", "parse": "id_number" }, "status": { "from": "就业状态" } } }
            """);
        Assert.That(synced.Succeeded, synced.Error);
        var page = await Ui.SignedInAsync("worker-001");
        await Expect(page.Locator("#who")).ToContainTextAsync("多福巷社区 110101001001");
        await Ui.OpenHouseholdAsync(page, head, no);
        var hint = page.Locator(".field[data-path$='employment.status'] .hint").First;
        await Expect(hint).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"部门记录于 2026-03-15 · 导入于 20\d\d-\d\d-\d\d"));
        await ConsoleSources.ScreenshotAsync(page, "household-recorded-hint-zh");
    }

    [Test]
    public async Task Worker_corrects_a_phone_saves_and_sees_it_came_from_the_community_form()
    {
        var (no, head) = await Ui.HouseholdAsync(0);
        var page = await Ui.SignedInAsync("worker-001");
        await Ui.OpenHouseholdAsync(page, head, no);

        var phone = Ui.Input(page, "members[0].phone");
        var hint = Ui.Field(page, "members[0].name").Locator(".hint");
        await Expect(hint).ToContainTextAsync("户籍系统 · 导入于 20");
        var newPhone = Ui.NewPhone();
        await phone.FillAsync(newPhone);
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();

        await Expect(page.Locator("#form-status")).ToHaveTextAsync("已保存。");
        await Expect(phone).ToHaveValueAsync(newPhone);
        var phoneHint = Ui.Field(page, "members[0].phone").Locator(".hint");
        await Expect(phoneHint).ToHaveAttributeAsync("data-source", "community-form");
        await Expect(phoneHint).ToContainTextAsync("社区填报 · 导入于 " + DateTime.UtcNow.Year);

        // The page shows what the pool now holds, not what it remembers: a reload reads it back from the server.
        await page.ReloadAsync();
        await Expect(Ui.Input(page, "members[0].phone")).ToHaveValueAsync(newPhone);
        await Expect(Ui.Field(page, "members[0].phone").Locator(".hint")).ToHaveAttributeAsync("data-source", "community-form");
        var client = await DemoServer.Server.LoginAsync("worker-001", DemoServer.Password);
        var form = await client.GetFromJsonAsync<JsonElement>($"/api/forms/households/{no}");
        var saved = form.GetProperty("members")[0].GetProperty("sections").GetProperty("members").GetProperty("phone");
        Assert.That(saved.GetProperty("value").GetString(), Is.EqualTo(newPhone));
        Assert.That(saved.GetProperty("source").GetString(), Is.EqualTo("community-form"));
    }

    [Test]
    public async Task A_change_to_public_securitys_field_shows_the_correction_request_status_next_to_it()
    {
        var (no, head) = await Ui.HouseholdAsync(5);
        var page = await Ui.SignedInAsync("worker-001");
        await Ui.OpenHouseholdAsync(page, head, no);

        var relation = Ui.Input(page, "members[0].relation_to_head");
        var current = await relation.InputValueAsync();
        await relation.SelectOptionAsync(current == "10" ? "20" : "10");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();

        await Expect(page.Locator("#form-status")).ToContainTextAsync("1 项纠错申请已提交");
        await Expect(Ui.Input(page, "members[0].relation_to_head")).ToHaveValueAsync(current);
        await Expect(Ui.Field(page, "members[0].relation_to_head").Locator(".correction.open")).ToContainTextAsync("纠错申请已提交（待公安审核）");
        await page.ReloadAsync();
        await Expect(Ui.Field(page, "members[0].relation_to_head").Locator(".correction.open")).ToBeVisibleAsync();
    }

    [Test]
    public async Task Rules_are_checked_as_you_type_with_chinese_messages()
    {
        var (no, head) = await Ui.HouseholdAsync(1);
        var page = await Ui.SignedInAsync("worker-001");
        await Ui.OpenHouseholdAsync(page, head, no);

        await Ui.Input(page, "members[0].phone").FillAsync("12345");
        await Expect(Ui.Field(page, "members[0].phone").Locator(".error")).ToContainTextAsync("格式不正确");
        await Ui.Input(page, "members[0].phone").FillAsync(Ui.NewPhone());
        await Expect(Ui.Field(page, "members[0].phone").Locator(".error")).ToBeHiddenAsync();

        await Ui.Input(page, "household.address").FillAsync("");
        await Ui.Input(page, "household.address").BlurAsync();
        await Expect(Ui.Field(page, "household.address").Locator(".error")).ToContainTextAsync("为必填项");

        await page.GetByRole(AriaRole.Button, new() { Name = "添加成员" }).ClickAsync();
        var members = await page.Locator("fieldset.member").CountAsync();
        var newId = $"members[{members - 1}].id_number";
        await Ui.Input(page, newId).FillAsync("110101199003070015");
        await Expect(Ui.Field(page, newId).Locator(".error")).ToContainTextAsync("校验码不正确");
        await Ui.Input(page, newId).FillAsync("11010519491231002X");
        await Expect(Ui.Field(page, newId).Locator(".error")).ToBeHiddenAsync();

        // Nothing invalid reaches the server: the save stops at the first field in error.
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Expect(page.Locator("#form-status")).ToContainTextAsync("需要更正");
        await Expect(Ui.Input(page, "household.address")).ToBeFocusedAsync();
    }

    [Test]
    public async Task The_servers_refusal_is_shown_at_the_field_it_names()
    {
        var (no, head) = await Ui.HouseholdAsync(2);
        var page = await Ui.SignedInAsync("worker-001");
        await Ui.OpenHouseholdAsync(page, head, no);
        var existingId = await Ui.Input(page, "members[0].id_number").InputValueAsync();
        var existingName = await Ui.Input(page, "members[0].name").InputValueAsync();

        // A new member with the ID number of someone already in the household: only the server knows it is a duplicate.
        await page.GetByRole(AriaRole.Button, new() { Name = "添加成员" }).ClickAsync();
        var place = await page.Locator("fieldset.member").CountAsync() - 1;
        await Ui.Input(page, $"members[{place}].name").FillAsync(existingName);
        await Ui.Input(page, $"members[{place}].id_number").FillAsync(existingId);
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();

        await Expect(Ui.Field(page, $"members[{place}].id_number").Locator(".error")).ToContainTextAsync("已是本户成员");
        await Expect(page.Locator("#form-status")).ToContainTextAsync("需要更正");
    }

    [Test]
    public async Task Worker_adds_a_member_and_removes_them_again()
    {
        var (no, head) = await Ui.HouseholdAsync(3);
        var page = await Ui.SignedInAsync("worker-001");
        await Ui.OpenHouseholdAsync(page, head, no);
        var before = await page.Locator("fieldset.member").CountAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "添加成员" }).ClickAsync();
        var place = before;
        await Ui.Input(page, $"members[{place}].name").FillAsync("测试新成员");
        await Ui.Input(page, $"members[{place}].id_number").FillAsync("11010519491231002X");
        await Ui.Input(page, $"members[{place}].gender").SelectOptionAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Expect(page.Locator("#form-status")).ToHaveTextAsync("已保存。");
        await Expect(page.Locator("fieldset.member")).ToHaveCountAsync(before + 1);
        var added = page.Locator("fieldset.member").Filter(new() { HasText = "测试新成员" });
        await Expect(added.Locator(".field[data-path$='.name'] .hint")).ToHaveAttributeAsync("data-source", "community-form");

        await added.GetByRole(AriaRole.Button, new() { Name = "移除该成员" }).ClickAsync();
        await Expect(added).ToContainTextAsync("保存后将移除此成员");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Expect(page.Locator("#form-status")).ToHaveTextAsync("已保存。");
        await Expect(page.Locator("fieldset.member")).ToHaveCountAsync(before);
    }
}
