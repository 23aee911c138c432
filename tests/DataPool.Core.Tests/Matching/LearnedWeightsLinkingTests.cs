using System.Text.Json;
using System.Text.RegularExpressions;
using DataPool.Core.Matching;
using DataPool.Core.Tests.Matching.Independent;
using DataPool.Core.Tests.Support;

namespace DataPool.Core.Tests.Matching;

/// <summary>
/// A deployment that ran <c>match train</c> links with its learned weights: the independent world with one community for
/// everybody (a field with one value), trained after the register's sync; the ledger's sync then scores with a
/// community that adds about nothing. Ids and decisions hold across a shuffled re-sync.
/// </summary>
[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed partial class LearnedWeightsLinkingTests(string store)
{
    private PoolTestHost _host = null!;
    private IndependentWorld _world = null!;
    private MatchWeights _trained = null!;

    [GeneratedRegex(@",1101\d{2}001\d{3},")]
    private static partial Regex Community();

    [OneTimeSetUp]
    public async Task SetUp()
    {
        _world = new IndependentWorld(800, seed: 9);
        _host = await PoolTestHost.CreateAsync(store);
        foreach (var source in new[] { IndependentWorld.Register, IndependentWorld.Ledger })
        {
            _host.WriteFile($"{source}.csv", OneCommunity(_world.Csv(source)));
            _host.WriteFile($"{source}.source.json", IndependentWorld.Definition(source, mapIdNumber: false));
        }

        await SyncAsync(IndependentWorld.Register);
        // What `match train` does.
        var records = await MatchModelStore.RecordsAsync(_host.Database, "person", 200_000);
        var model = MatchTraining.Train(records, MatchSettings.Default.Blocking);
        var version = await MatchModelStore.SaveAsync(_host.Database, "person", model, records.Count);
        _trained = await MatchModelStore.CurrentAsync(_host.Database, "person");
        Assert.That(_trained.Version, Is.EqualTo(version), "live matching reads the newest model");
        Assert.That(records, Has.Count.GreaterThanOrEqualTo(MatchModelStore.MinRecords));
        await SyncAsync(IndependentWorld.Ledger);
    }

    [OneTimeTearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    private static string OneCommunity(string csv) => Community().Replace(csv, ",110101001001,");

    private async Task SyncAsync(string source)
    {
        var result = await _host.SyncAsync($"{source}.source.json");
        Assert.That(result.Succeeded, Is.True, result.Error);
    }

    [Test]
    public async Task After_training_on_a_pool_with_one_community_the_live_scores_carry_the_learned_weights_where_the_community_adds_about_nothing()
    {
        Assert.That(Math.Abs(_trained.Weight("community_code", "equal")), Is.LessThan(0.2), "one community everywhere: agreeing on it says nothing");
        Assert.That(MatchScorer.Weight("community_code", "equal"), Is.GreaterThan(3), "while the prior gives it 3 bits");

        var reviews = await _host.QueryAsync(
            "SELECT v.breakdown, v.score FROM dp_match_reviews v JOIN dp_source_records r ON r.id = v.record_id WHERE r.source_id = @source", ("@source", IndependentWorld.Ledger));
        Assert.That(reviews, Is.Not.Empty, "some ledger rows land in the review band");
        foreach (var review in reviews)
        {
            var fields = JsonSerializer.Deserialize<List<FieldScore>>((string)review["breakdown"]!)!;
            var community = fields.Single(f => f.Field == "community_code");
            Assert.That(community.Outcome, Is.EqualTo("equal"));
            Assert.That(community.Weight, Is.EqualTo(_trained.Weight("community_code", "equal")), "the live score used the learned weight");
            foreach (var field in fields.Where(f => f.Field is not ("name" or MatchScorer.HouseholdRow)))
            {
                Assert.That(field.Weight, Is.EqualTo(_trained.Weight(field.Field, field.Outcome)), $"{field.Field} {field.Outcome}");
            }

            Assert.That(Convert.ToDouble(review["score"]), Is.EqualTo(fields.Sum(f => f.Weight)).Within(0.05));
        }
    }

    [Test]
    public async Task A_shuffled_re_sync_after_training_keeps_every_id_and_decision()
    {
        const string records = "SELECT r.source_id, r.source_key, r.pool_id, l.decision FROM dp_source_records r LEFT JOIN dp_match_links l ON l.record_id = r.id WHERE r.deleted = 0";
        var before = (await _host.QueryAsync(records)).ToDictionary(r => $"{r["source_id"]}/{r["source_key"]}", r => (Convert.ToInt64(r["pool_id"]), r["decision"] as string));
        var lines = OneCommunity(_world.Csv(IndependentWorld.Ledger)).TrimEnd('\n').Split('\n');
        _host.WriteFile($"{IndependentWorld.Ledger}.csv", string.Join('\n', lines.Take(1).Concat(lines.Skip(1).Reverse())) + "\n");

        await SyncAsync(IndependentWorld.Ledger);

        var after = (await _host.QueryAsync(records)).ToDictionary(r => $"{r["source_id"]}/{r["source_key"]}", r => (Convert.ToInt64(r["pool_id"]), r["decision"] as string));
        Assert.That(after, Is.EquivalentTo(before));
    }
}
