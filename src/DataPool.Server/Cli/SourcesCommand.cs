using System.CommandLine;
using System.Text;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Server.Cli;

/// <summary>
/// <c>sources export DIR</c> and <c>sources import DIR</c>: move definition files out of the pool and in.
/// Exported files are the definitions as stored (comments kept, secrets as their <c>${env:…}</c>
/// references); imported ones resolve their relative paths against DIR, like any definition file.
/// </summary>
public static class SourcesCommand
{
    private const string Pattern = "*.source.json";

    public static Command Create()
    {
        var command = new Command("sources", "Move source definition files in and out of the pool") { Export(), Import() };
        return command;
    }

    private static Command Export()
    {
        var folder = new Argument<string>("DIR") { Description = "Folder to write <id>.source.json files into (created if missing)" };
        var command = new Command("export", "Write every registered definition as <id>.source.json") { folder };
        command.SetAction((parse, cancellationToken) => CliHost.RunAsync(parse, async (services, ct) =>
        {
            var target = Path.GetFullPath(parse.GetValue(folder)!);
            Directory.CreateDirectory(target);
            var database = services.GetRequiredService<PoolDatabase>();
            var count = 0;
            foreach (var stored in await SourceRegistry.StoredAsync(database, ct))
            {
                var file = Path.Combine(target, stored.Id + ".source.json");
                await File.WriteAllTextAsync(file, stored.Json, new UTF8Encoding(false), ct);
                Console.WriteLine($"{stored.Id}: {file}");
                count++;
            }

            Console.WriteLine($"exported {count} source(s) to {target}");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    private static Command Import()
    {
        var folder = new Argument<string>("DIR") { Description = $"Folder whose {Pattern} files are registered (or updated)" };
        var command = new Command("import", $"Register every {Pattern} of DIR; all are validated first, and one bad file imports none") { folder };
        command.SetAction((parse, cancellationToken) => CliHost.RunAsync(parse, async (services, ct) =>
        {
            var source = parse.GetValue(folder)!;
            if (!Directory.Exists(source))
            {
                await Console.Error.WriteLineAsync($"sources import: no folder '{source}'");
                return ExitCodes.BadUsage;
            }

            var files = Directory.EnumerateFiles(source, Pattern, SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal).ToList();
            if (files.Count == 0)
            {
                await Console.Error.WriteLineAsync($"sources import: no {Pattern} in {Path.GetFullPath(source)}");
                return ExitCodes.Failed;
            }

            // Every file is read before any is registered, so one bad file leaves the pool as it was;
            // every problem of every file is listed, each line naming the file and the JSON path.
            var loader = services.GetRequiredService<SourceDefinitionLoader>();
            var loaded = new List<LoadedSource>();
            var errors = new List<string>();
            foreach (var file in files)
            {
                try
                {
                    loaded.Add(loader.Load(file));
                }
                catch (SourceDefinitionException e)
                {
                    errors.Add(e.Message);
                }
            }

            errors.AddRange(loaded.GroupBy(s => s.Definition.Id, StringComparer.Ordinal).Where(g => g.Count() > 1)
                .Select(g => $"{string.Join(", ", g.Select(s => s.File))}: $.id: '{g.Key}' is defined more than once"));
            if (errors.Count > 0)
            {
                foreach (var error in errors)
                {
                    await Console.Error.WriteLineAsync(error);
                }

                await Console.Error.WriteLineAsync($"sources import: nothing imported ({errors.Count} problem(s))");
                return ExitCodes.BadUsage;
            }

            var registry = services.GetRequiredService<SourceRegistry>();
            foreach (var definition in loaded)
            {
                await registry.UpsertAsync(definition, ct);
                Console.WriteLine($"{definition.Definition.Id}: {definition.File}");
            }

            Console.WriteLine($"imported {loaded.Count} source(s) from {Path.GetFullPath(source)}");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
