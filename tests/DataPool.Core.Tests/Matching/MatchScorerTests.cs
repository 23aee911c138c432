using DataPool.Core.Matching;
using DataPool.Core.Tests.Support;

namespace DataPool.Core.Tests.Matching;

/// <summary>Normalisation for matching and the Fellegi–Sunter score, field by field.</summary>
public sealed class MatchScorerTests
{
    private static readonly string Id = Residents.Id("19570302", 1);

    private static MatchRecord Person(string? id = null, string name = "张三", string gender = "1", string birth = "1957-03-02",
        string? address = "东城区1号", string? phone = null, string community = "110101001001", string? flagged = null)
    {
        var values = new Dictionary<string, string> { ["name"] = name, ["gender"] = gender, ["birth_date"] = birth, ["community_code"] = community };
        if (id is not null)
        {
            values["id_number"] = id;
        }

        if (address is not null)
        {
            values["address"] = address;
        }

        if (phone is not null)
        {
            values["phone"] = phone;
        }

        return MatchRecord.From(values, flagged);
    }

    private static string Decision(MatchRecord a, MatchRecord b) => MatchSettings.Default.Decide(MatchScorer.Score(a, b).Total);

    [TestCase("張三", "张三")]
    [TestCase("张 三", "张三")]
    [TestCase("阿依古丽•买买提", "阿依古丽·买买提")]
    [TestCase("阿依古丽・买买提", "阿依古丽·买买提")]
    [TestCase("阿依古丽.买买提", "阿依古丽·买买提")]
    [TestCase("陳國華", "陈国华")]
    [TestCase("ＡＢ", "AB")]
    public void Names_fold_spaces_dots_width_and_traditional_characters(string raw, string expected) =>
        Assert.That(NameForm.Normalise(raw), Is.EqualTo(expected));

    [Test]
    public void ID_numbers_compare_exactly_by_check_character_and_across_the_15_digit_form()
    {
        var fifteen = Id[..6] + Id[8..17];
        var badCheck = Id[..17] + (Id[17] == '0' ? '1' : '0');
        Assert.That(IdForm.Compare(IdForm.Read(Id), IdForm.Read(Id.ToLowerInvariant().Insert(6, " "))), Is.EqualTo(IdOutcome.Equal));
        Assert.That(IdForm.Compare(IdForm.Read(fifteen), IdForm.Read(Id)), Is.EqualTo(IdOutcome.FifteenToEighteen));
        Assert.That(IdForm.Compare(IdForm.Read(badCheck), IdForm.Read(Id)), Is.EqualTo(IdOutcome.CheckCharacter));
        Assert.That(IdForm.Compare(IdForm.Read(Residents.Id("19570302", 3)), IdForm.Read(Id)), Is.EqualTo(IdOutcome.Differ));
        Assert.That(IdForm.Compare(null, IdForm.Read(Id)), Is.EqualTo(IdOutcome.Missing));
        Assert.That(IdForm.Read("not an id"), Is.Null);
    }

    [Test]
    public void A_wrong_check_character_whose_name_and_birth_date_agree_links()
    {
        var flagged = Person(flagged: Id[..17] + (Id[17] == '0' ? '1' : '0'), community: "110101001002", address: null);
        var score = MatchScorer.Score(flagged, Person(Id));
        Assert.That(score.Fields.Single(f => f.Field == "id_number").Outcome, Is.EqualTo("check-character"));
        Assert.That(Decision(flagged, Person(Id)), Is.EqualTo(MatchDecisions.Auto));
        Assert.That(Decision(Person(flagged: Id[..17] + "0", name: "李四", birth: "1960-01-01"), Person(Id)), Is.EqualTo(MatchDecisions.New),
            "the same 17 digits alone, with another name and birth date, is not the same person");
    }

    [Test]
    public void Twins_in_one_household_do_not_link_with_or_without_their_ID_numbers()
    {
        var elder = Person(Residents.Id("19900505", 11), name: "王大明", address: "东城区5号楼1单元101");
        var younger = Person(Residents.Id("19900505", 13), name: "王小红", address: "东城区5号楼1单元101", birth: "1990-05-05");
        elder = elder with { BirthDate = new DateOnly(1990, 5, 5) };
        Assert.That(Decision(younger, elder), Is.EqualTo(MatchDecisions.New));
        Assert.That(Decision(younger with { Id = null }, elder), Is.Not.EqualTo(MatchDecisions.Auto));
    }

