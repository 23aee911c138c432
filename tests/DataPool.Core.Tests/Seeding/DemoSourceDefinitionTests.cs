using System.Text;
using ClosedXML.Excel;
using DataPool.Abstractions;
using DataPool.Connectors.Csv;
using DataPool.Connectors.Excel;
using DataPool.Core.Schema;
using DataPool.Demo.Seeding;
using DataPool.Core.Sources;
using DataPool.Core.Sync;
using static DataPool.Core.Tests.Seeding.DemoWorlds;

namespace DataPool.Core.Tests.Seeding;

/// <summary>The source definitions next to the exports fit their files, the contract and the pipeline.</summary>
public class DemoSourceDefinitionTests
{
    private static readonly string[] Definitions =
    [
        "hukou/hukou.source.json", "civil-affairs/civil-affairs.source.json", "disability/disability.source.json",
        "veterans/veterans.source.json", "ledgers/ledger.source.json", "visits/visits.source.json",
    ];

    /// <summary>Every generated definition: the file exports above plus the employment registry's SQL database.</summary>
    private static readonly string[] AllDefinitions = [.. Definitions, "employment/employment.source.json"];

    private static IEnumerable<TestCaseData> CommittedDefinitions() =>
        Definitions.Select(d => new TestCaseData(d).SetName($"CommittedFromColumnsExist({d})"));

    [TestCaseSource(nameof(CommittedDefinitions))]
    public void FromColumnsOfTheCommittedDefinitionsExistInTheirFiles(string definition) =>
        AssertFromColumnsExist(Path.Combine(CommittedSeeds(), definition));

    [TestCaseSource(nameof(Definitions))]
    public void FromColumnsOfGeneratedDefinitionsExistInTheirFiles(string definition) =>
        AssertFromColumnsExist(Path.Combine(DefaultWorld, definition));

    [Test]
    public void TheSummaryNamesEveryDefinitionAndFile()
    {
        Assert.That(DemoSummary.Sources.Select(s => s.Definition), Is.EquivalentTo(AllDefinitions));
        foreach (var file in DemoSummary.Sources.SelectMany(s => s.Files))
        {
            Assert.That(File.Exists(Path.Combine(DefaultWorld, file)), file);
        }
    }

    [TestCaseSource(nameof(AllDefinitions))]
    public void TheDefinitionPassesTheLoader(string definition)
    {
        var loaded = Loader().Load(Path.Combine(DefaultWorld, definition));
        Assert.That(loaded.Definition.Streams, Is.Not.Empty);
    }

    /// <summary>
    /// The product's own dry run (connectors, mapping, validation) quarantines exactly the rows
    /// expected.json lists, at the locations it names: the summary is what a correct sync reports.
    /// </summary>
    [Test]
    public async Task TheDryRunQuarantinesExactlyTheInjectedRows()
    {
        var (catalog, connectors) = Pipeline();
        var loader = new SourceDefinitionLoader(catalog, connectors);
        var checker = new SourceChecker(catalog, connectors);
        foreach (var source in DemoSummary.Sources)
        {
            var result = await checker.CheckAsync(loader.Load(Path.Combine(DefaultWorld, source.Definition)), 0);
            Assert.That(result.Failure, Is.Null, source.Id);
            Assert.That(result.Read, Is.EqualTo(source.ExpectedRead), $"{source.Id}: read");
            Assert.That(result.Bad, Is.EqualTo(source.ExpectedQuarantined), $"{source.Id}: quarantined");

            var expected = source.Streams.SelectMany(s => s.BadRows.Select(b => $"{s.Name} {b.Location}")).Order(StringComparer.Ordinal).ToList();
            var actual = result.Errors.Select(e => $"{e.Stream} {e.Location}").Order(StringComparer.Ordinal).ToList();
            Assert.That(actual, Is.EqualTo(expected), $"{source.Id}: the quarantined rows");
        }
    }

    [Test]
    public void TheCommittedSeedsAreTheDefaultDemoWorld()
    {
        var seeds = CommittedSeeds();
        var committed = DemoWorldGenerator.ReadSummary(Path.Combine(seeds, DemoWorldGenerator.ExpectedFile));
        Assert.That(DemoWorldGenerator.ToJson(committed), Is.EqualTo(DemoWorldGenerator.ToJson(DemoSummary)), "seeds/expected.json is stale: regenerate seeds");
        foreach (var file in DemoSummary.Sources.SelectMany(s => s.Files.Append(s.Definition)).Where(f => !f.EndsWith(".xlsx", StringComparison.Ordinal)))
        {
            Assert.That(File.ReadAllBytes(Path.Combine(seeds, file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(DefaultWorld, file))), $"seeds/{file} is stale");
        }
    }

    private static void AssertFromColumnsExist(string definitionFile)
    {
        var folder = Path.GetDirectoryName(definitionFile)!;
        var (source, streams) = ReadDefinition(definitionFile);
        var kind = source.GetProperty("kind").GetString();
        foreach (var (stream, settings) in streams)
        {
            var name = stream.GetProperty("name").GetString();
            var file = Path.Combine(folder, settings["path"].GetString()!);
            var headerRow = settings.TryGetValue("headerRow", out var h) ? h.GetInt32() : 1;
            var headers = kind == "csv"
                ? [CsvHeader(file, settings.TryGetValue("encoding", out var e) ? e.GetString()! : "utf-8", headerRow)]
                : ExcelHeaders(file, settings.TryGetValue("sheets", out var s) ? s.EnumerateArray().Select(x => x.GetString()!).ToList() : null, headerRow);
            var from = stream.GetProperty("fields").EnumerateObject()
                .SelectMany(f => f.Value.GetProperty("from") is { ValueKind: System.Text.Json.JsonValueKind.Array } list
                    ? list.EnumerateArray().Select(x => x.GetString()!)
                    : [f.Value.GetProperty("from").GetString()!])
                .Concat(stream.GetProperty("key").EnumerateArray().Select(k => k.GetString()!))
                .Distinct()
                .ToList();
            Assert.That(from, Is.Not.Empty);
            foreach (var header in headers)
            {
                Assert.That(header, Is.SupersetOf(from), $"{Path.GetFileName(definitionFile)} stream {name}: columns of {Path.GetFileName(file)}");
            }
        }
    }

    private static List<string> CsvHeader(string file, string encoding, int headerRow)
    {
        var text = encoding.Equals("utf-8", StringComparison.OrdinalIgnoreCase) ? Encoding.UTF8 : Gb18030();
        return File.ReadLines(file, text).Skip(headerRow - 1).First().Split(',').Select(c => c.Trim()).ToList();
    }

    private static List<List<string>> ExcelHeaders(string file, List<string>? sheets, int headerRow)
    {
        using var book = new XLWorkbook(file);
        var selected = sheets is null ? book.Worksheets.ToList() : sheets.Select(n => book.Worksheet(n)).ToList();
        Assert.That(selected, Is.Not.Empty, file);
        return selected.Select(sheet => SheetHeader(sheet, headerRow)).ToList();
    }

    private static (SchemaCatalog, IConnector[]) Pipeline() =>
        (SchemaCatalog.Load(SchemaCatalog.Locate()), [new CsvConnector(), new ExcelConnector(), new DataPool.Connectors.Sql.SqlConnector()]);

    private static SourceDefinitionLoader Loader()
    {
        var (catalog, connectors) = Pipeline();
        return new SourceDefinitionLoader(catalog, connectors);
    }
}
