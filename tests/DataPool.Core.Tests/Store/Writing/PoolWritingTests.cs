using System.Data.Common;
using DataPool.Core.Matching;
using DataPool.Core.Store;
using DataPool.Core.Store.Writing;
using DataPool.Core.Tests.Matching;
using DataPool.Core.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Core.Tests.Store.Writing;

/// <summary>
/// The one unit of work that writes the pool, seen through an admin's decision on the review queue (a sync's runs are
/// covered by the Sync tests): its run follows the same steps as a sync's and reads succeeded only once committed.
/// </summary>
[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class PoolWritingTests(string store)
{
    private PoolTestHost _host = null!;
    private FailingStep _failing = null!;

    [SetUp]
    public async Task SetUp()
    {
        _failing = new FailingStep();
        _host = await PoolTestHost.CreateAsync(store, configure: services => services.AddSingleton<IRunCompletedStep>(_failing));
        ReviewScenario.Write(_host);
        foreach (var source in new[] { "hukou", "ledger" })
        {
            var result = await _host.SyncAsync($"{source}.source.json");
            Assert.That(result.Succeeded, Is.True, result.Error);
        }
    }

    [TearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    private Task<long> PoolOfAsync(string source) =>
        _host.CountAsync("SELECT pool_id FROM dp_source_records WHERE source_id = @s", ("@s", source));

    private Task<long> OpenMembershipsAsync(long person) =>
        _host.CountAsync("SELECT COUNT(*) FROM dp_household_members WHERE person_id = @p AND to_at IS NULL", ("@p", person));

    private Task<List<Dictionary<string, object?>>> DecisionRunsAsync() =>
        _host.QueryAsync("SELECT id, status, trigger, error, finished_at FROM dp_runs WHERE source_id = @s ORDER BY id", ("@s", MatchDecider.ReviewQueue));

    private async Task<ReviewItem> PendingItemAsync() =>
        (await _host.Services.GetRequiredService<MatchQueue>().ListAsync(ReviewStatus.Pending, 1, 10)).Items.Single();

    [Test]
    public async Task A_match_decision_runs_the_after_run_steps_so_the_merged_person_leaves_its_household()
    {
        var provisional = await PoolOfAsync("ledger");
        Assert.That(await OpenMembershipsAsync(provisional), Is.EqualTo(1), "the ledger's provisional person was linked to its flat by the sync");

        var outcome = await _host.Services.GetRequiredService<MatchDecider>().AcceptAsync((await PendingItemAsync()).Id, "admin");

        Assert.That(outcome.Problem, Is.Null);
        Assert.That(await OpenMembershipsAsync(provisional), Is.Zero, "merged away, the person is no household's member any more: the household step ran");
        Assert.That(_failing.Runs, Has.Count.EqualTo(3), "the after-run steps followed both syncs and the decision");
        var run = (await DecisionRunsAsync()).Single();
        Assert.That((run["status"], run["trigger"], run["error"]), Is.EqualTo(("succeeded", $"accept:{outcome.Item!.Id} by admin", (object?)null)));
        Assert.That(run["finished_at"], Is.Not.Null);
        Assert.That(_failing.Runs[^1], Is.EqualTo(Convert.ToInt64(run["id"])), "the step saw the decision's own run");
    }

    [Test]
    public async Task A_failed_decision_leaves_no_run_marked_succeeded_and_changes_nothing()
    {
        var (hukou, provisional) = (await PoolOfAsync("hukou"), await PoolOfAsync("ledger"));
        var item = await PendingItemAsync();
        _failing.Armed = true;

        Assert.That(async () => await _host.Services.GetRequiredService<MatchDecider>().AcceptAsync(item.Id, "admin"),
            Throws.InvalidOperationException.With.Message.Contains(FailingStep.Message));

        var run = (await DecisionRunsAsync()).Single();
        Assert.That(run["status"], Is.EqualTo("failed"));
        Assert.That((string?)run["error"], Does.Contain(FailingStep.Message));
        Assert.That(await PoolOfAsync("ledger"), Is.EqualTo(provisional), "the merge was rolled back");
        Assert.That(await _host.CountAsync("SELECT _deleted FROM pool_person WHERE pool_id = @p", ("@p", provisional)), Is.Zero);
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM dp_match_redirects"), Is.Zero);
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM dp_history WHERE run_id = @r", ("@r", run["id"])), Is.Zero);
        Assert.That((await PendingItemAsync()).Status, Is.EqualTo(ReviewStatus.Pending), "still waiting for a decision");
        Assert.That(hukou, Is.Not.EqualTo(provisional));

        _failing.Armed = false;
        var retried = await _host.Services.GetRequiredService<MatchDecider>().AcceptAsync(item.Id, "admin");
        Assert.That(retried.Item!.Status, Is.EqualTo(ReviewStatus.Accepted), "the item can be decided again once the failure is gone");
    }

    [Test]
    public async Task A_failed_sync_step_fails_the_run_and_keeps_none_of_its_rows()
    {
        _host.WriteFile("hukou.csv", $"身份证号,姓名,性别,出生日期,社区,住址,电话\n{ReviewScenario.Id},张三丰,男,1957-03-02,110101001001,东城区1号,13800138000\n");
        _failing.Armed = true;

        Assert.That(async () => await _host.SyncAsync("hukou.source.json"), Throws.InvalidOperationException);

        var runs = await _host.QueryAsync("SELECT status FROM dp_runs WHERE source_id = 'hukou' ORDER BY id");
        Assert.That(runs.Select(r => r["status"]), Is.EqualTo(new[] { "succeeded", "failed" }));
        Assert.That((await _host.QueryAsync("SELECT name FROM pool_person WHERE id_number = @id", ("@id", ReviewScenario.Id))).Single()["name"], Is.EqualTo("张三"));
    }

    /// <summary>An after-run step that notes every run it follows and, when armed, fails it.</summary>
    private sealed class FailingStep : IRunCompletedStep
    {
        public const string Message = "the after-run step failed on purpose";

        public bool Armed { get; set; }
        public List<long> Runs { get; } = [];

        public Task RunCompletedAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, long runId, CancellationToken cancellationToken)
        {
            Runs.Add(runId);
            return Armed ? throw new InvalidOperationException(Message) : Task.CompletedTask;
        }
    }
}
