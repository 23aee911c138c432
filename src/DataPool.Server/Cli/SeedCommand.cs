using System.CommandLine;
using DataPool.Demo.Seeding;
using DataPool.Demo.Verbs;

namespace DataPool.Server.Cli;

/// <summary>
/// <c>seed --persons N --out DIR [--seed S]</c>: the demo world at any scale, deterministic by seed. The options and
/// exit codes are the command line's; the generating is the demo project's (<see cref="SeedVerb"/>).
/// </summary>
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

            await Task.Run(() => SeedVerb.Run(new DemoWorldOptions(count, parse.GetValue(output)!, parse.GetValue(seed)), Console.Out), cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }
}
