using System.Net.Http.Json;
using System.Net;
using DataPool.Server.Identity;
using DataPool.Server.Pool;

namespace DataPool.Server.Tests.Changes;

public sealed class HouseholdEndpointsTests
{
    private ServerHost _server = null!;
    private long _household;

    private static readonly Registered Head = Registered.Born("1957-03-02", 1, "张三", "1000010001", "02", "多福巷社区1号楼1单元101", ChangeServer.Community);
    private static readonly Registered Wife = Registered.Born("1960-05-06", 2, "王丽", "1000010001", "12", "多福巷社区1号楼1单元101", ChangeServer.Community);
    private static readonly Registered Son = Registered.Born("1985-07-08", 3, "张强", "1000010001", "20", "多福巷社区1号楼1单元101", ChangeServer.Community);

    [OneTimeSetUp]
    public async Task Start()
    {
        _server = await ServerHost.StartAsync();
        await ChangeServer.SyncRegisterAsync(_server, Son, Head, Wife);
        _household = await ChangeServer.PoolIdAsync(_server, "household", "household_no", Head.HouseholdNo);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    [Test]
    public async Task A_worker_of_the_community_lists_the_members_head_first()
    {
        using var response = await (await _server.ClientAsync(Roles.Worker)).GetAsync($"/api/pool/household/{_household}/members");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var page = (await response.Content.ReadFromJsonAsync<HouseholdMembersPage>())!;
        Assert.That(page.HouseholdNo, Is.EqualTo("1000010001"));
        Assert.That(page.Members.Select(m => (m.Name, m.RelationCode, m.IsHead)), Is.EqualTo(new[] { ("张三", "02", true), ("王丽", "12", false), ("张强", "20", false) }));
    }

    [Test]
    public async Task A_household_of_another_community_is_not_found_for_a_worker_as_an_unknown_one_is_for_anybody()
    {
        using var refused = await (await _server.ClientAsync(Roles.Worker, ChangeServer.OtherCommunity)).GetAsync($"/api/pool/household/{_household}/members");
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "the same answer as for a household that does not exist: nothing leaks");
        var body = await refused.Content.ReadAsStringAsync();
        Assert.That(body, Does.Not.Contain("张三").And.Contain($"no household record {_household} in your community"));

        using var missing = await (await _server.ClientAsync(Roles.Admin)).GetAsync("/api/pool/household/424242/members");
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Households_are_shown_to_analysts_whose_department_is_granted_them()
    {
        // Human resources is granted persons but not households; civil affairs both.
        using var refused = await (await _server.ClientAsync(Roles.Analyst, "human-resources")).GetAsync($"/api/pool/household/{_household}/members");
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        using var allowed = await (await _server.ClientAsync(Roles.Analyst, "civil-affairs")).GetAsync($"/api/pool/household/{_household}/members");
        var page = (await allowed.Content.ReadFromJsonAsync<HouseholdMembersPage>())!;
        Assert.That(page.Members, Has.Count.EqualTo(3));
    }
}
