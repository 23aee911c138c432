using System.Net;
using DataPool.Core.Store;
using DataPool.Server.Identity;
using DataPool.Server.Tests.Forms;

namespace DataPool.Server.Tests.Certificates;

/// <summary>Certificates generated from the pool as printable pages, each issue audited with a serial number.</summary>
[TestFixture(StoreOptions.Sqlite)]
[TestFixture(StoreOptions.Postgres)]
public sealed class CertificateEndpointsTests(string store)
{
    private ServerHost _server = null!;

    [OneTimeSetUp]
    public async Task Start() => _server = await FormsWorld.ForAsync(store);

    private async Task<long> ResidentAsync(string community) =>
        long.Parse((await FormsWorld.ScalarAsync(_server,
            "SELECT MIN(p.pool_id) FROM pool_person p JOIN pool_household h ON h.household_no = p.household_no WHERE p.community_code = @c AND p._deleted = 0 AND h.member_count >= 3",
            ("@c", community)))!, System.Globalization.CultureInfo.InvariantCulture);

    [Test]
    public async Task A_residence_certificate_is_a_printable_page_from_the_pool_and_its_issue_is_recorded()
    {
        var poolId = await ResidentAsync(FormsWorld.CommunityA);
        var worker = await _server.ClientAsync(Roles.Worker);
        using var response = await worker.GetAsync($"/api/certificates/residence/{poolId}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        var html = await response.Content.ReadAsStringAsync();
        var name = await FormsWorld.ScalarAsync(_server, "SELECT name FROM pool_person WHERE pool_id = @id", ("@id", poolId));
        var address = await FormsWorld.ScalarAsync(_server, "SELECT address FROM pool_person WHERE pool_id = @id", ("@id", poolId));
        Assert.That(html, Does.Contain("居住证明").And.Contain(name!).And.Contain(address!).And.Contain("@media print").And.Contain("多福巷社区"));
        Assert.That(html, Does.Not.Contain("http://").And.Not.Contain("https://"), "no CDN, nothing fetched");

        var serial = await FormsWorld.ScalarAsync(_server, "SELECT serial FROM dp_certificates WHERE pool_id = @id AND kind = 'residence' ORDER BY id DESC LIMIT 1", ("@id", poolId));
        Assert.That(html, Does.Contain(serial!));
        Assert.That(await FormsWorld.ScalarAsync(_server, "SELECT issued_by FROM dp_certificates WHERE serial = @s", ("@s", serial)), Is.EqualTo($"t-worker-{FormsWorld.CommunityA}"));

        var admin = await _server.ClientAsync(Roles.Admin);
        var issues = await FormsWorld.JsonAsync(await admin.GetAsync("/api/certificates"));
        Assert.That(issues.EnumerateArray().Select(i => i.GetProperty("serial").GetString()), Does.Contain(serial));
    }

    [Test]
    public async Task A_household_composition_certificate_lists_every_member_with_the_relation()
    {
        var poolId = await ResidentAsync(FormsWorld.CommunityA);
        var household = await FormsWorld.ScalarAsync(_server, "SELECT household_no FROM pool_person WHERE pool_id = @id", ("@id", poolId));
        var worker = await _server.ClientAsync(Roles.Worker);
        var html = await (await worker.GetAsync($"/api/certificates/household-composition/{poolId}")).Content.ReadAsStringAsync();
        var members = await FormsWorld.ScalarAsync(_server, "SELECT COUNT(*) FROM pool_person WHERE household_no = @h AND _deleted = 0", ("@h", household));
        Assert.That(html, Does.Contain("家庭成员关系证明"));
        Assert.That(System.Text.RegularExpressions.Regex.Matches(html, "<tr><td>").Count, Is.EqualTo(int.Parse(members!, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(html, Does.Contain("户主"));
    }

    [Test]
    public async Task A_worker_of_another_community_gets_no_certificate_and_nothing_is_recorded()
    {
        var poolId = await ResidentAsync(FormsWorld.CommunityA);
        var before = await FormsWorld.ScalarAsync(_server, "SELECT COUNT(*) FROM dp_certificates");
        var other = await _server.ClientAsync(Roles.Worker, FormsWorld.CommunityB);
        using var refused = await other.GetAsync($"/api/certificates/residence/{poolId}");
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        using var unknown = await other.GetAsync($"/api/certificates/birth/{poolId}");
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await FormsWorld.ScalarAsync(_server, "SELECT COUNT(*) FROM dp_certificates"), Is.EqualTo(before));
    }

    [Test]
    public async Task Another_communitys_resident_answers_exactly_like_a_missing_one()
    {
        // 403 for another community's resident and 404 for none told a worker which pool ids are residents elsewhere.
        var elsewhere = await ResidentAsync(FormsWorld.CommunityA);
        var missing = long.Parse((await FormsWorld.ScalarAsync(_server, "SELECT MAX(pool_id) + 1000 FROM pool_person"))!, System.Globalization.CultureInfo.InvariantCulture);
        var other = await _server.ClientAsync(Roles.Worker, FormsWorld.CommunityB);
        using var theirs = await other.GetAsync($"/api/certificates/residence/{elsewhere}");
        using var none = await other.GetAsync($"/api/certificates/residence/{missing}");
        Assert.That((theirs.StatusCode, none.StatusCode), Is.EqualTo((HttpStatusCode.NotFound, HttpStatusCode.NotFound)));
        Assert.That(await ServerHost.BodyWithoutTraceAsync(theirs), Is.EqualTo(await ServerHost.BodyWithoutTraceAsync(none)));
        Assert.That(theirs.Content.Headers.ContentType?.ToString(), Is.EqualTo(none.Content.Headers.ContentType?.ToString()));
    }
}
