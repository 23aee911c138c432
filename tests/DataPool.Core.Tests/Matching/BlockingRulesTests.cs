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
    public void The_default_rules_leave_out_those_another_rule_contains_and_split_the_month_by_gender()
    {
        Assert.That(BlockingRules.Default.Rules,
            Is.EquivalentTo(BlockingRules.All.Except(Subsumed.Select(s => s.Narrow)).Except(["community-year-month"])));
        Assert.That(BlockingRules.Default.Rules, Does.Contain(BlockingRules.MonthGender));
    }

    [Test]
    public void The_month_split_by_gender_pairs_what_the_month_pairs_but_two_known_different_genders()
    {
        var records = WorldRecords().Where(r => BlockingRules.Key("community-year-month", r) is not null).ToList();
        // Some genders unknown, as in the world (one row in ten has none) and as a code 0 or 9 says.
        records = records.Select((r, i) => i % 17 == 0 ? r with { Gender = "9" } : r).ToList();
        var rules = new BlockingRules([BlockingRules.MonthGender]);
        var filed = records.Select(r => rules.Keys(r, "").Single()).ToList();
        var lookups = records.Select(r => rules.LookupKeys(r, "").ToHashSet()).ToList();
        var compared = 0;
        foreach (var block in Enumerable.Range(0, records.Count).GroupBy(i => BlockingRules.Key("community-year-month", records[i])).Where(b => b.Key is not null && b.Count() > 1))
        {
            foreach (var a in block)
            {
                foreach (var b in block.Where(b => b != a))
                {
                    var differ = records[a].Gender is "1" or "2" && records[b].Gender is "1" or "2" && records[a].Gender != records[b].Gender;
                    Assert.That(lookups[a].Contains(filed[b]), Is.EqualTo(!differ), $"{records[a].Gender} looking up {records[b].Gender}");
                    Assert.That(BlockingRules.Pairs(BlockingRules.MonthGender, records[a], records[b]), Is.EqualTo(!differ));
                    compared++;
                }
            }
        }

        Assert.That(compared, Is.GreaterThan(100));
    }

    [TestCaseSource(nameof(Subsumed))]
    public void Two_records_sharing_a_left_out_rules_key_share_the_key_of_the_rule_that_contains_it((string Narrow, string Wide) rules)
    {
        var records = WorldRecords();

        var blocks = records.Where(r => BlockingRules.Key(rules.Narrow, r) is not null).GroupBy(r => BlockingRules.Key(rules.Narrow, r)).ToList();
        Assert.That(blocks.Count(b => b.Count() > 1), Is.GreaterThan(50), "the world has pairs sharing the narrow key");
        foreach (var block in blocks)
        {
            var wide = block.Select(r => BlockingRules.Key(rules.Wide, r)).Distinct().ToList();
            Assert.That(wide, Has.Count.EqualTo(1).And.None.Null, $"the records of {rules.Narrow} block {block.Key} share one {rules.Wide} key");
        }
    }

    /// <summary>The independent world's rows: Han, minority and pinyin names with typos, homophones, dropped and swapped parts, damaged dates.</summary>
    private static List<MatchRecord> WorldRecords() => new IndependentWorld(3_000, seed: 5).Rows.Select(r => MatchRecord.From(new Dictionary<string, string>
    {
        // As the pool holds it: the gender code table's codes (GB/T 2261.1).
        ["name"] = r.Name, ["gender"] = r.Gender switch { "男" => "1", "女" => "2", _ => "" }, ["birth_date"] = r.Birth, ["address"] = r.Address, ["phone"] = r.Phone, ["community_code"] = r.Community,
    }.Where(v => v.Value.Length > 0).ToDictionary())).ToList();
}
