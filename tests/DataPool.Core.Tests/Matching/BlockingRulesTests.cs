using DataPool.Core.Matching;
using DataPool.Core.Tests.Matching.Independent;

namespace DataPool.Core.Tests.Matching;

/// <summary>The default blocking rules leave out only rules whose pairs another rule's contain.</summary>
public sealed class BlockingRulesTests
{
    /// <summary>Each rule left out of the default, with the default rule that contains its pairs.</summary>
    private static readonly (string Narrow, string Wide)[] Subsumed =
        [("name-year", "sound-year"), ("community-name", "community-sound"), ("date-community", "community-year-month")];

    [Test]
    public void The_default_rules_are_every_rule_but_those_another_default_rule_contains()
    {
        Assert.That(BlockingRules.Default.Rules, Is.EquivalentTo(BlockingRules.All.Except(Subsumed.Select(s => s.Narrow))));
        Assert.That(Subsumed.Select(s => s.Wide), Is.SubsetOf(BlockingRules.Default.Rules));
    }

    [TestCaseSource(nameof(Subsumed))]
    public void Two_records_sharing_a_left_out_rules_key_share_the_key_of_the_rule_that_contains_it((string Narrow, string Wide) rules)
    {
        // The independent world's rows: Han, minority and pinyin names with typos, homophones, dropped and swapped parts, damaged dates.
        var world = new IndependentWorld(3_000, seed: 5);
        var records = world.Rows.Select(r => MatchRecord.From(new Dictionary<string, string>
        {
            ["name"] = r.Name, ["gender"] = r.Gender, ["birth_date"] = r.Birth, ["address"] = r.Address, ["phone"] = r.Phone, ["community_code"] = r.Community,
        }.Where(v => v.Value.Length > 0).ToDictionary())).ToList();

        var blocks = records.Where(r => BlockingRules.Key(rules.Narrow, r) is not null).GroupBy(r => BlockingRules.Key(rules.Narrow, r)).ToList();
        Assert.That(blocks.Count(b => b.Count() > 1), Is.GreaterThan(50), "the world has pairs sharing the narrow key");
        foreach (var block in blocks)
        {
            var wide = block.Select(r => BlockingRules.Key(rules.Wide, r)).Distinct().ToList();
            Assert.That(wide, Has.Count.EqualTo(1).And.None.Null, $"the records of {rules.Narrow} block {block.Key} share one {rules.Wide} key");
        }
    }
}