    [Test]
    public void The_same_name_and_birth_date_in_two_communities_with_different_IDs_is_not_linked()
    {
        var here = Person(Residents.Id("19570302", 5), community: "110101001001", address: "东城区1号");
        var there = Person(Residents.Id("19570302", 7), community: "110101001003", address: "东城区9号");
        Assert.That(Decision(here, there), Is.EqualTo(MatchDecisions.New));
    }

    [TestCase("1957-02-03", "day-month-swapped")]
    [TestCase("1957-03-05", "one-digit-off")]
    [TestCase("1967-03-02", "one-digit-off")]
    [TestCase("1961-08-19", "differ")]
    public void Birth_dates_compare_swapped_and_one_digit_off(string other, string outcome)
    {
        var score = MatchScorer.Score(Person(birth: other), Person());
        Assert.That(score.Fields.Single(f => f.Field == "birth_date").Outcome, Is.EqualTo(outcome));
    }

    [Test]
    public void Without_an_ID_number_name_birth_date_and_community_link_and_each_weight_is_log2_m_over_u()
    {
        var score = MatchScorer.Score(Person(name: "張 三", phone: "138-0013-8000"), Person(Id, phone: "13800138000"));
        Assert.That(MatchSettings.Default.Decide(score.Total), Is.EqualTo(MatchDecisions.Auto));
        Assert.That(score.Fields.Single(f => f.Field == "phone").Outcome, Is.EqualTo("equal"));
        var (m, u) = MatchScorer.Model[("name", "equal")];
        Assert.That(score.Fields.Single(f => f.Field == "name").Weight, Is.EqualTo(Math.Log2(m / u)).Within(0.01));
        Assert.That(score.Total, Is.EqualTo(score.Fields.Sum(f => f.Weight)).Within(0.01));
    }

    /// <summary>张三's plain keys, one a default blocking rule: the name's sound + year, community + sound, the flat and the month with his gender (no phone).</summary>
    private static readonly string[] Plain =
        ["p:zhangsan:1957", "q:110101001001:zhangsan", "a:东城区1", "g:110101001001:1957-03:1"];

    /// <summary>The plain keys 张三 looks up: his own, and the month's block of persons whose gender is not known.</summary>
    private static readonly string[] PlainLookups = [.. Plain, "g:110101001001:1957-03:?"];

    [Test]
    public void A_record_without_a_known_gender_is_filed_apart_and_looks_up_both_genders()
    {
        var unknown = Person(Id, gender: "9");
        Assert.That(unknown.BlockingKeys(), Does.Contain("g:110101001001:1957-03:?").And.None.StartsWith("g:110101001001:1957-03:1"));
        Assert.That(unknown.LookupKeys().Where(k => k.StartsWith("og:", StringComparison.Ordinal)),
            Is.EquivalentTo(new[] { "og:110101001001:1957-03:1", "og:110101001001:1957-03:2", "og:110101001001:1957-03:?" }));
    }

    [Test]
    public void Blocking_by_every_rule_files_the_narrower_keys_too()
    {
        var keys = Person(Id).BlockingKeys(new BlockingRules(BlockingRules.All)).ToList();
        Assert.That(keys, Is.EquivalentTo(Plain.Concat(["b:1957-03-02:110101001001", "y:张三:1957", "n:110101001001:张三", "m:110101001001:1957-03"])));
    }

    [Test]
    public void Blocking_files_a_person_with_a_valid_ID_number_by_every_rule_it_has_the_fields_for()
    {
        var keys = Person(Id).BlockingKeys().ToList();
        Assert.That(keys, Is.EquivalentTo(Plain),
            "a valid ID number is found exactly, so it files no ID block");
    }

    [Test]
    public void Blocking_files_a_person_without_a_valid_ID_number_in_the_open_blocks_with_the_ID_prefix_it_has()
    {
        Assert.That(Person().BlockingKeys(), Is.EquivalentTo(Plain.Select(k => "o" + k)));
        var wrongCheck = Id[..17] + (Id[17] == '0' ? '1' : '0');
        Assert.That(Person(flagged: wrongCheck).BlockingKeys(), Does.Contain("i:" + Id[..17]).And.Contain("og:110101001001:1957-03:1"));
    }

    [Test]
    public void A_record_files_its_keys_in_the_tier_of_the_person_it_joins()
    {
        Assert.That(Person().BlockingKeys(validPerson: true), Is.EquivalentTo(Plain),
            "no ID number, joining a person who has a valid one: plain keys");
        Assert.That(Person(Id).BlockingKeys(validPerson: false), Does.Contain("op:zhangsan:1957").And.Contain("i:" + Id[..17]),
            "a valid ID number joining an open person keeps that person open");
    }

