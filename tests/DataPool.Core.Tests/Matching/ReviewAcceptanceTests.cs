using DataPool.Core.History;
using DataPool.Core.Matching;
using DataPool.Core.Tests.Matching.Independent;
using DataPool.Core.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Core.Tests.Matching;

/// <summary>
/// Every review item of the independent labelled world (no ID numbers) accepted through the decider (each decision a run of the pool-writing
/// unit of work), on both stores: the rows join the chosen persons, which keep their ids; the provisional persons
/// go, their history shows under the survivor; and the pool stays the same across shuffled re-syncs.
/// </summary>
[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class ReviewAcceptanceTests(string store)
{
    private PoolTestHost _host = null!;

    [SetUp]
    public async Task SetUp() => _host = await PoolTestHost.CreateAsync(store);

    [TearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    private async Task SyncAsync(string source)
    {
        var result = await _host.SyncAsync($"{source}.source.json");
        Assert.That(result.Succeeded, Is.True, result.Error);
        Assert.That(result.Counts.New, Is.Zero, $"{source}: nobody new");
    }

    private async Task<Dictionary<string, long>> PoolAsync() =>
        (await _host.QueryAsync("SELECT source_id, source_key, pool_id FROM dp_source_records WHERE deleted = 0"))
        .ToDictionary(r => $"{r["source_id"]}/{r["source_key"]}", r => Convert.ToInt64(r["pool_id"]));

    private Task<long> LivePersonsAsync() => _host.CountAsync("SELECT COUNT(*) FROM pool_person WHERE _deleted = 0");

    [Test]
    public async Task Accepted_review_rows_leave_no_duplicate_person_and_the_pool_holds_across_shuffled_resyncs()
    {
        var world = new IndependentWorld(600, seed: 16);
        string[] sources = [IndependentWorld.Register, IndependentWorld.Ledger];
        foreach (var source in sources)
        {
            _host.WriteFile($"{source}.csv", world.Csv(source));
            _host.WriteFile($"{source}.source.json", IndependentWorld.Definition(source, mapIdNumber: false));
            var result = await _host.SyncAsync($"{source}.source.json");
            Assert.That(result.Succeeded, Is.True, result.Error);
        }

        var queue = new MatchQueue(_host.Database);
        var items = (await queue.ListAsync(ReviewStatus.Pending, 1, 1000)).Items;
        Assert.That(items, Is.Not.Empty, "premise: the world has rows in the review band");
        var registered = (await PoolAsync()).Where(p => p.Key.StartsWith(IndependentWorld.Register + "/", StringComparison.Ordinal)).Select(p => p.Value).ToHashSet();
        var before = await LivePersonsAsync();
        var decider = _host.Services.GetRequiredService<MatchDecider>();

        var merges = 0;
        var accepted = new List<ReviewItem>();
        foreach (var item in items)
        {
            var outcome = await decider.AcceptAsync(item.Id, "admin");
            if (outcome.Item!.Status == ReviewStatus.Joined)
            {
                // An earlier acceptance joined its two persons already: closed, nothing left to accept.
                Assert.That(outcome.Item.DecidedBy, Is.EqualTo(ClusterMerges.DecidedBy));
                continue;
            }

            Assert.That(outcome.Problem, Is.Null);
            accepted.Add(item);
            merges += outcome.Item.Survivor != outcome.Item.Merged ? 1 : 0;
        }

        var pool = await PoolAsync();
        var provisional = items.Select(i => i.Left.PoolId).Where(p => !registered.Contains(p)).Distinct().ToList();
        foreach (var item in accepted.Where(i => registered.Contains(i.Right.PoolId)))
        {
            var row = await _host.CountAsync("SELECT pool_id FROM dp_source_records WHERE id = @id", ("@id", item.RecordId));
            Assert.That(row, Is.EqualTo(item.Right.PoolId), $"review item {item.Id}: the row joined the chosen person, which kept its id");
        }

        Assert.That(await LivePersonsAsync(), Is.EqualTo(before - merges), "every provisional person is gone");
        foreach (var id in provisional)
        {
            Assert.That(await _host.CountAsync("SELECT _deleted FROM pool_person WHERE pool_id = @p", ("@p", id)), Is.EqualTo(1));
        }

        var merged = accepted.First(i => registered.Contains(i.Right.PoolId) && !registered.Contains(i.Left.PoolId));
        var history = await _host.Services.GetRequiredService<PoolHistory>().HistoryAsync("person", merged.Right.PoolId, CancellationToken.None);
        Assert.That(history.Select(h => h.PoolId), Does.Contain(merged.Left.PoolId), "the provisional person's history moved with it");
        Assert.That(await _host.Services.GetRequiredService<PoolHistory>().AsOfAsync("person", merged.Right.PoolId, DateTimeOffset.UtcNow, CancellationToken.None),
            Is.Not.Null, "the survivor's own values replay");

        for (var round = 1; round <= 2; round++)
        {
            var shuffle = new Random(round);
            foreach (var source in sources.Reverse())
            {
                var lines = world.Csv(source).Split('\n', StringSplitOptions.RemoveEmptyEntries);
                _host.WriteFile($"{source}.csv", string.Join('\n', lines.Take(1).Concat(lines.Skip(1).OrderBy(_ => shuffle.Next()))) + "\n");
                await SyncAsync(source);
            }

            Assert.That(await PoolAsync(), Is.EquivalentTo(pool), $"round {round}: every source record keeps its person");
            Assert.That(await LivePersonsAsync(), Is.EqualTo(before - merges), $"round {round}: no duplicate comes back");
            Assert.That((await queue.ListAsync(ReviewStatus.Pending, 1, 10)).Total, Is.Zero, $"round {round}: nothing is asked again");
        }
    }
}
