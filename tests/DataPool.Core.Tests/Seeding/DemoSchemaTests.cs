using DataPool.Core.Schema;
using DataPool.Demo.Seeding.Sources;

namespace DataPool.Core.Tests.Seeding;

/// <summary>The pool entity files and code tables the demo world maps onto.</summary>
public class DemoSchemaTests
{
    private static readonly string[] FactEntities = ["elderly", "disability", "social_assistance", "employment", "family_doctor", "special_care"];
    private static readonly string[] Departments = ["public-security", "civil-affairs", "disabled-persons-federation", "human-resources", "health-commission", "veterans-affairs", "community"];

    private static readonly Lazy<SchemaCatalog> Catalog = new(() => SchemaCatalog.Load(SchemaCatalog.Locate()));

    [Test]
    public void EveryEntityLoadsWithKnownDepartments()
    {
        var entities = Catalog.Value.Entities;
        Assert.That(entities.Keys, Is.SupersetOf(FactEntities.Concat(["person", "household", "community"])));
        foreach (var entity in entities.Values)
        {
            Assert.That(Departments, Does.Contain(entity.Department), entity.Name);
            foreach (var field in entity.Fields.Values)
            {
                Assert.That(Departments, Does.Contain(entity.OwnerOf(field)), $"{entity.Name}.{field.Name}");
            }
        }

        Assert.That(entities["household"].Key, Is.EqualTo(new[] { "household_no" }));
        Assert.That(entities["community"].Key, Is.EqualTo(new[] { "community_code" }));
        Assert.That(entities["community"].Fields["community_code"].Format, Is.EqualTo("division"));
    }

    [TestCaseSource(nameof(FactEntities))]
    public void AFactEntityIsKeyedByTheIdNumberOfItsPerson(string name)
    {
        var entity = Catalog.Value.Entity(name);
        Assert.That(entity.Key, Is.EqualTo(new[] { "id_number" }));
        Assert.That(entity.Fields["id_number"].Format, Is.EqualTo("id_number"));
        Assert.That(entity.Fields["id_number"].Pii, Is.EqualTo(PiiClasses.Sensitive));
    }

