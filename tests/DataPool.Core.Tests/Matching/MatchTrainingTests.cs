using DataPool.Core.Matching;
using DataPool.Core.Tests.Matching.Independent;

namespace DataPool.Core.Tests.Matching;

/// <summary>Weights learned from data: EM recovers known m on simulated pairs; u from random pairs; a one-valued field weighs nothing.</summary>
public sealed class MatchTrainingTests
{
    /// <summary>The tolerance EM must recover every m within, on 40,000 simulated pairs.</summary>
    private const double Tolerance = 0.03;

    [Test]
    public void EM_recovers_known_m_and_the_match_share_from_simulated_pairs_within_0_03()
    {
        var random = new Random(7);
        var fields = MatchTraining.Fields;
        // Known truth, unlike the prior: matches agree less often than the prior assumes.
        var m = new Dictionary<string, (string Level, double P)[]>
        {
            ["name"] = [("equal", 0.6), ("sound-equal", 0.15), ("one-char-different", 0.15), ("differ", 0.1)],
            ["birth_date"] = [("equal", 0.7), ("one-digit-off", 0.2), ("differ", 0.1)],
            ["gender"] = [("equal", 0.95), ("differ", 0.05)],
            ["address"] = [("equal", 0.5), ("similar", 0.3), ("differ", 0.2)],
            ["phone"] = [("equal", 0.5), ("differ", 0.5)],
            ["community_code"] = [("equal", 0.8), ("differ", 0.2)],
        };
        var u = new Dictionary<string, (string Level, double P)[]>
        {
            ["name"] = [("equal", 0.01), ("similar", 0.09), ("differ", 0.9)],
            ["birth_date"] = [("equal", 0.01), ("same-year-month", 0.04), ("differ", 0.95)],
            ["gender"] = [("equal", 0.5), ("differ", 0.5)],
            ["address"] = [("equal", 0.05), ("similar", 0.15), ("differ", 0.8)],
            ["phone"] = [("equal", 0.01), ("differ", 0.99)],
            ["community_code"] = [("equal", 0.3), ("differ", 0.7)],
        };
        string Draw((string Level, double P)[] levels)
        {
            var x = random.NextDouble();
            foreach (var (level, p) in levels)
            {
                if ((x -= p) < 0)
                {
                    return level;
                }
            }

            return levels[^1].Level;
        }

        const double share = 0.25;
        var blocked = Enumerable.Range(0, 40_000).Select(_ => random.NextDouble() < share
            ? fields.Select(f => Draw(m[f])).ToArray()
            : fields.Select(f => Draw(u[f])).ToArray()).ToList();
        var randomPairs = Enumerable.Range(0, 100_000).Select(_ => fields.Select(f => Draw(u[f])).ToArray()).ToList();

        var estimatedU = MatchTraining.EstimateU(randomPairs, pseudoCounts: 50);
        var (estimatedM, estimatedShare, _) = MatchTraining.EstimateM(blocked, estimatedU, pseudoCounts: 50);

        Assert.That(estimatedShare, Is.EqualTo(share).Within(Tolerance));
        foreach (var field in fields)
        {
            foreach (var (level, p) in m[field])
            {
                Assert.That(estimatedM[(field, level)], Is.EqualTo(p).Within(Tolerance), $"m of {field} {level}");
            }

            foreach (var (level, p) in u[field])
            {
                Assert.That(estimatedU[(field, level)], Is.EqualTo(p).Within(Tolerance / 3), $"u of {field} {level}");
            }
        }
    }

    [Test]
    public void A_field_with_one_value_across_the_pool_carries_almost_no_weight_and_the_others_keep_theirs()
    {
        var world = new IndependentWorld(600, seed: 3);
        var records = world.Rows.Select(r => MatchRecord.From(new Dictionary<string, string>
        {
            ["name"] = r.Name, ["birth_date"] = r.Birth.Length == 10 ? r.Birth : "", ["address"] = r.Address, ["phone"] = r.Phone,
            ["community_code"] = "110101001001",
        }.Where(v => v.Value.Length > 0).ToDictionary(v => v.Key, v => v.Value))).ToList();

        var model = MatchTraining.Train(records, BlockingRules.Default, randomPairs: 50_000);

        TestContext.Out.WriteLine($"match share {model.MatchShare:F3} after {model.Iterations} iterations over {model.BlockedPairs} blocked and {model.RandomPairs} random pairs");
        foreach (var ((field, outcome), (mp, up)) in model.Probabilities.OrderBy(p => p.Key.Field, StringComparer.Ordinal))
        {
            TestContext.Out.WriteLine($"{field,-15} {outcome,-20} m {mp:F4} u {up:F6} weight {Math.Log2(mp / up):F2}");
        }

        Assert.That(Math.Abs(model.Weight("community_code", "equal")), Is.LessThan(0.2), "one community: agreeing on it says nothing");
        Assert.That(model.Weight("name", "equal"), Is.GreaterThan(5));
        Assert.That(model.Weight("birth_date", "equal"), Is.GreaterThan(8));
        Assert.That(model.Weight("name", "differ"), Is.LessThan(-1), "a different name is evidence against");
    }
}
