using DataPool.Core.Store.Writing;
using DataPool.Core.Schema;
using DataPool.Core.Sync;

namespace DataPool.Core.Tests.Sync;

/// <summary>
/// A form (kind <c>form</c>: the community form, a department's correction source) against the departments' sources:
/// it wins what its priority or recency decides, never a key nor another department's <c>owner</c> field.
/// </summary>
public sealed class FormSurvivorshipTests
{
    private static readonly PoolEntity Person = SchemaCatalog.Load(SchemaCatalog.Locate()).Entity("person");
    private const string Id = "110101195703020011";

    private static Candidate Register() => new(1, "hukou", 100, "public-security",
        new Dictionary<string, string> { ["id_number"] = Id, ["name"] = "张三", ["relation_to_head"] = "20", ["household_no"] = "H1" });

    private static Candidate CommunityForm(Dictionary<string, string> values) => new(2, "community-form", 1000, "community", values, Form: true);

    [Test]
    public void Form_never_wins_owned_or_key_fields()
    {
        var form = CommunityForm(new() { ["id_number"] = Id, ["name"] = "张叁", ["relation_to_head"] = "30", ["household_no"] = "H2" });
        foreach (var candidates in new[] { new[] { Register(), form }, [form, Register()] })
        {
            var golden = GoldenRecord.Compute(Person, candidates);
            Assert.That(golden["id_number"].RecordId, Is.EqualTo(1), "the key stays the register's, whatever the form's priority");
            Assert.That(golden["relation_to_head"], Is.EqualTo(new Survivor("20", 1)), "public security's owner field");
            Assert.That(golden["household_no"], Is.EqualTo(new Survivor("H1", 1)), "public security's owner field");
            Assert.That(golden["name"], Is.EqualTo(new Survivor("张叁", 2)), "a priority field: the worker's correction wins");
        }
    }

    [Test]
    public void A_form_holding_the_only_value_keeps_it()
    {
        var added = CommunityForm(new() { ["id_number"] = Id, ["name"] = "新生儿", ["relation_to_head"] = "41", ["household_no"] = "H1" });
        var golden = GoldenRecord.Compute(Person, [added]);
        Assert.That(golden["id_number"], Is.EqualTo(new Survivor(Id, 2)), "a member the worker added: no department holds a value yet");
        Assert.That(golden["relation_to_head"], Is.EqualTo(new Survivor("41", 2)));
    }

    [Test]
    public void The_owning_departments_accepted_correction_wins_its_owner_field_whatever_the_order()
    {
        var correction = new Candidate(3, "correction-public-security", 100, "public-security",
            new Dictionary<string, string> { ["id_number"] = Id, ["relation_to_head"] = "30" }, Form: true);
        foreach (var candidates in new[] { new[] { Register(), correction }, [correction, Register()] })
        {
            var golden = GoldenRecord.Compute(Person, candidates);
            Assert.That(golden["relation_to_head"], Is.EqualTo(new Survivor("30", 3)));
            Assert.That(golden["id_number"].RecordId, Is.EqualTo(1), "the key stays the register's");
        }
    }
}