    [Test]
    public void EthnicityHasTheFiftySixGroupsWithShortNamesAndPinyin()
    {
        var table = Catalog.Value.CodeTables["ethnicity"];
        var groups = Enumerable.Range(1, 56).Select(n => n.ToString("D2", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.That(table.Codes.Keys, Is.SupersetOf(groups));
        Assert.That(table.Codes["01"], Is.EqualTo("汉族"));
        Assert.That(table.Codes["56"], Is.EqualTo("基诺族"));
        foreach (var code in groups)
        {
            Assert.That(table.Codes[code], Does.EndWith("族"), code);
            Assert.That(table.Aliases[table.Codes[code][..^1]], Is.EqualTo(code), $"alias without 族 for {code}");
        }

        Assert.That(table.Aliases["Han"], Is.EqualTo("01"));
        Assert.That(table.Aliases["Uyghur"], Is.EqualTo("05"));
        Assert.That(Render.Ethnicities, Is.EquivalentTo(table.Codes), "the generator writes the table's labels");
    }

    [Test]
    public void EveryAliasPointsAtACode()
    {
        foreach (var table in Catalog.Value.CodeTables.Values)
        {
            foreach (var (alias, code) in table.Aliases)
            {
                Assert.That(table.Codes.ContainsKey(code), $"{table.Name}: alias '{alias}' → '{code}'");
                Assert.That(table.Codes.Values, Does.Not.Contain(alias), $"{table.Name}: '{alias}' is already a label");
            }
        }
    }

    [Test]
    public void TheRelationTableFollowsGbT4761()
    {
        var table = Catalog.Value.CodeTables["relation"];
        Assert.That(table.Codes["01"], Is.EqualTo("本人"));
        Assert.That(table.Codes["02"], Is.EqualTo("户主"));
        Assert.That(table.Codes["10"], Is.EqualTo("配偶"));
        Assert.That(table.Codes["20"], Is.EqualTo("子"));
        Assert.That(table.Codes["30"], Is.EqualTo("女"));
        Assert.That(table.Codes["51"], Is.EqualTo("父亲"));
        Assert.That(table.Codes["99"], Is.EqualTo("非亲属"));
        Assert.That(table.Codes.Keys, Is.All.Length.EqualTo(2));
        Assert.That(table.Aliases["之子"], Is.EqualTo("20"));
        Assert.That(table.Aliases["女儿"], Is.EqualTo("30"));
        Assert.That(table.Aliases["户主本人"], Is.EqualTo("02"));
    }

    [Test]
    public void EverySpellingTheGeneratorWritesResolvesToItsCode()
    {
        var tables = Catalog.Value.CodeTables;
        foreach (var (text, code) in Render.RelationSpellings)
        {
            Assert.That(Resolve(tables["relation"], text, null), Is.EqualTo(code), $"relation '{text}'");
        }

        foreach (var (code, spellings) in VeteransSource.CareSpellings)
        {
            foreach (var text in spellings)
            {
                Assert.That(Resolve(tables["care_type"], text, VeteransSource.OwnCodes), Is.EqualTo(code), $"care type '{text}'");
            }
        }

        foreach (var (code, spellings) in LedgerSource.HousingSpellings)
        {
            foreach (var text in spellings)
            {
                Assert.That(Resolve(tables["housing_type"], text, LedgerSource.OwnHousingCodes), Is.EqualTo(code), $"housing '{text}'");
            }
        }

        string[] categories = ["视力", "听力", "言语", "肢体", "智力", "精神", "多重"];
        for (var i = 0; i < categories.Length; i++)
        {
            Assert.That(Resolve(tables["disability_category"], categories[i], null), Is.EqualTo((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        Assert.That(Resolve(tables["assistance_type"], "低保", null), Is.EqualTo("1"));
        Assert.That(Resolve(tables["assistance_status"], "暂停", null), Is.EqualTo("2"));
        Assert.That(Resolve(tables["allowance_type"], "90-99周岁", null), Is.EqualTo("2"));
        Assert.That(Resolve(tables["disability_grade"], "三级", null), Is.EqualTo("3"));
        Assert.That(Resolve(tables["household_type"], "家庭户", null), Is.EqualTo("1"));
    }

    [Test]
    public void TheInjectedUnknownCodesResolveToNothing()
    {
        var tables = Catalog.Value.CodeTables;
        Assert.That(Resolve(tables["gender"], "未知x", null), Is.Null);
        Assert.That(Resolve(tables["disability_category"], "待评定", null), Is.Null);
        Assert.That(Resolve(tables["disability_category"], "其它类", null), Is.Null);
        Assert.That(Resolve(tables["assistance_status"], "核查中", null), Is.Null);
        Assert.That(Resolve(tables["allowance_type"], "待核定", null), Is.Null);
        Assert.That(Resolve(tables["care_type"], "待认定", VeteransSource.OwnCodes), Is.Null);
        Assert.That(Resolve(tables["housing_type"], "待查", LedgerSource.OwnHousingCodes), Is.Null);
    }

    /// <summary>A code from a source value: the source's own map, then the table's codes, labels and aliases.</summary>
    private static string? Resolve(CodeTable table, string text, IReadOnlyDictionary<string, string>? own)
    {
        if (own is not null && own.TryGetValue(text, out var mapped))
        {
            return mapped;
        }

        if (table.Codes.ContainsKey(text))
        {
            return text;
        }

        var byLabel = table.Codes.Where(c => c.Value == text).Select(c => c.Key).FirstOrDefault();
        return byLabel ?? (table.Aliases.TryGetValue(text, out var alias) ? alias : null);
    }
}
