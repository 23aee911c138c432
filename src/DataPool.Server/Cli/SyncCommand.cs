using System.CommandLine;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using DataPool.Core.Sync;

namespace DataPool.Server.Cli;

/// <summary><c>sync &lt;source-id&gt;|&lt;source.json&gt;|--all</c>: a file is registered (or updated) first, then synced.</summary>
public static class SyncCommand
{
    public static Command Create()
    {
        var target = new Argument<string?>("source") { Description = "A registered source id, or a source definition file", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Sync every registered source" };
        var confirm = new Option<bool>("--confirm-deletions")
        {
            Description = "Records missing from the export are really gone: let full streams delete past the source's maxDeleteShare or from a cut-off file",
        };
        var command = new Command("sync", "Sync one source (or every source) into the pool") { target, all, confirm };
        command.SetAction((parse, cancellationToken) => CliHost.RunAsync(parse, async (services, ct) =>
        {
            var registry = services.GetRequiredService<SourceRegistry>();
            var name = parse.GetValue(target);
            IReadOnlyList<string> ids;
            if (name is not null && name.StartsWith('-'))
            {
                await Console.Error.WriteLineAsync($"sync: unknown option '{name}'");
                return ExitCodes.BadUsage;
            }

            if (parse.GetValue(all))
            {
                if (name is not null)
                {
                    await Console.Error.WriteLineAsync("sync: give a source or --all, not both");
                    return ExitCodes.BadUsage;
                }

                ids = await registry.IdsAsync(ct);
            }
            else if (name is null)
            {
                await Console.Error.WriteLineAsync("sync: name a source id or a definition file, or give --all");
                return ExitCodes.BadUsage;
            }
            else if (name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || File.Exists(name))
            {
                var loaded = services.GetRequiredService<SourceDefinitionLoader>().Load(name);
                await registry.UpsertAsync(loaded, ct);
                ids = [loaded.Definition.Id];
            }
            else
            {
                ids = [name];
            }

            return await SyncAllAsync(services, ids, ct, parse.GetValue(confirm));
        }, cancellationToken));
        return command;
    }

    /// <summary>Syncs the sources in turn and prints the contract's line per source; 1 when any failed.</summary>
    public static async Task<int> SyncAllAsync(IServiceProvider services, IEnumerable<string> ids, CancellationToken cancellationToken, bool confirmDeletions = false)
    {
        var runner = services.GetRequiredService<SyncRunner>();
        var exit = ExitCodes.Ok;
        foreach (var id in ids)
        {
            var result = await runner.RunAsync(id, "cli", CliHost.Progress(), confirmDeletions, cancellationToken);
            CliHost.EndProgress();
            if (result.Succeeded)
            {
                Console.WriteLine(result.SummaryLine);
            }
            else
            {
                await Console.Error.WriteLineAsync(result.SummaryLine);
                exit = ExitCodes.Failed;
            }
        }

        return exit;
    }
}
