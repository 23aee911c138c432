using System.Text;
using System.Text.Json;
using ClosedXML.Excel;
using DataPool.Demo.Seeding;

namespace DataPool.Core.Tests.Seeding;

/// <summary>
/// Generates the demo worlds the seeding tests look at, once: the demo scale with the default seed
/// (twice, to compare bytes) and with another seed; deletes them afterwards.
/// </summary>
[SetUpFixture]
public sealed class DemoWorlds
{
    public const int DemoPersons = 5_000;
    public const int OtherSeed = 7;

    private static string? s_root;

    public static string DefaultWorld => Path.Combine(Root, "demo");
    public static string DemoAgain => Path.Combine(Root, "demo-again");
    public static string OtherSeedWorld => Path.Combine(Root, "other-seed");
    public static DemoWorldSummary DemoSummary { get; private set; } = null!;
    public static DemoWorldSummary DemoAgainSummary { get; private set; } = null!;
    public static DemoWorldSummary OtherSeedSummary { get; private set; } = null!;

    private static string Root => s_root ?? throw new InvalidOperationException("the demo worlds are not generated");

    [OneTimeSetUp]
    public void Generate()
    {
        s_root = Directory.CreateTempSubdirectory("datapool-seeding-").FullName;
        DemoSummary = DemoWorldGenerator.Generate(new DemoWorldOptions(DemoPersons, DefaultWorld));
        DemoAgainSummary = DemoWorldGenerator.Generate(new DemoWorldOptions(DemoPersons, DemoAgain));
        OtherSeedSummary = DemoWorldGenerator.Generate(new DemoWorldOptions(DemoPersons, OtherSeedWorld, OtherSeed));
    }

    [OneTimeTearDown]
    public void Delete()
    {
        if (s_root is not null && Directory.Exists(s_root))
        {
            Directory.Delete(s_root, recursive: true);
        }
    }

    /// <summary>The repository's seeds folder (the committed demo world).</summary>
    public static string CommittedSeeds()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "schemas", "pool")) && Directory.Exists(Path.Combine(dir.FullName, "seeds")))
            {
                return Path.Combine(dir.FullName, "seeds");
            }
        }

        throw new DirectoryNotFoundException("no seeds folder above the test binaries");
    }

    public static Encoding Gb18030()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GB18030");
    }

    /// <summary>The lines of a CSV file, split on commas (the demo exports never quote).</summary>
    public static List<string[]> CsvLines(string file, Encoding encoding)
    {
        var lines = File.ReadAllLines(file, encoding);
        Assert.That(lines.Any(l => l.Contains('"')), Is.False, $"{file} has quotes; the simple split would misread it");
        return lines.Where(l => l.Length > 0).Select(l => l.Split(',')).ToList();
    }

    /// <summary>The text of a header cell, reading a merged cell's value from its top-left cell.</summary>
    public static string HeaderText(IXLWorksheet sheet, int row, int column)
    {
        var cell = sheet.Cell(row, column);
        var range = sheet.MergedRanges.FirstOrDefault(r => r.Contains(cell));
        var source = range is null ? cell : range.FirstCell();
        return source.GetString().Trim();
    }

    /// <summary>The column names of a sheet's header row.</summary>
    public static List<string> SheetHeader(IXLWorksheet sheet, int headerRow)
    {
        var last = sheet.Row(headerRow).LastCellUsed()?.Address.ColumnNumber ?? 0;
        return Enumerable.Range(1, last).Select(c => HeaderText(sheet, headerRow, c)).ToList();
    }

    /// <summary>A source definition file with each stream's settings merged over the source's.</summary>
    public static (JsonElement Source, List<(JsonElement Stream, Dictionary<string, JsonElement> Settings)> Streams) ReadDefinition(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var source = document.RootElement.Clone();
        var streams = new List<(JsonElement, Dictionary<string, JsonElement>)>();
        foreach (var stream in source.GetProperty("streams").EnumerateArray())
        {
            var settings = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            if (source.TryGetProperty("settings", out var sourceSettings))
            {
                foreach (var p in sourceSettings.EnumerateObject())
                {
                    settings[p.Name] = p.Value;
                }
            }

            if (stream.TryGetProperty("settings", out var streamSettings))
            {
                foreach (var p in streamSettings.EnumerateObject())
                {
                    settings[p.Name] = p.Value;
                }
            }

            streams.Add((stream, settings));
        }

        return (source, streams);
    }
}