    [Test]
    public void A_row_with_a_valid_ID_number_looks_up_only_open_blocks_and_its_ID_prefix()
    {
        var keys = Person(Id).LookupKeys().ToList();
        Assert.That(keys, Does.Contain("og:110101001001:1957-03:1").And.Contain("og:110101001001:1957-03:?").And.Contain("op:zhangsan:1957").And.Contain("i:" + Id[..17]));
        Assert.That(keys.Where(k => !k.StartsWith("o", StringComparison.Ordinal) && !k.StartsWith("i:", StringComparison.Ordinal)), Is.Empty,
            "two different valid ID numbers are two people: persons filed with one are not candidates");
    }

    [Test]
    public void A_row_without_an_ID_number_looks_up_every_block()
    {
        var keys = Person().LookupKeys().ToList();
        Assert.That(keys, Is.EquivalentTo(PlainLookups.Concat(PlainLookups.Select(k => "o" + k))));
    }

    [Test]
    public void Total_is_the_breakdowns_sum()
    {
        var pairs = new[] { (Person(Id), Person()), (Person(name: "張 三"), Person(Id, birth: "1957-02-03")), (Person(Id), Person(Residents.Id("19570302", 2), name: "李四")) };
        foreach (var (a, b) in pairs)
        {
            Assert.That(MatchScorer.Total(a, b), Is.EqualTo(MatchScorer.Score(a, b).Total));
        }
    }

    [Test]
    public void Twins_of_other_names_sharing_address_phone_and_birth_date_do_not_link_on_their_household_fields()
    {
        // What linked with the prior on the independent world: the names alone tell twins apart, and the household's agreements outweighed them.
        var elder = Person(name: "邓新彬", gender: "2", birth: "1962-01-16", address: "丰台区交道口24号院17号楼3单元110", phone: "15618373872");
        var younger = elder with { Name = "邓韬阳", Gender = "1" };
        var score = MatchScorer.Score(elder, younger);

        Assert.That(Decision(elder, younger), Is.EqualTo(MatchDecisions.New));
        Assert.That(score.Fields.Single(f => f.Field == MatchScorer.HouseholdRow), Has.Property(nameof(FieldScore.Outcome)).EqualTo(MatchScorer.OtherMember));
        Assert.That(Decision(elder, elder with { Name = "邓新斌" }), Is.EqualTo(MatchDecisions.Auto),
            "one character apart is a slip, not another person: the household fields still count");
    }

    [Test]
    public void With_learned_weights_a_parent_and_child_of_similar_names_in_one_household_do_not_link_on_address_and_phone()
    {
        // What linked with trained weights (address and phone near 13 bits each, learned as if independent of each other).
        var probabilities = new Dictionary<(string Field, string Outcome), (double M, double U)>(MatchScorer.Model)
        {
            [("address", "equal")] = (0.8, 0.0001),
            [("phone", "equal")] = (0.8, 0.0001),
        };
        var learned = new MatchWeights(probabilities, null, 1);
        var parent = Person(name: "皇甫天", birth: "1963-10-20", address: "东城区东四18号院13号楼4单元2402", phone: "15479144121");
        var child = parent with { Name = "皇甫军海", BirthDate = new DateOnly(2005, 5, 5) };
        var unknownBirth = child with { BirthDate = null };

        Assert.That(MatchSettings.Default.Decide(MatchScorer.Score(parent, child, learned).Total), Is.EqualTo(MatchDecisions.New), "birth dates no slip explains: another member");
        var damped = MatchScorer.Score(parent, unknownBirth, learned).Fields.ToDictionary(f => f.Field, f => f.Weight);
        Assert.That(damped[MatchScorer.HouseholdRow], Is.EqualTo(-Math.Round((damped["phone"] + damped["community_code"]) / 2, 2)).Within(0.01),
            "no birth date to tell them apart: the learned household agreements beyond the strongest count at half, as if dependent");
        Assert.That(MatchScorer.Score(parent, unknownBirth).Fields.Any(f => f.Field == MatchScorer.HouseholdRow), Is.False, "the prior's are damped by hand already");
        Assert.That(MatchScorer.Total(parent, unknownBirth, learned), Is.EqualTo(MatchScorer.Score(parent, unknownBirth, learned).Total));
    }
}
