using System.CommandLine;
using DataPool.Core.Households;

namespace DataPool.Server.Cli;

/// <summary>
/// <c>households rebuild</c>: re-links every person to their household (each sync links only the persons it
/// changed); for after a change of the linking rules, or to repair. Changes are kept as membership history.
/// </summary>
public static class HouseholdsCommand
{
    public static Command Create()
    {
        var rebuild = new Command("rebuild", "Re-link every person to their household by number, else by address");
        rebuild.SetAction((parse, cancellationToken) => CliHost.RunAsync(parse, async (services, ct) =>
        {
            var changed = await services.GetRequiredService<HouseholdLinker>().RebuildAsync(ct);
            Console.WriteLine($"households: {changed} memberships changed");
            return ExitCodes.Ok;
        }, cancellationToken));
        return new Command("households", "Household membership") { rebuild };
    }
}
