using DataPool.Core.Access;
using DataPool.Core.Forms;
using DataPool.Core.Schema;

namespace DataPool.Core.Tests.Forms;

/// <summary>
/// The unified form and the community worker's grant agree: the worker sees on the form what their grant shows through
/// the query API, and exactly these fields are withheld (the amounts paid and a diagnosis).
/// </summary>
public sealed class FormGrantTests
{
    private static readonly SchemaCatalog Schema = SchemaCatalog.Load(SchemaCatalog.Locate());
    private static readonly FormDefinition Form = UnifiedForm.Load(Schema.Root, Schema, LegacyFormCatalog.Load(Schema.Root, Schema));
    private static readonly PoolAccess Access = new(Schema, AccessGrants.Load(Schema), null!);
    private static readonly Viewer Worker = new("w", PoolAccess.WorkerRole, null, "110101001001");

    private static bool Shows(string entity, string field) =>
        Access.ViewOf(Worker, entity) is { } view && view.Shows(field) && !view.Masks(field);

    [Test]
    public void A_worker_is_withheld_only_the_amounts_paid_the_disability_detail_and_diagnoses_the_form_asks_for()
    {
        var withheld = Form.Sections.SelectMany(s => s.Fields).Where(f => !Shows(f.Entity, f.Field)).Select(f => $"{f.Entity}.{f.Field}").ToList();
        Assert.That(withheld, Is.EquivalentTo(new[]
        {
            "social_assistance.monthly_amount", "special_care.monthly_amount", "family_doctor.chronic_conditions",
            "disability.certificate_no", "disability.category", "disability.grade",
        }));
    }

    [Test]
    public void A_form_as_a_viewer_sees_it_withholds_value_and_source_of_what_the_viewer_may_not_see()
    {
        var value = new FieldValue("1100", "civil-affairs", "civil-affairs", "2026-10-31");
        var form = new HouseholdForm("H1", "110101001001", "tag",
            new Dictionary<string, IReadOnlyDictionary<string, FieldValue>>(),
            [new MemberValues(7, new Dictionary<string, IReadOnlyDictionary<string, FieldValue>>
            {
                ["social_assistance"] = new Dictionary<string, FieldValue> { ["monthly_amount"] = value, ["status"] = value with { Value = "1" } },
            })]);

        var shown = form.As(Form, Shows).Members[0].Sections["social_assistance"];
        Assert.That(shown["monthly_amount"], Is.EqualTo(FieldValue.WithheldValue));
        Assert.That(shown["monthly_amount"].Withheld, Is.True);
        Assert.That(shown["status"], Is.EqualTo(value with { Value = "1" }));
        Assert.That(form.As(Form, (_, _) => true).Members[0].Sections["social_assistance"]["monthly_amount"], Is.EqualTo(value), "an admin's form is whole");
    }
}
