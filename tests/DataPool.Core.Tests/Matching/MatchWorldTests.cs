using DataPool.Core.Tests.Support;

namespace DataPool.Core.Tests.Matching;

/// <summary>
/// The labelled world synced through the real pipeline on both stores: precision and recall of the
/// ledger's links against the truth, with and without ID numbers; ids stable across shuffled re-syncs.
/// Each store runs it twice: the register first, and the ledger first — then the register's valid ID
/// numbers must find the persons its rows without one created (the open blocks).
/// </summary>
[TestFixtureSource(nameof(Orders))]
public sealed class MatchWorldTests(string store, string order)
{
    public static IEnumerable<object[]> Orders() =>
        PoolTestHost.Stores.SelectMany(s => new[] { new object[] { s, "register first" }, [s, "ledger first"] });

    private PoolTestHost _host = null!;
    private LabelledWorld _world = null!;

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _world = new LabelledWorld(700, seed: 5);
        _host = await PoolTestHost.CreateAsync(store);
        _host.WriteFile("hukou.csv", _world.HukouCsv());
        _host.WriteFile("ledger.csv", _world.LedgerCsv());
        _host.WriteFile("hukou.source.json", LabelledWorld.HukouDefinition);
        _host.WriteFile("ledger.source.json", LabelledWorld.LedgerDefinition);
        foreach (var source in order == "register first" ? new[] { "hukou", "ledger" } : ["ledger", "hukou"])
        {
            var result = await _host.SyncAsync($"{source}.source.json");
            Assert.That(result.Succeeded, Is.True, result.Error);
        }
    }

    [OneTimeTearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    private async Task<Dictionary<string, long>> LinksAsync(string source) =>
        (await _host.QueryAsync("SELECT source_key, pool_id FROM dp_source_records WHERE source_id = @s AND deleted = 0", ("@s", source)))
        .ToDictionary(r => (string)r["source_key"]!, r => Convert.ToInt64(r["pool_id"]));

    private async Task<(double Precision, double Recall, double F1)> ScoreAsync(Func<LabelledRow, bool> which)
    {
        var hukou = await LinksAsync("hukou");
        var ledger = await LinksAsync("ledger");
        var owner = hukou.ToDictionary(h => h.Value, h => h.Key);
        int truePositive = 0, falsePositive = 0, falseNegative = 0;
        foreach (var row in _world.Ledger.Where(which))
        {
            Assert.That(ledger.ContainsKey(row.RecordNo), $"{row.RecordNo} ({row.Defect}) was accepted");
            var pool = ledger[row.RecordNo];
            if (pool == hukou[row.Person.Id])
            {
                truePositive++;
                continue;
            }

            falseNegative++;
            if (owner.ContainsKey(pool))
            {
                falsePositive++; // linked to somebody else
            }
        }

        var precision = truePositive / (double)Math.Max(1, truePositive + falsePositive);
        var recall = truePositive / (double)Math.Max(1, truePositive + falseNegative);
        return (precision, recall, 2 * precision * recall / Math.Max(1e-9, precision + recall));
    }

    [Test]
    public async Task Rows_with_an_ID_number_in_any_form_link_with_F1_of_at_least_0_995()
    {
        var (precision, recall, f1) = await ScoreAsync(r => r.HasId);
        TestContext.Out.WriteLine($"with IDs: precision {precision:F4} recall {recall:F4} F1 {f1:F4}");
        Assert.That(f1, Is.GreaterThanOrEqualTo(0.995));
    }

    [Test]
    public async Task Rows_without_an_ID_number_link_on_the_other_fields_with_F1_of_at_least_0_95()
    {
        var (precision, recall, f1) = await ScoreAsync(r => !r.HasId);
        TestContext.Out.WriteLine($"without IDs: precision {precision:F4} recall {recall:F4} F1 {f1:F4}");
        Assert.That(_world.Ledger.Count(r => !r.HasId), Is.GreaterThan(100), "the world has rows without IDs to judge");
        Assert.That(f1, Is.GreaterThanOrEqualTo(0.95));
    }

    [Test]
    public async Task Twins_and_namesakes_each_keep_a_person_of_their_own()
    {
        var hukou = await LinksAsync("hukou");
        Assert.That(hukou.Values.Distinct().Count(), Is.EqualTo(_world.People.Count), "every registered person is a pool person of their own");
        var sharing = _world.People.GroupBy(p => (p.Birth, p.Address)).Where(g => g.Count() > 1).ToList();
        var namesakes = _world.People.GroupBy(p => (p.Birth, p.Name)).Where(g => g.Select(p => p.Community).Distinct().Count() > 1).ToList();
        Assert.That(sharing, Is.Not.Empty, "the world has twins");
        Assert.That(namesakes, Is.Not.Empty, "the world has namesakes");
        var ledger = await LinksAsync("ledger");
        foreach (var row in _world.Ledger.Where(r => sharing.Any(g => g.Contains(r.Person)) || namesakes.Any(g => g.Contains(r.Person))))
        {
            Assert.That(ledger[row.RecordNo], Is.Not.AnyOf(hukou.Where(h => h.Key != row.Person.Id).Select(h => h.Value).ToArray()),
                $"{row.RecordNo} ({row.Defect}) of {row.Person.Name} is not linked to their twin or namesake");
        }
    }

    [Test]
    public async Task Ids_stay_put_across_three_shuffled_resyncs_with_changed_rows()
    {
        var before = (await LinksAsync("hukou")).Concat(await LinksAsync("ledger")).ToDictionary(l => l.Key, l => l.Value);
        var persons = await _host.CountAsync("SELECT COUNT(*) FROM pool_person WHERE _deleted = 0");
        for (var round = 1; round <= 3; round++)
        {
            var shuffle = new Random(round);
            _host.WriteFile("hukou.csv", _world.HukouCsv(shuffle));
            _host.WriteFile("ledger.csv", _world.LedgerCsv(shuffle, r => (int.Parse(r.RecordNo[1..], System.Globalization.CultureInfo.InvariantCulture) + round) % 7 == 0));
            foreach (var source in new[] { "ledger", "hukou" })
            {
                var result = await _host.SyncAsync($"{source}.source.json");
                Assert.That(result.Succeeded, Is.True, result.Error);
                Assert.That(result.Counts.New, Is.Zero, $"round {round}, {source}: nobody new");
            }

            var after = (await LinksAsync("hukou")).Concat(await LinksAsync("ledger")).ToDictionary(l => l.Key, l => l.Value);
            Assert.That(after, Is.EquivalentTo(before), $"round {round}: every source record keeps its pool id");
            Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM pool_person WHERE _deleted = 0"), Is.EqualTo(persons));
        }

        Assert.That(await _host.CountAsync("SELECT COUNT(*) FROM dp_history WHERE change = 'updated'"), Is.GreaterThan(0), "the changed rows did reach the pool");
    }
}
