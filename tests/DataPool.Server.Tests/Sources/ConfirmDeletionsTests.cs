using System.Net;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using DataPool.Server.Identity;
using static DataPool.Server.Tests.Sources.ApiSources;
using static DataPool.Server.Tests.TestSource;

namespace DataPool.Server.Tests.Sources;

/// <summary>
/// Issue 13: a sync that would delete most of a full stream (a cut-off export) fails and changes nothing; an admin
/// confirms a real mass deletion with <c>POST /api/sources/{id}/sync?confirmDeletions=true</c>, through the Hangfire job.
/// </summary>
[TestFixture(StoreOptions.Sqlite)]
[TestFixture(StoreOptions.Postgres)]
public sealed class ConfirmDeletionsTests(string store) : AdminServerTests(store, "--DataPool:Scheduling:Workers=1")
{

    private async Task<Core.Sync.RunSummary> SyncAsync(string query, long after)
    {
        using var response = await Admin.PostAsync($"/api/sources/{Id}/sync{query}", null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        return await WaitForRunAsync(Admin, Id, after);
    }

    [Test]
    public async Task A_cut_off_export_fails_through_the_api_until_anAdmin_confirms_the_deletions()
    {
        WriteCsv(Root(Server), Good);
        await AddAsync(Admin, Definition());
        var first = await SyncAsync("", 0);
        Assert.That(first.Status, Is.EqualTo("succeeded"), first.Error);

        WriteCsv(Root(Server), [Good[0]]);
        var refused = await SyncAsync("", first.Id);

        Assert.That(refused.Status, Is.EqualTo("failed"));
        Assert.That(refused.Error, Does.Contain("would delete 3 of its 4 live records").And.Contain("confirmDeletions=true"));
        Assert.That(refused.DeletionsConfirmed, Is.False);
        Assert.That(await CountAsync(Server, "dp_source_records WHERE deleted = 1"), Is.Zero, "the refused run changed nothing");

        var confirmed = await SyncAsync("?confirmDeletions=true", refused.Id);

        Assert.That((confirmed.Status, confirmed.Counts.Deleted, confirmed.DeletionsConfirmed), Is.EqualTo(("succeeded", 3L, true)), confirmed.Error);
        Assert.That(await CountAsync(Server, "pool_person WHERE _deleted = 0"), Is.EqualTo(1));
    }

    [Test]
    public async Task Only_anAdmin_may_confirm_deletions()
    {
        WriteCsv(Root(Server), Good);
        await AddAsync(Admin, Definition());
        var analyst = await Server.ClientAsync(Roles.Analyst);

        using var response = await analyst.PostAsync($"/api/sources/{Id}/sync?confirmDeletions=true", null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
