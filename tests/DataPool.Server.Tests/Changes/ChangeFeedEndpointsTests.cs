using System.Net.Http.Json;
using System.Net;
using DataPool.Core.Access;
using DataPool.Core.History;
using DataPool.Core.Store;
using DataPool.Server.Identity;
using DataPool.Server.Pool;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Server.Tests.Changes;

[TestFixture(StoreOptions.Sqlite)]
[TestFixture(StoreOptions.Postgres)]
public sealed class ChangeFeedEndpointsTests(string store)
{
    private ServerHost _server = null!;

    private static readonly Registered Head = Registered.Born("1957-03-02", 1, "张三", "1000010001", "02", "多福巷社区1号楼1单元101", ChangeServer.Community);
    private static readonly Registered Wife = Registered.Born("1960-05-06", 2, "王丽", "1000010001", "12", "多福巷社区1号楼1单元101", ChangeServer.Community);
    private static readonly Registered Stranger = Registered.Born("1970-09-09", 5, "赵六", "1000020001", "02", "前门社区2号楼1单元202", ChangeServer.OtherCommunity);

    [OneTimeSetUp]
    public async Task Start()
    {
        _server = await ServerHost.StartAsync(store);
        await ChangeServer.SyncRegisterAsync(_server, Head, Wife, Stranger);
        await ChangeServer.SyncRegisterAsync(_server, Head, Wife with { Address = "多福巷社区7号楼1单元701" }, Stranger with { Address = "前门社区8号楼1单元801" });
    }

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    private async Task<ChangePage> PageAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync("/api/pool/person/changes" + query);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ChangePage>())!;
    }

    [Test]
    public async Task An_administrator_pages_through_every_change_with_the_cursor()
    {
        var admin = await _server.ClientAsync(Roles.Admin);

        var first = await PageAsync(admin, "?limit=2");
        var rest = await PageAsync(admin, $"?since={first.Next}&limit=100");

        var all = first.Items.Concat(rest.Items).ToList();
        Assert.That(all.Count(i => i.Type == ChangeTypes.Created), Is.EqualTo(3));
        Assert.That(all.Where(i => i.Type == ChangeTypes.Moved).Select(i => i.Changes["address"].New),
            Is.EquivalentTo(new[] { "多福巷社区7号楼1单元701", "前门社区8号楼1单元801" }));
        Assert.That(all.Select(i => (i.Cursor, i.Type)), Is.Unique);
        Assert.That(all.First(i => i.Type == ChangeTypes.Created).Changes["id_number"].New, Is.EqualTo(Head.Id), "an administrator sees ID numbers");
        Assert.That((await PageAsync(admin, $"?since={rest.Next}")).Items, Is.Empty);
    }

    [Test]
    public async Task An_analyst_sees_only_the_fields_their_department_is_granted_and_sensitive_ones_masked()
    {
        // Human resources is granted name, gender, birth date, phone, community and a masked ID number; not the address.
        var analyst = await _server.ClientAsync(Roles.Analyst, "human-resources");

        var page = await PageAsync(analyst, "?limit=100");

        Assert.That(page.Items.SelectMany(i => i.Changes.Keys).Distinct(), Is.SubsetOf(new[] { "id_number", "name", "gender", "birth_date", "phone", "community_code" }));
        var created = page.Items.First(i => i.Type == ChangeTypes.Created);
        Assert.That(created.Changes["name"].New, Is.EqualTo("张三"));
        Assert.That(created.Changes["id_number"].New, Is.Not.EqualTo(Head.Id).And.Length.EqualTo(Head.Id.Length));
        Assert.That(page.Items.Where(i => i.Type == ChangeTypes.Moved).Select(i => i.Changes), Has.All.Empty, "the event is there, the address is not");
        var head = await ChangeServer.PoolIdAsync(_server, "person", "id_number", Head.Id);
        var reads = await _server.Services.GetRequiredService<AccessLog>().ReadAsync([("person", head)], 50, CancellationToken.None);
        Assert.That(reads.Where(r => r.Purpose == ChangeFeedEndpoints.Purpose).Select(r => (r.Viewer, r.Department)),
            Has.Some.EqualTo(("t-analyst-human-resources", (string?)"human-resources")), "the read is audited");
        using var notGranted = await analyst.GetAsync("/api/pool/disability/changes");
        Assert.That(notGranted.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task A_worker_sees_only_the_changes_of_their_community()
    {
        var ours = await PageAsync(await _server.ClientAsync(Roles.Worker), "?limit=100");
        var theirs = await PageAsync(await _server.ClientAsync(Roles.Worker, ChangeServer.OtherCommunity), "?limit=100");

        var stranger = await ChangeServer.PoolIdAsync(_server, "person", "id_number", Stranger.Id);
        Assert.That(ours.Items.Select(i => i.Id).Distinct().ToList(), Has.Count.EqualTo(2).And.No.EqualTo(stranger));
        Assert.That(theirs.Items.Select(i => i.Id).Distinct(), Is.EqualTo(new[] { stranger }));
    }

    [Test]
    public async Task A_records_history_lists_its_move_masked_as_granted_and_is_refused_outside_the_workers_community()
    {
        var wife = await ChangeServer.PoolIdAsync(_server, "person", "id_number", Wife.Id);
        var admin = await _server.ClientAsync(Roles.Admin);

        var entries = (await admin.GetFromJsonAsync<List<HistoryEntry>>($"/api/pool/person/{wife}/history"))!;

        Assert.That(entries[0].Change, Is.EqualTo(HistoryKinds.Created));
        Assert.That(entries[0].Changes["address"].New, Is.EqualTo(Wife.Address));
        Assert.That(entries.Where(e => e.Changes.ContainsKey("address")).Select(e => e.Changes["address"].New).Last(), Is.EqualTo("多福巷社区7号楼1单元701"));
        var analyst = await _server.ClientAsync(Roles.Analyst, "human-resources");
        var seen = (await analyst.GetFromJsonAsync<List<HistoryEntry>>($"/api/pool/person/{wife}/history"))!;
        Assert.That(seen.SelectMany(e => e.Changes.Keys), Has.No.Member("address"), "human resources is not granted the address");
        Assert.That(seen[0].Changes["id_number"].New, Is.Not.EqualTo(Wife.Id).And.Length.EqualTo(Wife.Id.Length), "masked for human resources");
        using var otherWorker = await (await _server.ClientAsync(Roles.Worker, ChangeServer.OtherCommunity)).GetAsync($"/api/pool/person/{wife}/history");
        Assert.That(otherWorker.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        using var unknown = await admin.GetAsync("/api/pool/person/987654321/history");
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task The_types_filter_and_its_validation()
    {
        var admin = await _server.ClientAsync(Roles.Admin);

        var moves = await PageAsync(admin, "?types=moved,died");

        Assert.That(moves.Items.Select(i => i.Type), Is.EqualTo(new[] { ChangeTypes.Moved, ChangeTypes.Moved }));
        foreach (var bad in new[] { "?types=moved,eloped", "?since=yesterday", "?limit=0" })
        {
            using var response = await admin.GetAsync("/api/pool/person/changes" + bad);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), bad);
        }

        using var unknown = await admin.GetAsync("/api/pool/no_such_entity/changes");
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }
}
