using System.Text.Json.Nodes;
using DataPool.Core.Forms;
using DataPool.Core.Schema;

namespace DataPool.Core.Tests.Forms;

/// <summary>schemas/legacy-forms: the 44 forms of the burden baseline, validated at load.</summary>
public sealed class LegacyFormCatalogTests
{
    private static readonly SchemaCatalog Schema = SchemaCatalog.Load(SchemaCatalog.Locate());

    /// <summary>The report ids the reports (schemas/reports/&lt;id&gt;.json) are written under.</summary>
    private static readonly string[] Reports =
        ["population-monthly", "elderly-allowance", "dibao-roster", "disability-category-grade", "registered-unemployed", "special-care", "household-composition"];

    [Test]
    public void The_catalog_holds_44_forms_of_which_7_are_the_reports_that_stay()
    {
        var catalog = LegacyFormCatalog.Load(Schema.Root, Schema);
        Assert.That(catalog.Forms, Has.Count.EqualTo(44));
        Assert.That(catalog.Forms.Select(f => f.Id), Is.Unique);
        Assert.That(catalog.Forms.Where(f => f.IsReport).Select(f => f.Report), Is.EquivalentTo(Reports));
        Assert.That(catalog.Forms.Select(f => f.Department).Distinct(), Is.SupersetOf(new[]
            { "public-security", "civil-affairs", "disabled-persons-federation", "human-resources", "health-commission", "veterans-affairs" }));
        Assert.That(catalog.Forms.Select(f => f.Scope).Distinct(), Is.EquivalentTo(FormScopes.All));
        Assert.That(catalog.Forms.SelectMany(f => f.Fields).Where(f => !f.Mapped).Select(f => f.Unmapped), Has.All.Not.Empty, "an unmapped field says why");
    }

    [Test]
    public void Every_report_a_legacy_form_became_is_a_report_definition()
    {
        var catalog = LegacyFormCatalog.Load(Schema.Root, Schema);
        foreach (var form in catalog.Forms.Where(f => f.IsReport))
        {
            Assert.That(File.Exists(Path.Combine(Schema.Root, "reports", form.Report + ".json")), $"{form.Id}: schemas/reports/{form.Report}.json");
        }
    }

    [Test]
    public void A_bad_catalog_is_refused_with_the_file_and_json_path_of_each_problem()
    {
        var root = Path.Combine(Path.GetTempPath(), "datapool-forms-" + Guid.NewGuid().ToString("N"));
        var folder = Path.Combine(root, LegacyFormCatalog.Folder);
        Directory.CreateDirectory(folder);
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(Schema.Root, LegacyFormCatalog.Folder, "catalog.json")))!;
            json["forms"]![2]!["fields"]![1]!["field"] = "person.nmae";
            json["forms"]![3]!["scope"] = "street";
            File.WriteAllText(Path.Combine(folder, "catalog.json"), json.ToJsonString());

            var error = Assert.Throws<SchemaException>(() => LegacyFormCatalog.Load(root, Schema))!;
            Assert.That(error.Message, Does.Contain("legacy-forms/catalog.json: $.forms[2].fields[1].field: 'person.nmae' is not a pool field"));
            Assert.That(error.Message, Does.Contain("legacy-forms/catalog.json: $.forms[3].scope: 'street' is not one of"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
