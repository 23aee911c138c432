using DataPool.Core.Matching;
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
    public async Task Without_ID_numbers_pool_persons_match_the_truth_with_F1_of_at_least_0_95_and_precision_of_at_least_0_99()
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
        Assert.That(overall.Precision, Is.GreaterThanOrEqualTo(0.99), "precision without ID numbers");
        Assert.That(overall.F1, Is.GreaterThanOrEqualTo(0.95), "F1 without ID numbers");
    }

    [Test]
    public async Task The_evaluation_agrees_with_the_truth_and_reports_what_each_blocking_rule_costs_and_finds()
    {
        _host.WriteFile("truth.csv", _world.TruthCsv());
        var truth = MatchEvaluationStore.ReadTruth(Path.Combine(_host.Root, "truth.csv"));
        var records = await MatchEvaluationStore.LoadAsync(_host.Database, truth);
        var report = MatchEvaluation.Evaluate(records, MatchSettings.Default);

        var expected = PairMetrics.Overall(_clusters, _truth);
        Assert.That((report.Pool.TruePositive, report.Pool.Predicted, report.Pool.Actual), Is.EqualTo((expected.TruePositive, expected.Predicted, expected.Actual)),
            "the evaluation counts the pool's pairs as the test's own metric does");
        foreach (var rule in report.Blocking.Append(report.AllRules))
        {
            TestContext.Out.WriteLine($"{rule.Rule,-24} pairs {rule.Pairs,8} recall {rule.Recall:F4}");
        }

        foreach (var row in report.ByThreshold)
        {
            TestContext.Out.WriteLine($"threshold {row.Threshold,4}: P {row.Counts.Precision:F4} R {row.Counts.Recall:F4} F1 {row.Counts.F1:F4}");
        }

        Assert.That(report.Blocking.Select(r => r.Rule), Is.EqualTo(BlockingRules.Default.Rules));
        Assert.That(report.AllRules.Recall, Is.GreaterThanOrEqualTo(0.98), "blocking finds nearly every true pair");
        Assert.That(report.Blocking.All(r => r.Pairs <= report.AllRules.Pairs && r.Recall <= report.AllRules.Recall), Is.True, "the OR of the rules finds at least what each does");
        Assert.That(report.ByThreshold.First().Counts.Recall, Is.GreaterThan(report.ByThreshold.Last().Counts.Recall), "a lower threshold links more");
        Assert.That(report.ByThreshold.First().Counts.Precision, Is.LessThan(report.ByThreshold.Last().Counts.Precision), "and links wrongly more");

        var missed = report.Audit.Where(a => a.Kind == "missed").ToList();
        Assert.That(missed, Has.Count.GreaterThan(0).And.Count.LessThanOrEqualTo((int)(expected.Actual - expected.TruePositive)));
        Assert.That(missed.All(a => a.Left.Entity == a.Right.Entity && a.Score.Fields.Count >= 7), Is.True);
        var file = Path.Combine(_host.Root, "pairs.csv");
        MatchEvaluationStore.WriteAudit(file, report.Audit);
        var lines = File.ReadAllLines(file);
        Assert.That(lines, Has.Length.EqualTo(report.Audit.Count + 1));
        Assert.That(lines[0], Does.StartWith("kind,left_source,left_key").And.Contain("name_outcome,name_weight"));
    }
}
