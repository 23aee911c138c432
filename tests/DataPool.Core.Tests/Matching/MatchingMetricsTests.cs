using System.Diagnostics.Metrics;
using DataPool.Core.Matching;
using DataPool.Core.Tests.Support;

namespace DataPool.Core.Tests.Matching;

/// <summary>Linking reports what it did and what it cost through the "DataPool.Matching" meter.</summary>
public sealed class MatchingMetricsTests
{
    [Test]
    public async Task Every_accepted_person_row_is_counted_once_by_its_decision_and_linking_time_is_reported_by_phase()
    {
        var world = new LabelledWorld(150, seed: 11);
        await using var host = await PoolTestHost.CreateAsync();
        host.WriteFile("hukou.csv", world.HukouCsv());
        host.WriteFile("ledger.csv", world.LedgerCsv());
        host.WriteFile("hukou.source.json", LabelledWorld.HukouDefinition);
        host.WriteFile("ledger.source.json", LabelledWorld.LedgerDefinition);

        var rows = new Dictionary<string, long>();
        var seconds = 0.0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MatchingMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, count, tags, _) =>
        {
            if (instrument.Name != "datapool.matching.rows")
            {
                return;
            }

            var decision = (string)tags.ToArray().Single(t => t.Key == "decision").Value!;
            rows[decision] = rows.GetValueOrDefault(decision) + count;
        });
        var phases = new HashSet<string>();
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            seconds += value;
            phases.Add((string)tags.ToArray().Single(t => t.Key == "phase").Value!);
        });
        listener.Start();

        var register = await host.SyncAsync("hukou.source.json");
        Assert.That(rows, Is.EquivalentTo(new Dictionary<string, long> { ["new"] = register.Counts.Accepted }), "a fresh pool: every register row is a new person");

        rows.Clear();
        var ledger = await host.SyncAsync("ledger.source.json");
        Assert.That(rows.Values.Sum(), Is.EqualTo(ledger.Counts.Accepted));
        Assert.That(rows.GetValueOrDefault("auto"), Is.GreaterThan(ledger.Counts.Accepted / 2), "most ledger rows link to a registered person");
        Assert.That(seconds, Is.GreaterThan(0));
        Assert.That(phases, Is.SubsetOf(MatchingMetrics.Phases).And.Contain("blocks").And.Contain("scoring").And.Contain("writing"),
            "the time is told by phase, and a ledger without ID numbers looks up blocks and scores candidates");
    }
}
