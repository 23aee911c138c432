using DataPool.Core.Reports;
using DataPool.Core.Schema;

namespace DataPool.Core.Tests.Reports;

/// <summary>The definitions in schemas/reports load; a bad one is refused with its file and the JSON path of each problem.</summary>
public sealed class ReportDefinitionTests
{
    private static readonly SchemaCatalog Catalog = SchemaCatalog.Load(SchemaCatalog.Locate());
    private string _folder = null!;

    [SetUp]
    public void Folder() => _folder = Directory.CreateTempSubdirectory("datapool-report-defs-").FullName;

    [TearDown]
    public void Remove() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void The_shipped_definitions_load_with_schedules_and_retention()
    {
        var reports = ReportCatalog.Load(Catalog);
        Assert.That(reports.Reports, Has.Count.GreaterThanOrEqualTo(7));
        Assert.That(reports.Reports.Values.Select(r => r.Schedule?.TimeZone), Has.All.EqualTo("Asia/Shanghai"));
        Assert.That(reports.Reports.Values.Where(r => r.Roster).Select(r => r.Id), Is.EqualTo(new[] { "dibao-roster" }));
    }

    [TestCase("""{ "field": "person.nmae", "op": "eq", "value": "x" }""", "$.measures[0].where[0].field", "'nmae' is not a field of person")]
    [TestCase("""{ "field": "person.gender", "op": "eq", "value": "7" }""", "$.measures[0].where[0].value", "'7' is not a code of gender")]
    [TestCase("""{ "field": "person.age", "op": "between", "value": [18] }""", "$.measures[0].where[0].value", "between takes [low, high]")]
    [TestCase("""{ "field": "disability.grade", "op": "eq", "value": "1" }""", "$.measures[0].where[0].field", "'disability' is not the report's entity or a joined one")]
    public void A_bad_filter_is_refused_naming_file_and_path(string filter, string path, string message)
    {
        var error = Assert.Throws<ReportDefinitionException>(() => Load(Definition(where: filter)))!;
        Assert.That(error.Message, Does.Contain($"bad-report.json: {path}: {message}"));
    }

    [Test]
    public void Structure_is_checked_by_the_json_schema()
    {
        var error = Assert.Throws<ReportDefinitionException>(() => Load(Definition(extra: "\"colour\": \"red\",")))!;
        Assert.That(error.Message, Does.Contain("bad-report.json: $"));
        Assert.That(error.Message, Does.Contain("colour"));
    }

    [Test]
    public void A_personal_column_needs_the_report_to_be_a_roster()
    {
        var error = Assert.Throws<ReportDefinitionException>(() => Load(Definition(group: "person.name")))!;
        Assert.That(error.Message, Does.Contain("bad-report.json: $.groupBy[0].field: 'person.name' is personal data"));
        Assert.That(Load(Definition(group: "person.name", extra: "\"roster\": true,")).Reports["bad-report"].Roster, Is.True);
    }

    [Test]
    public void A_join_must_go_by_the_joined_entitys_key_and_the_cron_must_parse()
    {
        var error = Assert.Throws<ReportDefinitionException>(() => Load(Definition(joins: """[{ "entity": "household", "on": "community_code" }]""", cron: "61 * * * *")))!;
        Assert.That(error.Message, Does.Contain("$.joins[0].on: a join goes by the joined entity's key"));
        Assert.That(error.Message, Does.Contain("$.schedule.cron:"));
    }

    private ReportCatalog Load(string json)
    {
        File.WriteAllText(Path.Combine(_folder, "bad-report.json"), json);
        File.Copy(Path.Combine(Catalog.Root, ReportCatalog.Folder, ReportCatalog.SchemaFile), Path.Combine(_folder, ReportCatalog.SchemaFile), overwrite: true);
        return ReportCatalog.Load(Catalog, _folder);
    }

    private static string Definition(string where = """{ "field": "person.gender", "op": "eq", "value": "1" }""", string group = "person.community_code",
        string extra = "", string joins = "[]", string cron = "0 6 1 * *") => $$"""
        {
          {{extra}}
          "id": "bad-report",
          "title": { "zh": "测试", "en": "Test" },
          "department": "civil-affairs",
          "entity": "person",
          "joins": {{joins}},
          "groupBy": [{ "field": "{{group}}" }],
          "measures": [{ "id": "n", "label": { "zh": "人数", "en": "Persons" }, "where": [{{where}}] }],
          "schedule": { "cron": "{{cron}}" },
        }
        """;
}
