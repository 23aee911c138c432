using System.Diagnostics;
using DataPool.Demo.Seeding;

namespace DataPool.Demo.Verbs;

/// <summary>The <c>seed</c> verb's work: generates the demo world and reports it, one line per source and a total.</summary>
public static class SeedVerb
{
    public static DemoWorldSummary Run(DemoWorldOptions options, TextWriter output)
    {
        var clock = Stopwatch.StartNew();
        var summary = DemoWorldGenerator.Generate(options);
        foreach (var source in summary.Sources)
        {
            output.WriteLine($"{source.Id}: rows={source.RowsWritten} bad={source.BadRows} duplicates={source.DuplicateRows} files={string.Join(",", source.Files)}");
        }

        output.WriteLine($"persons={summary.Persons} households={summary.Households} communities={summary.Communities} in {clock.Elapsed.TotalSeconds:F1} s");
        return summary;
    }
}
