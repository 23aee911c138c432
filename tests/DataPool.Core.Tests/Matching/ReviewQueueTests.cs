using DataPool.Core.Matching;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using DataPool.Core.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Core.Tests.Matching;

/// <summary>The review queue against a real pool: an uncertain row, accepted (merge), split, rejected; decisions hold across re-syncs.</summary>
[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class ReviewQueueTests(string store)
{
    private PoolTestHost _host = null!;
    private MatchQueue _queue = null!;
    private MatchDecider _decider = null!;

    [SetUp]
    public async Task SetUp()
    {
        _host = await PoolTestHost.CreateAsync(store);
        _queue = new MatchQueue(_host.Database);
        _decider = _host.Services.GetRequiredService<MatchDecider>();
        ReviewScenario.Write(_host);
        await SyncAsync("hukou");
        await SyncAsync("ledger");
    }

    [TearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    private async Task SyncAsync(string source)
    {
        var result = await _host.SyncAsync($"{source}.source.json");
        Assert.That(result.Succeeded, Is.True, result.Error);
    }

    private Task<long> PoolOfAsync(string source) =>
        _host.CountAsync("SELECT pool_id FROM dp_source_records WHERE source_id = @s", ("@s", source));

    private Task<long> DecisionCountAsync(string decision) =>
        _host.CountAsync("SELECT COUNT(*) FROM dp_match_links WHERE decision = @d", ("@d", decision));

    [Test]
    public async Task An_uncertain_row_gets_a_provisional_person_and_a_review_item_with_the_score_per_field()
    {
        var (hukou, ledger) = (await PoolOfAsync("hukou"), await PoolOfAsync("ledger"));
        Assert.That(ledger, Is.Not.EqualTo(hukou), "not linked: the score is below the link threshold");

        var page = await _queue.ListAsync(ReviewStatus.Pending, 1, 10);

        var item = page.Items.Single();
        Assert.That((item.Left.PoolId, item.Right.PoolId, item.Left.SourceId), Is.EqualTo((ledger, hukou, "ledger")));
        Assert.That(item.Score, Is.InRange(MatchSettings.Default.Review, MatchSettings.Default.Link));
        Assert.That(item.Score, Is.EqualTo(item.Fields.Sum(f => f.Weight)).Within(0.05), "the total is the sum of the field weights");
        var outcomes = item.Fields.ToDictionary(f => f.Field, f => f.Outcome);
        Assert.That(outcomes["name"], Is.EqualTo("equal"), "張三 folds to 张三");
        Assert.That((outcomes["birth_date"], outcomes["gender"], outcomes["community_code"], outcomes["id_number"]), Is.EqualTo(("equal", "differ", "differ", "missing")));
        Assert.That(item.Right.Values["name"], Is.EqualTo("张三"));
        Assert.That(await DecisionCountAsync(MatchDecisions.Review), Is.EqualTo(1));
    }

    [Test]
    public async Task Accept_merges_into_the_older_id_redirects_the_other_and_explain_shows_the_conflicts()
    {
        var (hukou, provisional) = (await PoolOfAsync("hukou"), await PoolOfAsync("ledger"));
        var item = (await _queue.ListAsync(ReviewStatus.Pending, 1, 10)).Items.Single();

        var outcome = await _decider.AcceptAsync(item.Id, "admin");

        Assert.That(outcome.Problem, Is.Null);
        Assert.That((outcome.Item!.Status, outcome.Item.Survivor, outcome.Item.Merged), Is.EqualTo((ReviewStatus.Accepted, hukou, provisional)));
        Assert.That(await PoolOfAsync("ledger"), Is.EqualTo(hukou));
        Assert.That(await _host.CountAsync("SELECT _deleted FROM pool_person WHERE pool_id = @p", ("@p", provisional)), Is.EqualTo(1));
        var explanation = await _host.Services.GetRequiredService<PoolExplainer>().ExplainAsync("person", provisional);
        Assert.That((explanation!.PoolId, explanation.RedirectedFrom), Is.EqualTo((hukou, (long?)provisional)), "the merged id answers with the survivor");
        var gender = explanation.Conflicts!.Single(c => c.Field == "gender");
        Assert.That(gender.Chosen, Is.EqualTo("1"), "the household register's priority wins");
        Assert.That(gender.Values.Select(v => (v.Source, v.Value)), Is.EquivalentTo(new[] { ("hukou", "1"), ("ledger", "2") }));
        Assert.That(explanation.Conflicts!.Single(c => c.Field == "name").Chosen, Is.EqualTo("张三"), "each source's spelling is kept; the register's wins");
        Assert.That(await _decider.AcceptAsync(item.Id, "admin"), Has.Property(nameof(ReviewOutcome.Problem)).Not.Null, "accepted once only");
    }

    [Test]
    public async Task A_merge_holds_across_resyncs_and_a_split_gives_the_record_back_its_former_id_for_good()
    {
        var (hukou, provisional) = (await PoolOfAsync("hukou"), await PoolOfAsync("ledger"));
        var item = (await _queue.ListAsync(ReviewStatus.Pending, 1, 10)).Items.Single();
        await _decider.AcceptAsync(item.Id, "admin");

        ReviewScenario.Write(_host, ledgerPhone: "13700137000");
        await SyncAsync("ledger");
        Assert.That(await PoolOfAsync("ledger"), Is.EqualTo(hukou), "the changed row stays merged");
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM dp_match_reviews"), Is.EqualTo(1), "and is not asked about again");

        var split = await _decider.SplitAsync(item.Id, "admin");

        Assert.That(split.Item!.Status, Is.EqualTo(ReviewStatus.Split));
        Assert.That(await PoolOfAsync("ledger"), Is.EqualTo(provisional), "back to its former id");
        Assert.That(await _host.CountAsync("SELECT _deleted FROM pool_person WHERE pool_id = @p", ("@p", provisional)), Is.Zero);
        Assert.That(await _host.CountAsync("SELECT phone FROM pool_person WHERE pool_id = @p", ("@p", hukou)), Is.EqualTo(13800138000L), "the survivor forgets the split-off phone");
        var explanation = await _host.Services.GetRequiredService<PoolExplainer>().ExplainAsync("person", provisional);
        Assert.That((explanation!.PoolId, explanation.RedirectedFrom), Is.EqualTo((provisional, (long?)null)));

        ReviewScenario.Write(_host, ledgerPhone: "13600136000");
        await SyncAsync("ledger");
        await SyncAsync("hukou");
        Assert.That(await PoolOfAsync("ledger"), Is.EqualTo(provisional), "the split holds across re-syncs");
        Assert.That(await DecisionCountAsync(MatchDecisions.Manual), Is.EqualTo(1));
    }

    [Test]
    public async Task A_rejected_pair_stays_apart_across_resyncs_and_is_never_asked_again()
    {
        var (hukou, provisional) = (await PoolOfAsync("hukou"), await PoolOfAsync("ledger"));
        var item = (await _queue.ListAsync(ReviewStatus.Pending, 1, 10)).Items.Single();

        Assert.That((await _decider.RejectAsync(item.Id, "admin")).Item!.Status, Is.EqualTo(ReviewStatus.Rejected));
        ReviewScenario.Write(_host, ledgerPhone: "13700137000");
        await SyncAsync("ledger");

        Assert.That((await PoolOfAsync("hukou"), await PoolOfAsync("ledger")), Is.EqualTo((hukou, provisional)));
        Assert.That((await _queue.ListAsync(ReviewStatus.Pending, 1, 10)).Items, Is.Empty);
        Assert.That(await DecisionCountAsync(MatchDecisions.Manual), Is.EqualTo(1));
        Assert.That((await _decider.SplitAsync(item.Id, "admin")).Problem, Is.Not.Null, "only an accepted merge can be split");
        Assert.That((await _decider.AcceptAsync(424242, "admin")).NotFound, Is.True);
    }
}
