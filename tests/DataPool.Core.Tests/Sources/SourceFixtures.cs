using DataPool.Core.Schema;
using DataPool.Core.Sources;

namespace DataPool.Core.Tests.Sources;

/// <summary>
/// A private schemas folder: the repo's source.schema.json and gender code table, plus a person entity
/// of our own (int/decimal/bool fields included) so these tests do not depend on entity files other
/// work is still writing.
/// </summary>
internal static class SourceFixtures
{
    public const string PersonJson = """
        {
          "name": "person",
          "labels": { "zh": "人员", "en": "Person" },
          "key": ["id_number"],
          "department": "public-security",
          "fields": {
            "id_number":  { "type": "string", "format": "id_number", "pii": "sensitive", "labels": { "zh": "公民身份号码", "en": "ID" } },
            "name":       { "type": "string", "pii": "personal", "labels": { "zh": "姓名", "en": "Name" } },
            "gender":     { "type": "code", "codeTable": "gender", "pii": "personal", "labels": { "zh": "性别", "en": "Gender" } },
            "birth_date": { "type": "date", "pii": "personal", "labels": { "zh": "出生日期", "en": "Date of birth" } },
            "age":        { "type": "int", "labels": { "zh": "年龄", "en": "Age" } },
            "income":     { "type": "decimal", "labels": { "zh": "收入", "en": "Income" } },
            "disabled":   { "type": "bool", "labels": { "zh": "残疾", "en": "Disabled" } }
          }
        }
        """;

    /// <summary>The example of DESIGN.md, "Source definition (contract)", verbatim (comments included).</summary>
    public const string DesignExample = """
        {
          "id": "hukou",                               // [a-z0-9-], unique
          "name": "户籍系统",
          "department": "public-security",
          "kind": "csv",                               // a registered connector kind
          "settings": { "path": "persons.csv", "encoding": "GB18030", "headerRow": 1 },
          "schedule": "0 2 * * *",                     // cron; optional
          "priority": 10,                              // survivorship: higher wins ties
          "streams": [{
            "name": "persons",
            "entity": "person",                        // a file in schemas/pool
            "key": ["身份证号"],                          // source columns identifying a row in this source
            "mode": "full",                            // full (deletes detected) | incremental (cursor)
            "cursor": null,                            // source column, for incremental
            "fields": {                                // pool field ← source column
              "id_number":  { "from": "身份证号", "parse": "id_number" },
              "name":       { "from": "姓名" },
              "gender":     { "from": "性别", "codes": { "男": "1", "女": "2" } },
              "birth_date": { "from": "出生日期", "parse": "date" }
            }
          }]
        }
        """;

    private static readonly Lazy<string> Root = new(CreateRoot);

    public static SchemaCatalog Catalog() => SchemaCatalog.Load(Root.Value);

    public static SourceDefinitionLoader Loader() => new(Catalog(), ["csv", "excel"]);

    /// <summary>The repo's schemas folder, found upwards from the test binaries.</summary>
    public static string RepoSchemas()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "schemas", "source.schema.json");
            if (File.Exists(candidate))
            {
                return Path.GetDirectoryName(candidate)!;
            }
        }

        throw new InvalidOperationException("schemas/source.schema.json not found above the test folder");
    }

    private static string CreateRoot()
    {
        var root = Path.Combine(Path.GetTempPath(), "datapool-sources-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(root, "pool"));
        Directory.CreateDirectory(Path.Combine(root, "codes"));
        var repo = RepoSchemas();
        File.Copy(Path.Combine(repo, "source.schema.json"), Path.Combine(root, "source.schema.json"));
        File.Copy(Path.Combine(repo, "codes", "gender.json"), Path.Combine(root, "codes", "gender.json"));
        File.WriteAllText(Path.Combine(root, "pool", "person.json"), PersonJson);
        return root;
    }

    /// <summary>Runs <paramref name="json"/> through the loader and returns the errors it reports (none if it loads).</summary>
    public static IReadOnlyList<DefinitionError> ErrorsOf(string json)
    {
        try
        {
            Loader().Parse(json, "test.json");
            return [];
        }
        catch (SourceDefinitionException e)
        {
            return e.Errors;
        }
    }

    /// <summary>A minimal valid definition, edited by the error tests one defect at a time.</summary>
    public static string Minimal(
        string top = "",
        string stream = "",
        string fields = """ "id_number": { "from": "sfzh", "parse": "id_number" }, "gender": { "from": "xb", "codes": { "男": "1" } } """,
        string entity = "person") => $$"""
        {
          "id": "demo-1",
          "kind": "csv",
          "settings": { "path": "a.csv" },
          {{top}}
          "streams": [{
            "name": "rows",
            "entity": "{{entity}}",
            "key": ["sfzh"],
            {{stream}}
            "fields": { {{fields}} }
          }]
        }
        """;
}
