using System.Net;
using System.Text.Json;
using DataPool.Core.Store;
using DataPool.Server.Identity;

namespace DataPool.Server.Tests.Forms;

/// <summary>
/// The form shows a worker no more than their grant (regression: the form showed the amounts paid and diagnoses the
/// worker's grant masks or withholds, while the query API hid them).
/// </summary>
[TestFixture(StoreOptions.Sqlite)]
[TestFixture(StoreOptions.Postgres)]
public sealed class FormGrantTests(string store)
{
    private ServerHost _server = null!;

    [OneTimeSetUp]
    public async Task Start() => _server = await FormsWorld.ForAsync(store);

    private static JsonElement Assistance(JsonElement form, string idNumber) =>
        form.GetProperty("members").EnumerateArray()
            .First(m => m.GetProperty("sections").GetProperty("members").GetProperty("id_number").GetProperty("value").GetString() == idNumber)
            .GetProperty("sections").GetProperty("social_assistance");

    [Test]
    public async Task A_workers_form_withholds_the_amount_paid_that_their_grant_masks_and_an_admins_shows_it()
    {
        var id = await FormsWorld.ScalarAsync(_server,
            "SELECT MIN(a.id_number) FROM pool_social_assistance a JOIN pool_person p ON p.id_number = a.id_number AND p._deleted = 0 "
            + "WHERE a._deleted = 0 AND a.monthly_amount IS NOT NULL AND p.community_code = @c", ("@c", FormsWorld.CommunityA));
        Assert.That(id, Is.Not.Null, "the small world pays assistance in community A");
        var household = await FormsWorld.ScalarAsync(_server, "SELECT household_no FROM pool_person WHERE id_number = @id AND _deleted = 0", ("@id", id));

        using var asWorker = await (await _server.ClientAsync(Roles.Worker)).GetAsync($"/api/forms/households/{household}");
        Assert.That(asWorker.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var amount = Assistance(await FormsWorld.JsonAsync(asWorker), id!).GetProperty("monthly_amount");
        Assert.That(amount.GetProperty("withheld").GetBoolean(), Is.True);
        Assert.That(amount.GetProperty("value").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(amount.GetProperty("source").ValueKind, Is.EqualTo(JsonValueKind.Null));
        var status = Assistance(await FormsWorld.JsonAsync(await (await _server.ClientAsync(Roles.Worker)).GetAsync($"/api/forms/households/{household}")), id!).GetProperty("status");
        Assert.That(status.GetProperty("withheld").GetBoolean(), Is.False, "what the grant shows is still prefilled");
        Assert.That(status.GetProperty("value").GetString(), Is.Not.Null);

        using var asAdmin = await (await _server.ClientAsync(Roles.Admin)).GetAsync($"/api/forms/households/{household}");
        var shown = Assistance(await FormsWorld.JsonAsync(asAdmin), id!).GetProperty("monthly_amount");
        Assert.That(shown.GetProperty("withheld").GetBoolean(), Is.False);
        Assert.That(shown.GetProperty("value").GetString(), Is.Not.Null.And.Not.Empty);
    }
}
