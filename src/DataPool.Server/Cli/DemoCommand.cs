using System.CommandLine;
using DataPool.Core.Identity;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using DataPool.Demo.Verbs;
using DataPool.Server.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Server.Cli;

/// <summary>
/// <c>demo</c>: registers every source definition of the demo world and syncs them; idempotent. The seeds and their
/// health API are the demo project's (<see cref="DemoVerb"/>); registering, syncing and reporting are the pool's.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var seeds = new Option<string?>("--seeds") { Description = "Folder of the demo world (default: the repository's seeds/)" };
        var command = new Command("demo", "Build (or re-sync) the pool from the demo world") { seeds };
        command.SetAction((parse, cancellationToken) => CliHost.RunAsync(parse, async (services, ct) =>
        {
            var folder = DemoVerb.LocateSeeds(parse.GetValue(seeds));
            // The health commission's system is a web API: the demo serves its data on loopback for the run.
            await using var simulator = await DemoVerb.StartHealthApiAsync(folder, ct);
            var loader = services.GetRequiredService<SourceDefinitionLoader>();
            var registry = services.GetRequiredService<SourceRegistry>();
            var files = Directory.EnumerateFiles(folder, "*.source.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
            if (files.Count == 0)
            {
                await Console.Error.WriteLineAsync($"demo: no *.source.json under {folder}");
                return ExitCodes.Failed;
            }

            var demoUsers = DemoUsers.All(DemoUsers.Password());
            if (demoUsers[0].Validate(services.GetRequiredService<DataPool.Core.Access.AccessGrants>()).TryGetValue("password", out var weak))
            {
                await Console.Error.WriteLineAsync($"demo: {DemoUsers.PasswordVariable}: {string.Join("; ", weak)}");
                return ExitCodes.BadUsage;
            }

            // Validate every definition before syncing any, so a bad one changes nothing.
            var sources = files.Select(loader.Load).ToList();
            foreach (var source in sources)
            {
                await registry.UpsertAsync(source, ct);
            }

            var exit = await SyncCommand.SyncAllAsync(services, sources.Select(s => s.Definition.Id), ct);

            // On stderr: standard output ends with the contract's one line per source.
            var created = await DemoUsers.SeedAsync(services.GetRequiredService<UserAccounts>(), demoUsers, ct);
            await Console.Error.WriteLineAsync($"demo users: {demoUsers.Count} ({created} new), names and password in the README");
            // The required reports, from the pool just built: one line each, on stderr like the users' line.
            var reports = await ReportCommand.RunAllAsync(services, "demo", Console.Error, ct);
            // The headline, computed from the catalog, the unified form and the pool just built: the demo's last line.
            // A schemas folder without the legacy-form catalog (--schemas of a test) has no headline to compute.
            if (Directory.Exists(Path.Combine(services.GetRequiredService<DataPool.Core.Schema.SchemaCatalog>().Root, DataPool.Core.Forms.LegacyFormCatalog.Folder)))
            {
                var burden = await services.GetRequiredService<DataPool.Core.Burden.BurdenLedger>().ComputeAsync(ct);
                await Console.Error.WriteLineAsync(burden.CertificateLine);
                Console.WriteLine(burden.SummaryLine);
            }
            return exit != ExitCodes.Ok ? exit : reports;
        }, cancellationToken));
        return command;
    }
}
