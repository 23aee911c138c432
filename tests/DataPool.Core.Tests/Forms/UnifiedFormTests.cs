using DataPool.Core.Forms;
using DataPool.Core.Schema;

namespace DataPool.Core.Tests.Forms;

/// <summary>
/// schemas/forms/household.json against the catalog: every pool field a legacy form asked for appears exactly once
/// in the unified form; a legacy field that maps to no pool field is gone (it says why), never silently dropped.
/// </summary>
public sealed class UnifiedFormTests
{
    private static readonly SchemaCatalog Schema = SchemaCatalog.Load(SchemaCatalog.Locate());
    private static readonly LegacyFormCatalog Catalog = LegacyFormCatalog.Load(Schema.Root, Schema);
    private static readonly FormDefinition Form = UnifiedForm.Load(Schema.Root, Schema, Catalog);

    private static List<string> FormFields() => Form.Sections.SelectMany(s => s.Fields).Select(f => $"{f.Entity}.{f.Field}").ToList();

    [Test]
    public void Every_mapped_legacy_field_appears_exactly_once()
    {
        var fields = FormFields();
        var asked = Catalog.Forms.SelectMany(f => f.Fields).Where(f => f.Mapped).Select(f => f.Field!).Distinct().ToList();
        Assert.That(asked, Has.Count.GreaterThan(50));
        foreach (var field in asked)
        {
            Assert.That(fields.Count(f => f == field), Is.EqualTo(1), field);
        }

        Assert.That(fields, Is.Unique, "no pool field is asked twice");
    }

    [Test]
    public void Each_field_lists_the_legacy_forms_it_replaces_and_takes_its_rules_from_the_pool_schema()
    {
        foreach (var field in Form.Sections.SelectMany(s => s.Fields))
        {
            var expected = Catalog.Forms.Where(f => f.Fields.Any(x => x.Field == $"{field.Entity}.{field.Field}")).Select(f => f.Id);
            Assert.That(field.LegacyForms, Is.EquivalentTo(expected), field.Path);
            var pool = Schema.Entity(field.Entity).Fields[field.Field];
            Assert.That(field.Type, Is.EqualTo(pool.Type), field.Path);
            Assert.That(field.Label, Is.EqualTo(pool.Labels), field.Path);
            Assert.That(field.Codes is null, Is.EqualTo(pool.CodeTable is null), field.Path);
        }

        Assert.That(Form.Section("members").Repeating);
        Assert.That(Form.Sections.Where(s => s.PerMember).Select(s => s.Entity),
            Is.EquivalentTo(new[] { "elderly", "disability", "social_assistance", "employment", "family_doctor", "special_care", "guardianship", "land_contract" }));
        Assert.That(Form.Section("members").Fields.Single(f => f.Name == "phone").Path, Is.EqualTo("members[].phone"));
        Assert.That(Form.Section("elderly").Fields.Single(f => f.Name == "since").Path, Is.EqualTo("members[].elderly.since"));
    }

    [Test]
    public void The_legacy_fields_no_pool_field_holds_are_the_ones_no_longer_asked_of_communities()
    {
        var unmapped = Catalog.Forms.SelectMany(f => f.Fields.Where(x => !x.Mapped).Select(x => (Form: f, Field: x))).ToList();
        Assert.That(unmapped, Is.Not.Empty);
        foreach (var (form, field) in unmapped)
        {
            // Either a total a generated report computes, or a value gone from the community's work (and why).
            Assert.That(field.Unmapped, form.IsReport ? Does.StartWith("computed") : Does.StartWith("gone:"), $"{form.Id}: {field.Label}");
        }
    }

    [Test]
    public void The_rules_speak_Chinese_and_name_the_field()
    {
        var rules = new FormRules();
        var phone = Form.Section("members").Fields.Single(f => f.Name == "phone");
        var id = Form.Section("members").Fields.Single(f => f.Name == "id_number");
        var since = Form.Section("elderly").Fields.Single(f => f.Name == "since");
        var errors = rules.Check([
            new SubmittedValue("members[0].phone", phone, "12345"),
            new SubmittedValue("members[1].id_number", id, "110101195703020011"),
            new SubmittedValue("members[1].elderly.since", since, "1990-01-01"),
            new SubmittedValue("members[2].id_number", id, "110101195703020017"),
        ]);
        Assert.That(errors["members[0].phone"], Is.EqualTo(new[] { "联系电话不是有效的电话号码" }));
        Assert.That(errors["members[1].id_number"][0], Does.StartWith("公民身份号码不是有效的公民身份号码"));
        Assert.That(errors["members[1].elderly.since"], Is.EqualTo(new[] { "享受起始日期不能早于2000-01-01" }));
        Assert.That(errors.ContainsKey("members[2].id_number"), Is.False, "a valid ID number passes");
    }
}
