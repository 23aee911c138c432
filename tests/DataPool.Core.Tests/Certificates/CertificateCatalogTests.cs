using System.Text.Json.Nodes;
using DataPool.Core.Certificates;
using DataPool.Core.Schema;

namespace DataPool.Core.Tests.Certificates;

/// <summary>schemas/certificates/catalog.json: the certificate kinds communities used to issue, validated at load.</summary>
public sealed class CertificateCatalogTests
{
    private static readonly string Root = SchemaCatalog.Locate();

    [Test]
    public void The_catalog_holds_at_least_15_kinds_and_the_four_that_remain_are_issued()
    {
        var catalog = CertificateCatalog.Load(Root);
        Assert.That(catalog.Kinds, Has.Count.GreaterThanOrEqualTo(15));
        Assert.That(catalog.Kinds.Select(k => k.Id), Is.Unique);
        Assert.That(catalog.Kinds.Where(k => k.Replacement == Replacements.Issued).Select(k => k.Issues), Is.EquivalentTo(CertificateCatalog.IssuedKinds));
        Assert.That(catalog.Kinds.Select(k => k.Replacement).Distinct(), Is.EquivalentTo(Replacements.All), "every way of replacing a certificate is used");
        Assert.That(catalog.Kinds.Where(k => k.Replacement == Replacements.Verification).Select(k => k.Claim), Has.All.Matches<string>(CertificateCatalog.Claims.Contains));
        var departments = Directory.EnumerateFiles(Path.Combine(Root, "access"), "*.json").Select(Path.GetFileNameWithoutExtension).ToHashSet();
        Assert.That(catalog.Kinds.Count(k => departments.Contains(k.AskedBy)), Is.GreaterThanOrEqualTo(15), "drawn from the departments the product models");
    }

    [Test]
    public void A_bad_catalog_is_refused_with_the_json_path_of_each_problem()
    {
        var root = Path.Combine(Path.GetTempPath(), "datapool-certificates-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(root, "certificates"));
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, CertificateCatalog.File)))!;
            json["certificates"]![0]!["issues"] = "birth";
            json["certificates"]![4]!["replacement"] = "forgotten";
            json["certificates"]![5]!["claim"] = "is-rich";
            json["certificates"]![6]!["perYear"] = 0;
            File.WriteAllText(Path.Combine(root, CertificateCatalog.File), json.ToJsonString());

            var error = Assert.Throws<SchemaException>(() => CertificateCatalog.Load(root))!;
            Assert.That(error.Message, Does.Contain("certificates/catalog.json: $.certificates[0].issues: "));
            Assert.That(error.Message, Does.Contain("$.certificates[4].replacement: 'forgotten' is not one of"));
            Assert.That(error.Message, Does.Contain("$.certificates[5].claim: "));
            Assert.That(error.Message, Does.Contain("$.certificates[6].perYear: "));
            Assert.That(error.Message, Does.Contain("no kind is issued as 'land-contract'"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
