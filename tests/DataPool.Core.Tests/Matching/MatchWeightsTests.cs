using DataPool.Core.Matching;

namespace DataPool.Core.Tests.Matching;

/// <summary>The weights a score sums: the prior, a trained model as stored, and the term-frequency adjustment of an equal name.</summary>
public sealed class MatchWeightsTests
{
    private static MatchRecord Person(string name, string birth = "1980-04-12", string? community = "110101001001") =>
        MatchRecord.From(new Dictionary<string, string?> { ["name"] = name, ["birth_date"] = birth, ["gender"] = "女", ["community_code"] = community }
            .Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value!));

    /// <summary>A pool where 王伟 is one record in twenty and every other name is borne by one person only.</summary>
    private static List<MatchRecord> Pool()
    {
        var random = new Random(4);
        var records = new List<MatchRecord>();
        for (var i = 0; i < 2000; i++)
        {
            var birth = new DateOnly(1940, 1, 1).AddDays(random.Next(0, 25_000)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            records.Add(Person(i % 20 == 0 ? "王伟" : $"居民{i:0000}", birth, $"1101010010{random.Next(10, 40)}"));
        }

        return records;
    }

    [Test]
    public void Agreeing_on_a_common_name_weighs_less_than_agreeing_on_a_rare_one_in_two_otherwise_identical_pairs()
    {
        var weights = MatchTraining.Train(Pool(), BlockingRules.Default, randomPairs: 50_000).Weights();

        var common = MatchScorer.Score(Person("王伟"), Person("王伟"), weights);
        var rare = MatchScorer.Score(Person("欧阳娜娜"), Person("欧阳娜娜"), weights);

        Assert.That(MatchScorer.Total(Person("王伟"), Person("王伟")), Is.EqualTo(MatchScorer.Total(Person("欧阳娜娜"), Person("欧阳娜娜"))),
            "the prior knows no frequencies: both pairs score alike");
        var (commonName, rareName) = (common.Fields.Single(f => f.Field == "name").Weight, rare.Fields.Single(f => f.Field == "name").Weight);
        TestContext.Out.WriteLine($"王伟 {commonName} bits, 欧阳娜娜 {rareName} bits, the field's equal weight {weights.Weight("name", "equal")}");
        Assert.That(rareName - commonName, Is.GreaterThan(3), "王伟 (5% of the pool) agreeing is weak evidence, 欧阳娜娜 strong");
        Assert.That(commonName, Is.LessThan(weights.Weight("name", "equal")).And.GreaterThanOrEqualTo(0));
        Assert.That(rareName, Is.LessThanOrEqualTo(weights.Weight("name", "equal") + MatchWeights.MaxRareBonus));
        Assert.That(rare.Total - common.Total, Is.EqualTo(rareName - commonName).Within(0.02), "only the name's weight differs");
        Assert.That(common.Total, Is.EqualTo(MatchScorer.Total(Person("王伟"), Person("王伟"), weights)), "the total without the breakdown agrees");
    }

    [Test]
    public void A_stored_model_reads_back_with_its_weights_and_name_frequencies_and_an_old_bare_list_reads_without_them()
    {
        var model = MatchTraining.Train(Pool(), BlockingRules.Default, randomPairs: 20_000);

        var stored = MatchWeights.FromJson(model.Weights().ToJson(), version: 3);

        Assert.That(stored.Version, Is.EqualTo(3));
        Assert.That(stored.Names!.Of("王伟"), Is.EqualTo(0.05).Within(1e-9));
        Assert.That(stored.Name("王伟", "equal"), Is.EqualTo(model.Weights().Name("王伟", "equal")));
        foreach (var (field, outcome) in model.Probabilities.Keys)
        {
            Assert.That(stored.Weight(field, outcome), Is.EqualTo(model.Weights().Weight(field, outcome)), $"{field} {outcome}");
        }

        var old = MatchWeights.FromJson("""[{"field":"name","outcome":"equal","m":0.9,"u":0.01}]""", version: 1);
        Assert.That((old.Names, old.Weight("name", "equal"), old.Weight("birth_date", "equal")),
            Is.EqualTo(((TermFrequencies?)null, Math.Round(Math.Log2(90), 2), MatchScorer.Weight("birth_date", "equal"))));
    }

    [Test]
    public void A_learned_difference_counts_against_a_match_at_least_as_much_as_the_prior_says_and_agreements_stay_as_learned()
    {
        var probabilities = new Dictionary<(string Field, string Outcome), (double M, double U)>(MatchScorer.Model)
        {
            [("name", "differ")] = (0.2, 0.99),
            [("name", "equal")] = (0.5, 0.001),
        };

        var weights = new MatchWeights(probabilities, null, 1);

        Assert.That(weights.Weight("name", "differ"), Is.EqualTo(MatchScorer.Weight("name", "differ")), "EM's household-blurred m of a different name is not used");
        Assert.That(weights.Weight("name", "equal"), Is.EqualTo(Math.Round(Math.Log2(500), 2)));
    }

    [Test]
    public void Term_frequencies_keep_the_most_frequent_values_and_give_the_others_their_average_share()
    {
        var frequencies = TermFrequencies.Count(["a", "a", "a", "b", "b", "c", null, "d"], kept: 2);

        Assert.That(frequencies.Frequent.Keys, Is.EquivalentTo(new[] { "a", "b" }));
        Assert.That((frequencies.Of("a"), frequencies.Of("b"), frequencies.Of("c"), frequencies.Of("never seen")),
            Is.EqualTo((3 / 7.0, 2 / 7.0, 1 / 7.0, 1 / 7.0)));
    }
}
