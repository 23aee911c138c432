using System.Net.Http.Json;
using System.Text.Json;
using DataPool.Core.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DataPool.WebUi.Tests.WebUi;

/// <summary>A worker prints a certificate the community still issues from the household page, and anyone checks its serial.</summary>
public sealed class CertificateTests
{
    [Test]
    public async Task A_worker_prints_a_relationship_certificate_to_a_deceased_head_and_its_serial_checks_as_valid()
    {
        // A household of worker-001's community whose head has died: no source holds the head's registration any more.
        var (no, _) = await Ui.HouseholdAsync(6);
        await using var connection = await DemoServer.Server.Services.GetRequiredService<PoolDatabase>().OpenAsync();
        var head = await connection.ScalarAsync<long>("SELECT MIN(pool_id) FROM pool_person WHERE household_no = @h AND relation_to_head = '02'", null, default, ("@h", no));
        var child = await connection.ScalarAsync<long?>(
            "SELECT MIN(pool_id) FROM pool_person WHERE household_no = @h AND relation_to_head IN ('20', '21', '22', '30', '31', '32') AND _deleted = 0", null, default, ("@h", no));
        Assume.That(child, Is.Not.Null, $"household {no} has a child of the head");
        var headName = await connection.ScalarAsync<string>("SELECT name FROM pool_person WHERE pool_id = @p", null, default, ("@p", head));
        await connection.ExecuteAsync("UPDATE pool_person SET _deleted = 1 WHERE pool_id = @p", null, default, ("@p", head));
        try
        {
            var page = await Ui.SignedInAsync("worker-001");
            await page.GotoAsync($"/households/{no}");
            var panel = page.Locator("#certificates");
            await Expect(panel.GetByRole(AriaRole.Heading, new() { Name = "开具证明" })).ToBeVisibleAsync();
            await Expect(panel.Locator("tr.former")).ToContainTextAsync(headName!);

            var popup = await page.Context.RunAndWaitForPageAsync(async () =>
            {
                await panel.Locator($"#deceased-relationship-{child}-{head}").ClickAsync();
                await Expect(page.Locator("#certificate-status")).ToContainTextAsync("新标签页");
            });
            await popup.WaitForLoadStateAsync();
            await Expect(popup.Locator("h1")).ToHaveTextAsync("与死者关系证明");
            await Expect(popup.Locator("body")).ToContainTextAsync("系子女关系");
            await Expect(popup.Locator("table.facts")).ToContainTextAsync("户籍");
            var serial = System.Text.RegularExpressions.Regex.Match(await popup.Locator(".serial").InnerTextAsync(), @"\d{4}-\d{12}-\d{6}").Value;
            Assert.That(serial, Is.Not.Empty);

            // Anyone holding the certificate checks it through the verify route.
            var check = await DemoServer.Server.Anonymous().GetFromJsonAsync<JsonElement>($"/api/certificates/verify/{serial}");
            Assert.That(check.GetProperty("status").GetString(), Is.EqualTo("valid"));
            Assert.That(check.GetProperty("kind").GetString(), Is.EqualTo("deceased-relationship"));

            // A certificate the pool cannot support is explained on the page, not printed.
            await panel.Locator($"#guardianship-{child}").ClickAsync();
            await Expect(page.Locator("#certificate-status")).ToContainTextAsync("无法开具");
        }
        finally
        {
            await connection.ExecuteAsync("UPDATE pool_person SET _deleted = 0 WHERE pool_id = @p", null, default, ("@p", head));
        }
    }
}
