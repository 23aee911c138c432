using DataPool.Core.Tests.Support;

namespace DataPool.Core.Tests.Matching.Independent;

/// <summary>
/// The independent labelled world (no ID numbers anywhere) synced through the real pipeline: pairwise precision,
/// recall and F1 of the pool's persons against the truth, overall and for each kind of corruption.
/// </summary>
public sealed class IndependentWorldTests
{
    private PoolTestHost _host = null!;
    private IndependentWorld _world = null!;
    private Dictionary<string, long> _clusters = null!;
    private Dictionary<string, int> _truth = null!;

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _world = new IndependentWorld(2000, seed: 16);
        _host = await PoolTestHost.CreateAsync();
        foreach (var source in new[] { IndependentWorld.Register, IndependentWorld.Ledger })
        {
            _host.WriteFile($"{source}.csv", _world.Csv(source));
            _host.WriteFile($"{source}.source.json", IndependentWorld.Definition(source, mapIdNumber: false));
            var result = await _host.SyncAsync($"{source}.source.json");
            Assert.That(result.Succeeded, Is.True, result.Error);
        }

        _clusters = (await _host.QueryAsync("SELECT source_id, source_key, pool_id FROM dp_source_records WHERE deleted = 0"))
            .ToDictionary(r => $"{r["source_id"]}/{r["source_key"]}", r => Convert.ToInt64(r["pool_id"]));
        _truth = _world.Rows.ToDictionary(r => $"{r.Source}/{r.Key}", r => r.Entity);
    }

    [OneTimeTearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    [Test]
    public void The_world_has_every_kind_of_corruption_and_no_ID_numbers()
    {
        foreach (var kind in Corruptor.Kinds)
        {
            Assert.That(_world.Rows.Count(r => r.Kinds.Contains(kind)), Is.GreaterThan(50), kind);
        }

        Assert.That(_world.Csv(IndependentWorld.Ledger).Split('\n')[0], Does.Not.Contain("身份证"));
        Assert.That(_world.People.Count(p => p.Script == Script.Minority), Is.GreaterThan(50));
        Assert.That(_world.People.Count(p => p.Script == Script.Pinyin), Is.GreaterThan(50));
        Assert.That(_world.People.Count(p => p.NameParts[0].Length == 2 && p.Script == Script.Han), Is.GreaterThan(50), "compound surnames");
    }

    [Test]
    public async Task Pool_persons_match_the_truth()
    {
        var overall = PairMetrics.Overall(_clusters, _truth);
        TestContext.Out.WriteLine($"overall: {overall}");
        foreach (var kind in Corruptor.Kinds)
        {
            var rows = _world.Rows.Where(r => r.Source == IndependentWorld.Ledger && r.Kinds.Contains(kind)).Select(r => $"{r.Source}/{r.Key}");
            TestContext.Out.WriteLine($"{kind,-24} {PairMetrics.Involving(rows, _clusters, _truth)}");
        }

        TestContext.Out.WriteLine($"quarantined: {_truth.Keys.Count(k => !_clusters.ContainsKey(k))} of {_truth.Count}");
        foreach (var reason in (await _host.QueryAsync("SELECT reasons, COUNT(*) AS n FROM dp_quarantine GROUP BY reasons ORDER BY n DESC")).Take(5))
        {
            TestContext.Out.WriteLine($"  {reason["n"]} × {reason["reasons"]}");
        }
        Assert.That(overall.Precision, Is.GreaterThanOrEqualTo(0.99));
    }
}
