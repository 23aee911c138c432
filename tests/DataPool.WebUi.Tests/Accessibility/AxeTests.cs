using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DataPool.WebUi.Tests.Accessibility;

/// <summary>
/// axe-core finds no serious or critical violation on any page of the web UI, each visited by a role that may open it
/// (contrast, labels, landmarks, names of buttons and links…). Every violation found is listed, page by page.
/// </summary>
public sealed class AxeTests
{
    [Test]
    public async Task No_page_has_a_serious_or_critical_accessibility_violation()
    {
        var found = new List<string>();

        var signIn = await DemoServer.NewPageAsync();
        await AxeCore.InjectAsync(signIn.Context);
        await signIn.GotoAsync("/");
        await Expect(signIn.GetByLabel("密码")).ToBeVisibleAsync();
        await CheckAsync(signIn, "sign-in", found);
        await signIn.Context.CloseAsync();

        var (householdNo, _) = await Ui.HouseholdAsync(0);
        var worker = await Ui.SignedInAsync("worker-001");
        await AxeCore.InjectAsync(worker.Context);
        await VisitAsync(worker, "/", found);
        await worker.GetByLabel("姓名、身份证号、地址或户号").FillAsync("多福巷");
        await worker.GetByRole(AriaRole.Button, new() { Name = "查找" }).ClickAsync();
        await Expect(worker.GetByRole(AriaRole.Link, new() { Name = householdNo, Exact = true })).ToBeVisibleAsync();
        await CheckAsync(worker, "/ with results", found);
        await VisitAsync(worker, $"/households/{householdNo}", found, worker.Locator("#save"));
        await worker.Context.CloseAsync();

        var admin = await Ui.SignedInAsync("admin");
        await AxeCore.InjectAsync(admin.Context);
        var api = await DemoServer.Server.LoginAsync("admin", DemoServer.Password);
        using var run = await api.GetAsync("/api/runs/1");
        var pages = new List<string> { "/dashboard", "/sources", "/sources/new", "/quarantine", "/matches", "/reports", "/query", "/quality" };
        if (run.StatusCode == HttpStatusCode.OK)
        {
            pages.Add("/runs/1");
        }

        foreach (var path in pages)
        {
            await VisitAsync(admin, path, found);
        }

        await admin.Context.CloseAsync();

        var analyst = await Ui.SignedInAsync("analyst-civil-affairs");
        await AxeCore.InjectAsync(analyst.Context);
        // The query page empty, and with a query run: its field list, every kind of filter control, the sortable table, the pager.
        foreach (var path in new[] { "/reports", "/quality", "/query", "/query?entity=person&gender=in:2&birth_date=range:1950-01-01..1979-12-31&address=prefix:东城区&sort=-birth_date&page=2" })
        {
            await VisitAsync(analyst, path, found);
        }

        await analyst.Context.CloseAsync();

        Assert.That(found, Is.Empty, "axe-core found serious or critical violations:\n" + string.Join("\n", found));
    }

    private static async Task VisitAsync(IPage page, string path, List<string> found, ILocator? ready = null)
    {
        await page.GotoAsync(path);
        await Expect(page.Locator("#who")).ToBeVisibleAsync();
        if (ready is not null)
        {
            await Expect(ready).ToBeVisibleAsync();
        }

        // The page loads its data after the shell: wait until the browser has nothing left to fetch.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await CheckAsync(page, path, found);
    }

    private static async Task CheckAsync(IPage page, string name, List<string> found)
    {
        var violations = await AxeCore.SeriousViolationsAsync(page);
        found.AddRange(violations.Select(v => $"{name}: {v}"));
        TestContext.Progress.WriteLine($"axe {name}: {violations.Count} serious/critical");
    }
}
