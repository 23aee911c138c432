using System.CommandLine;
using DataPool.Core.Sources;
using DataPool.Core.Sync;

namespace DataPool.Server.Cli;

/// <summary><c>check &lt;source.json&gt; [--rows 20]</c>: a dry run printing mapped rows and every error; writes nothing.</summary>
public static class CheckCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("source.json") { Description = "A source definition file" };
        var rows = new Option<int>("--rows") { Description = "How many mapped rows to show", DefaultValueFactory = _ => 20 };
        var command = new Command("check", "Dry run: show mapped rows and errors, write nothing") { file, rows };
        command.SetAction((parse, cancellationToken) => CliHost.RunAsync(parse, async (services, ct) =>
        {
            if (parse.GetValue(rows) < 0)
            {
                await Console.Error.WriteLineAsync("check: --rows must be 0 or more");
                return ExitCodes.BadUsage;
            }

            var source = services.GetRequiredService<SourceDefinitionLoader>().Load(parse.GetValue(file)!);
            var result = await services.GetRequiredService<SourceChecker>().CheckAsync(source, parse.GetValue(rows), ct);
            foreach (var row in result.Rows)
            {
                var values = string.Join("  ", row.Values.Select(v => $"{v.Key}={v.Value ?? "∅"}"));
                var flags = string.Join("  ", row.Flags.Select(f => $"{f.Key}⚑'{f.Value.Raw}'"));
                Console.WriteLine($"{row.Stream} | {row.Location} | {values}{(flags.Length > 0 ? "  " + flags : "")}{(row.Reasons.Count > 0 ? "  ✗" : "")}");
            }

            if (result.Errors.Count > 0)
            {
                if (result.Rows.Count > 0)
                {
                    Console.WriteLine();
                }

                Console.WriteLine($"errors ({result.Bad} rows would be quarantined{(result.Bad > result.Errors.Count ? $", first {result.Errors.Count} shown" : "")}):");
                foreach (var error in result.Errors)
                {
                    Console.WriteLine($"  {error.Stream} | {error.Location}: {string.Join("; ", error.Reasons)}");
                }
            }

            Console.WriteLine($"{result.SourceId}: read={result.Read} ok={result.Read - result.Bad} bad={result.Bad}{(result.Passed ? "" : " failed")}");
            if (!result.Passed)
            {
                await Console.Error.WriteLineAsync($"{result.SourceId}: {result.Failure}");
                return ExitCodes.Failed;
            }

            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
