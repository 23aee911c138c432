using System.CommandLine;
using System.Diagnostics;
using DataPool.Core.Seeding;

namespace DataPool.Server.Cli;

/// <summary><c>seed --persons N --out DIR [--seed S]</c>: the demo world at any scale, deterministic by seed.</summary>
public static class SeedCommand
{
    public static Command Create()
    {
        var persons = new Option<int>("--persons") { Description = "How many residents", DefaultValueFactory = _ => 5_000 };
        var output = new Option<string>("--out") { Description = "Folder to write the legacy exports and their definitions into", Required = true };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives the same world", DefaultValueFactory = _ => 20190101 };
        var command = new Command("seed", "Generate the demo world's legacy exports at any scale") { persons, output, seed };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var count = parse.GetValue(persons);
            if (count < 1)
            {
                await Console.Error.WriteLineAsync("seed: --persons must be at least 1");
                return ExitCodes.BadUsage;
            }

            var clock = Stopwatch.StartNew();
            var summary = await Task.Run(() => DemoWorldGenerator.Generate(new DemoWorldOptions(count, parse.GetValue(output)!, parse.GetValue(seed))), cancellationToken);
            foreach (var source in summary.Sources)
            {
                Console.WriteLine($"{source.Id}: rows={source.RowsWritten} bad={source.BadRows} duplicates={source.DuplicateRows} files={string.Join(",", source.Files)}");
            }

            Console.WriteLine($"persons={summary.Persons} households={summary.Households} communities={summary.Communities} in {clock.Elapsed.TotalSeconds:F1} s");
            return ExitCodes.Ok;
        });
        return command;
    }
}
