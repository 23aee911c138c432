using System.Net;
using DataPool.Core.Store;
using DataPool.Server.Identity;
using DataPool.Server.Tests.Forms;

namespace DataPool.Server.Tests.Burden;

/// <summary><c>GET /api/burden</c> over the demo world, for every role.</summary>
[TestFixture(StoreOptions.Sqlite)]
[TestFixture(StoreOptions.Postgres)]
public sealed class BurdenEndpointsTests(string store)
{
    [TestCase(Roles.Admin)]
    [TestCase(Roles.Analyst)]
    [TestCase(Roles.Worker)]
    public async Task The_ledger_answers_44_forms_to_one_form_and_seven_reports(string role)
    {
        var server = await FormsWorld.ForAsync(store);
        using var response = await (await server.ClientAsync(role)).GetAsync("/api/burden");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var ledger = await FormsWorld.JsonAsync(response);
        Assert.That(ledger.GetProperty("legacyForms").GetInt32(), Is.EqualTo(44));
        Assert.That(ledger.GetProperty("unifiedForms").GetInt32(), Is.EqualTo(1));
        Assert.That(ledger.GetProperty("generatedReports").GetInt32(), Is.EqualTo(7));
        Assert.That(ledger.GetProperty("retired").GetInt32() + ledger.GetProperty("remaining").GetInt32(), Is.EqualTo(37));
        Assert.That(ledger.GetProperty("entriesPerHouseholdBefore").GetDecimal(), Is.GreaterThan(ledger.GetProperty("entriesPerHouseholdAfter").GetDecimal()));
        var households = await FormsWorld.ScalarAsync(server, "SELECT COUNT(*) FROM pool_household WHERE _deleted = 0 AND community_code IS NOT NULL");
        Assert.That(ledger.GetProperty("households").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(households));
        var communities = ledger.GetProperty("communities").EnumerateArray().ToList();
        Assert.That(communities.Select(c => c.GetProperty("code").GetString()), Does.Contain(FormsWorld.CommunityA));
        Assert.That(communities.Single(c => c.GetProperty("code").GetString() == FormsWorld.CommunityA).GetProperty("name").GetString(), Is.EqualTo("多福巷社区"));
        var forms = ledger.GetProperty("forms").EnumerateArray().ToList();
        Assert.That(forms, Has.Count.EqualTo(44));
        Assert.That(forms.Select(f => f.GetProperty("status").GetString()).Distinct(), Is.SubsetOf(new[] { "retired", "remaining", "report" }));
    }
}
