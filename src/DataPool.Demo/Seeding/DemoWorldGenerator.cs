using System.Text;
using System.Text.Json;
using DataPool.Demo.Seeding.Sources;
using DataPool.Demo.Seeding.World;

namespace DataPool.Demo.Seeding;

/// <summary>
/// Builds the demo world: a Beijing street's communities and their residents, rendered as the legacy
/// exports of each department (one folder per system, its source definition next to it) with
/// realistic dirt, plus expected.json saying exactly what a correct sync must accept and quarantine.
/// Deterministic for a seed; streams community by community, so a million residents take seconds
/// and little memory.
/// </summary>
public static class DemoWorldGenerator
{
    public const string ExpectedFile = "expected.json";

    private static readonly JsonSerializerOptions SummaryJson = new(JsonSerializerDefaults.Web);

    public static DemoWorldSummary Generate(DemoWorldOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Persons, 1, nameof(options.Persons));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.OutputDirectory, nameof(options.OutputDirectory));
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

        var root = Directory.CreateDirectory(options.OutputDirectory).FullName;
        var seed = options.Seed;
        using var hukou = new HukouSource(root, seed);
        using var civil = new CivilAffairsSource(root, seed);
        using var disability = new DisabilitySource(root, seed);
        using var veterans = new VeteransSource(root, seed, options.Persons);
        using var ledger = new LedgerSource(root, seed);
        using var employment = new EmploymentSource(root, seed, options.Persons);
        using var visits = new VisitsSource(root, seed);

        int households = 0, communities = 0;
        var streets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var data in DemoWorld.Generate(options.Persons, seed))
        {
            communities++;
            households += data.Households.Count;
            streets.Add(data.Community.StreetCode);
            hukou.Add(data);
            civil.Add(data);
            disability.Add(data);
            veterans.Add(data);
            employment.Add(data);
            if (communities == 1)
            {
                ledger.Add(data);
            }
            else if (communities == 2)
            {
                visits.Add(data);
            }
        }

        // The sources finish side by side: saving the workbooks is the slow part at scale.
        Func<SourceSummary>[] finishing = [hukou.Finish, civil.Finish, disability.Finish, veterans.Finish, ledger.Finish, employment.Finish, visits.Finish];
        var sources = finishing.AsParallel().AsOrdered().Select(finish => finish()).ToList();
        Definitions.Write(root, HukouSource.Folder, "hukou.source.json", Definitions.Hukou());
        Definitions.Write(root, CivilAffairsSource.Folder, "civil-affairs.source.json", Definitions.CivilAffairs());
        Definitions.Write(root, DisabilitySource.Folder, "disability.source.json", Definitions.Disability());
        Definitions.Write(root, VeteransSource.Folder, "veterans.source.json", Definitions.Veterans());
        Definitions.Write(root, LedgerSource.Folder, "ledger.source.json", Definitions.Ledger(ledger.Community!.Name));
        Definitions.Write(root, EmploymentSource.Folder, "employment.source.json", EmploymentSource.Definition());
        Definitions.Write(root, VisitsSource.Folder, "visits.source.json", Definitions.Visits(visits.Community?.Name ?? ""));

        var summary = new DemoWorldSummary(
            seed, DemoWorld.ReferenceDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            options.Persons, households, communities, streets.Count, sources);
        File.WriteAllText(Path.Combine(root, ExpectedFile), ToJson(summary), new UTF8Encoding(false));
        return summary;
    }

    /// <summary>Reads an expected.json written by <see cref="Generate"/>.</summary>
    public static DemoWorldSummary ReadSummary(string file) =>
        JsonSerializer.Deserialize<DemoWorldSummary>(File.ReadAllText(file), SummaryJson)
        ?? throw new InvalidDataException($"{file}: empty");

    /// <summary>The summary as expected.json holds it.</summary>
    public static string ToJson(DemoWorldSummary summary) => Output.JsonPretty.Format(JsonSerializer.SerializeToNode(summary, SummaryJson));
}
