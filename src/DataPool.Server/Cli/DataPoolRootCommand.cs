using System.CommandLine;

namespace DataPool.Server.Cli;

/// <summary>The verbs, the options they share, and the contract's exit codes (0 ok, 1 the work failed, 2 bad usage or definition).</summary>
public sealed class DataPoolRootCommand : RootCommand
{
    public DataPoolRootCommand()
        : base("DataPool: one community data pool fed by the departments' legacy systems")
    {
        Options.Add(CommonOptions.Data);
        Options.Add(CommonOptions.Store);
        Options.Add(CommonOptions.Connection);
        Options.Add(CommonOptions.Schemas);
    }

    public async Task<int> RunAsync(string[] args)
    {
        // `serve` is the default verb, also when only options are given (e.g. `--urls`).
        var verbs = Subcommands.Select(c => c.Name).ToHashSet();
        if (args.Length == 0 || (args[0].StartsWith('-') && args[0] is not ("--help" or "-h" or "-?" or "--version")))
        {
            args = ["serve", .. args];
        }
        else if (!verbs.Contains(args[0]) && args[0] is not ("--help" or "-h" or "-?" or "--version"))
        {
            await Console.Error.WriteLineAsync($"unknown verb '{args[0]}'; verbs: {string.Join(", ", verbs)}");
            return ExitCodes.BadUsage;
        }

        var result = Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                await Console.Error.WriteLineAsync(error.Message);
            }

            return ExitCodes.BadUsage;
        }

        // On SIGINT/SIGTERM the verb's token is cancelled; it gets this long to roll back and record the run before
        // the process exits anyway (the default, 2 s, can cut a large sync's rollback short and leave it `running`).
        return await result.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });
    }
}

public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadUsage = 2;

    /// <summary>Stopped by SIGINT or SIGTERM (128 + SIGINT, as shells report an interrupted command).</summary>
    public const int Cancelled = 130;
}
