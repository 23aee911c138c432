using DataPool.Core.Matching;
using DataPool.Core.Tests.Support;

namespace DataPool.Core.Tests.Matching.Independent;

/// <summary>
/// The independent labelled world linked with learned weights: a first pool synced with the prior is trained on (what
/// <c>match train</c> does), and a second deployment holding that model syncs the same sources. Its persons must match the
/// truth as well as the prior's do: F1 ≥ 0.95 and precision ≥ 0.99 without ID numbers.
/// </summary>
public sealed class LearnedWeightsWorldTests
{
    [Test]
    public async Task With_the_weights_trained_on_the_pool_persons_match_the_truth_with_F1_of_at_least_0_95_and_precision_of_at_least_0_99()
    {
        var world = new IndependentWorld(2000, seed: 16);
        TrainedModel model;
        int trainedOn;
        await using (var first = await SyncedAsync(world, null))
        {
            var records = await MatchModelStore.RecordsAsync(first.Database, "person", 200_000);
            (model, trainedOn) = (MatchTraining.Train(records, MatchSettings.Default.Blocking), records.Count);
        }

        await using var host = await SyncedAsync(world, (model, trainedOn));
        var clusters = (await host.QueryAsync("SELECT source_id, source_key, pool_id FROM dp_source_records WHERE deleted = 0"))
            .ToDictionary(r => $"{r["source_id"]}/{r["source_key"]}", r => Convert.ToInt64(r["pool_id"]));
        var truth = world.Rows.ToDictionary(r => $"{r.Source}/{r.Key}", r => r.Entity);

        var overall = PairMetrics.Overall(clusters, truth);
        TestContext.Out.WriteLine($"learned weights: {overall}");
        foreach (var kind in Corruptor.Kinds)
        {
            var rows = world.Rows.Where(r => r.Source == IndependentWorld.Ledger && r.Kinds.Contains(kind)).Select(r => $"{r.Source}/{r.Key}");
            TestContext.Out.WriteLine($"{kind,-24} {PairMetrics.Involving(rows, clusters, truth)}");
        }

        Assert.That(overall.Precision, Is.GreaterThanOrEqualTo(0.99), "precision without ID numbers");
        Assert.That(overall.F1, Is.GreaterThanOrEqualTo(0.95), "F1 without ID numbers");
    }

    private static async Task<PoolTestHost> SyncedAsync(IndependentWorld world, (TrainedModel Model, int Records)? trained)
    {
        var host = await PoolTestHost.CreateAsync();
        if (trained is { } t)
        {
            await MatchModelStore.SaveAsync(host.Database, "person", t.Model, t.Records);
            Assert.That((await MatchModelStore.CurrentAsync(host.Database, "person")).Version, Is.EqualTo(1), "the sync links with the trained model");
        }

        foreach (var source in new[] { IndependentWorld.Register, IndependentWorld.Ledger })
        {
            host.WriteFile($"{source}.csv", world.Csv(source));
            host.WriteFile($"{source}.source.json", IndependentWorld.Definition(source, mapIdNumber: false));
            var result = await host.SyncAsync($"{source}.source.json");
            Assert.That(result.Succeeded, Is.True, result.Error);
        }

        return host;
    }
}
