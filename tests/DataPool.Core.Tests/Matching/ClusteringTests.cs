using DataPool.Core.Matching;
using DataPool.Core.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Core.Tests.Matching;

/// <summary>
/// Clustering through the real sync on both stores: a row is scored against every record of a person, not only its
/// golden record; a row that links two persons merges them only when every pair of them clears the link threshold, and
/// otherwise (a chain whose ends are strangers, or only resemble each other) the further link becomes a review item.
/// </summary>
[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class ClusteringTests(string store)
{
    private const string Header = "编号,身份证号,姓名,性别,出生日期,社区,住址,电话\n";
    private const string OldAddress = "东城区和平里街道1号楼", NewAddress = "海淀区中关村9号", OldPhone = "13800138000", NewPhone = "13900139000";

    private static readonly string CivilDefinition = LabelledWorld.HukouDefinition
        .Replace("\"hukou\"", "\"civil\"", StringComparison.Ordinal).Replace("hukou.csv", "civil.csv", StringComparison.Ordinal)
        .Replace("\"priority\": 10", "\"priority\": 5", StringComparison.Ordinal);

    private static readonly string LaterLedgerDefinition = LabelledWorld.LedgerDefinition
        .Replace("\"ledger\"", "\"later\"", StringComparison.Ordinal).Replace("ledger.csv", "later.csv", StringComparison.Ordinal);

    private PoolTestHost _host = null!;

    [SetUp]
    public async Task SetUp()
    {
        _host = await PoolTestHost.CreateAsync(store);
        _host.WriteFile("hukou.source.json", LabelledWorld.HukouDefinition);
        _host.WriteFile("civil.source.json", CivilDefinition);
        _host.WriteFile("ledger.source.json", LabelledWorld.LedgerDefinition);
        _host.WriteFile("later.source.json", LaterLedgerDefinition);
    }

    [TearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    private async Task SyncAsync(string source)
    {
        var result = await _host.SyncAsync($"{source}.source.json");
        Assert.That(result.Succeeded, Is.True, result.Error);
    }

    private Task<long> PoolOfAsync(string source, string key) =>
        _host.CountAsync("SELECT pool_id FROM dp_source_records WHERE source_id = @s AND source_key = @k", ("@s", source), ("@k", key));

    private static string Row(string key, string? birth, string address, string phone, string id = "") =>
        $"{key},{id},张三,男,{birth},110101001001,{address},{phone}\n";

    private static MatchRecord Record(string? birth, string address, string phone) => MatchRecord.From(new Dictionary<string, string?>
    {
        ["name"] = "张三", ["gender"] = "1", ["birth_date"] = birth, ["community_code"] = "110101001001", ["address"] = address, ["phone"] = phone,
    }.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value!));

    [Test]
    public async Task A_row_that_matches_only_the_second_record_of_a_person_links_to_that_person()
    {
        // The department's record arrives first: the register's, seen later, is the person's recent phone, its longer address
        // the complete one and its community the priority's. The golden record is the register's; the row is the department's.
        var id = ReviewScenario.Id;
        _host.WriteFile("civil.csv", "身份证号,姓名,性别,出生日期,社区,住址,电话\n" + $"{id},张三,男,1957-03-02,110101001001,{NewAddress},{NewPhone}\n");
        _host.WriteFile("hukou.csv", "身份证号,姓名,性别,出生日期,社区,住址,电话\n" + $"{id},张三,男,1957-03-02,110101001009,{OldAddress},{OldPhone}\n");
        _host.WriteFile("ledger.csv", Header + Row("L1", null, NewAddress, NewPhone));
        await SyncAsync("civil");
        await SyncAsync("hukou");
        var person = await PoolOfAsync("hukou", id);
        Assert.That(await PoolOfAsync("civil", id), Is.EqualTo(person), "premise: both records are one person by the ID number");
        var golden = (await _host.QueryAsync("SELECT phone, address, community_code FROM pool_person WHERE pool_id = @p", ("@p", person))).Single();
        Assert.That((Convert.ToString(golden["phone"], System.Globalization.CultureInfo.InvariantCulture), golden["address"], golden["community_code"]),
            Is.EqualTo((OldPhone, (object?)OldAddress, (object?)"110101001009")), "premise: the golden record is the register's");

        await SyncAsync("ledger");

        Assert.That(await PoolOfAsync("ledger", "L1"), Is.EqualTo(person), "the row carries the department record's new address and phone");
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM pool_person WHERE _deleted = 0"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_chain_whose_ends_are_strangers_becomes_a_review_item_not_a_merge()
    {
        // A and C share only the name and community; B has A's birth date and C's address and phone.
        var (a, b, c) = (Record("1957-03-02", OldAddress, OldPhone), Record("1957-03-02", NewAddress, NewPhone), Record(null, NewAddress, NewPhone));
        Assert.That(MatchScorer.Total(a, c), Is.LessThan(MatchSettings.Default.Review), "premise: A and C are dissimilar");
        Assert.That(Math.Min(MatchScorer.Total(b, a), MatchScorer.Total(b, c)), Is.AtLeast(MatchSettings.Default.Link), "premise: B links each");
        _host.WriteFile("ledger.csv", Header + Row("A", "1957-03-02", OldAddress, OldPhone) + Row("C", null, NewAddress, NewPhone));
        _host.WriteFile("later.csv", Header + Row("B", "1957-03-02", NewAddress, NewPhone));
        await SyncAsync("ledger");
        var (personA, personC) = (await PoolOfAsync("ledger", "A"), await PoolOfAsync("ledger", "C"));
        Assert.That(personC, Is.Not.EqualTo(personA), "premise: A and C are two persons");

        await SyncAsync("later");

        Assert.That((await PoolOfAsync("ledger", "A"), await PoolOfAsync("ledger", "C")), Is.EqualTo((personA, personC)), "no silent merge");
        Assert.That(await PoolOfAsync("later", "B"), Is.AnyOf(personA, personC), "B joins one of them");
        var pending = await _host.QueryAsync("SELECT record_id, pool_id, candidate_pool FROM dp_match_reviews WHERE status = 'pending'");
        Assert.That(pending, Has.Count.EqualTo(1), "the other link waits for a reviewer");
        Assert.That(new[] { Convert.ToInt64(pending[0]["pool_id"]), Convert.ToInt64(pending[0]["candidate_pool"]) }, Is.EquivalentTo(new[] { personA, personC }));
    }

    [Test]
    public async Task A_row_that_links_two_persons_who_only_resemble_each_other_leaves_their_merge_to_a_reviewer_and_acceptance_leaves_one_person()
    {
        // A and C share the name, community and address (the review band); B links each. A merge is automatic only when
        // every pair of the cluster clears the link threshold: here the A–C pair does not, so a reviewer decides.
        var (a, b, c) = (Record("1957-03-02", OldAddress, OldPhone), Record("1957-03-02", OldAddress, NewPhone), Record(null, OldAddress, NewPhone));
        Assert.That(MatchScorer.Total(a, c), Is.InRange(MatchSettings.Default.Review, MatchSettings.Default.Link), "premise: A and C resemble each other, not enough to link");
        Assert.That(Math.Min(MatchScorer.Total(b, a), MatchScorer.Total(b, c)), Is.AtLeast(MatchSettings.Default.Link), "premise: B links each");
        _host.WriteFile("ledger.csv", Header + Row("A", "1957-03-02", OldAddress, OldPhone) + Row("C", null, OldAddress, NewPhone));
        _host.WriteFile("later.csv", Header + Row("B", "1957-03-02", OldAddress, NewPhone));
        await SyncAsync("ledger");
        var (personA, personC) = (await PoolOfAsync("ledger", "A"), await PoolOfAsync("ledger", "C"));
        Assert.That(personC, Is.Not.EqualTo(personA), "premise: A and C are two persons");

        await SyncAsync("later");

        Assert.That((await PoolOfAsync("ledger", "A"), await PoolOfAsync("ledger", "C")), Is.EqualTo((personA, personC)), "no merge without a reviewer");
        Assert.That(await PoolOfAsync("later", "B"), Is.AnyOf(personA, personC), "B joins one of them");
        var items = (await new MatchQueue(_host.Database).ListAsync(ReviewStatus.Pending, 1, 100)).Items;
        Assert.That(items, Is.Not.Empty, "the A–C link waits for a reviewer");

        var decider = _host.Services.GetRequiredService<MatchDecider>();
        foreach (var item in items)
        {
            await decider.AcceptAsync(item.Id, "admin");
        }

        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM pool_person WHERE _deleted = 0"), Is.EqualTo(1), "accepted, the duplicate is gone");
        var survivor = await PoolOfAsync("ledger", "A");
        Assert.That((await PoolOfAsync("ledger", "C"), await PoolOfAsync("later", "B")), Is.EqualTo((survivor, survivor)));

        await SyncAsync("later");
        await SyncAsync("ledger");
        Assert.That(await _host.CountAsync("SELECT COUNT(DISTINCT pool_id) FROM dp_source_records"), Is.EqualTo(1), "the decisions hold across re-syncs");
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM pool_person WHERE _deleted = 0"), Is.EqualTo(1));
    }

    /// <summary>A and C resemble each other (the review band); B, in a later source, links each and joins A, whose records now include one that links C.</summary>
    private async Task<(long A, long C)> TwoPendingItemsBetweenTheSamePersonsAsync()
    {
        _host.WriteFile("ledger.csv", Header + Row("A", "1957-03-02", OldAddress, OldPhone) + Row("C", null, OldAddress, NewPhone));
        _host.WriteFile("later.csv", Header + Row("B", "1957-03-02", OldAddress, NewPhone));
        await SyncAsync("ledger");
        await SyncAsync("later");
        var (personA, personC) = (await PoolOfAsync("ledger", "A"), await PoolOfAsync("ledger", "C"));
        var pending = await _host.QueryAsync("SELECT pool_id, candidate_pool FROM dp_match_reviews WHERE status = 'pending'");
        Assert.That(pending.Select(p => new[] { Convert.ToInt64(p["pool_id"]), Convert.ToInt64(p["candidate_pool"]) }.Order().ToArray()),
            Is.EqualTo(new[] { new[] { personA, personC }.Order().ToArray(), new[] { personA, personC }.Order().ToArray() }),
            "premise: two pending items, both between A and C (C's own, and B's further link)");
        return (personA, personC);
    }

    private async Task AssertNoneLeftPendingAsync(long person)
    {
        Assert.That((await new MatchQueue(_host.Database).ListAsync(ReviewStatus.Pending, 1, 100)).Items, Is.Empty, "nothing left to decide is not pending");
        Assert.That((await new MatchQueue(_host.Database).SummaryAsync()).Pending, Is.Zero);
        var closed = await _host.QueryAsync("SELECT decided_by, survivor FROM dp_match_reviews WHERE status = @s", ("@s", ReviewStatus.Joined));
        Assert.That(closed, Is.Not.Empty, "the answered item is closed with its reason, not deleted");
        Assert.That(closed.Select(c => (c["decided_by"], Convert.ToInt64(c["survivor"]))), Is.All.EqualTo(((object?)ClusterMerges.DecidedBy, person)));
    }

    [Test]
    public async Task Accepting_one_of_two_items_between_the_same_persons_closes_the_other_instead_of_leaving_it_pending_for_ever()
    {
        var (personA, _) = await TwoPendingItemsBetweenTheSamePersonsAsync();
        var first = (await new MatchQueue(_host.Database).ListAsync(ReviewStatus.Pending, 1, 100)).Items[0];

        var outcome = await _host.Services.GetRequiredService<MatchDecider>().AcceptAsync(first.Id, "admin");

        Assert.That(outcome.Problem, Is.Null);
        Assert.That(outcome.Item!.Status, Is.EqualTo(ReviewStatus.Accepted), "the decided item keeps the reviewer's decision");
        await AssertNoneLeftPendingAsync(personA);
    }

    [Test]
    public async Task A_pending_item_between_persons_a_later_cluster_merge_joined_is_closed_instead_of_left_pending_for_ever()
    {
        var (personA, personC) = await TwoPendingItemsBetweenTheSamePersonsAsync();

        // B2 links A and C as B did; now A holds B's record, which links C, so every pair of the cluster clears the threshold.
        _host.WriteFile("later.csv", Header + Row("B", "1957-03-02", OldAddress, NewPhone) + Row("B2", "1957-03-02", OldAddress, NewPhone));
        await SyncAsync("later");

        var survivor = Math.Min(personA, personC);
        Assert.That((await PoolOfAsync("ledger", "A"), await PoolOfAsync("ledger", "C")), Is.EqualTo((survivor, survivor)), "premise: the sync merged A and C");
        await AssertNoneLeftPendingAsync(survivor);

        // A split of the merge separates A and C again: their question is open once more.
        var merge = await _host.CountAsync("SELECT id FROM dp_match_reviews WHERE status = 'accepted' AND decided_by = 'matcher'");
        await _host.Services.GetRequiredService<MatchDecider>().SplitAsync(merge, "admin");
        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM dp_match_reviews WHERE status = 'pending'"), Is.EqualTo(2), "split, the questions are open again");
    }
}
