using System.CommandLine;
using DataPool.Abstractions;
using DataPool.Core.Schema;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using DataPool.Server.Hosting;
using Microsoft.Extensions.Options;

namespace DataPool.Server.Cli;

/// <summary>Runs a verb with the pool's services and turns failures into the contract's exit codes and messages.</summary>
public static class CliHost
{
    public static async Task<int> RunAsync(ParseResult parse, Func<IServiceProvider, CancellationToken, Task<int>> verb, CancellationToken cancellationToken)
    {
        if (parse.GetValue(CommonOptions.Schemas) is { } schemas && !Directory.Exists(Path.Combine(schemas, "pool")))
        {
            await Console.Error.WriteLineAsync($"--schemas: '{schemas}' has no pool/ folder of entity files");
            return ExitCodes.BadUsage;
        }

        try
        {
            // The same composition as the server's, configured by the environment with the flags over it.
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddInMemoryCollection(CommonOptions.Settings(parse)).Build();
            var services = new ServiceCollection()
                .AddLogging(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
                    .AddFilter("DataPool.Core.Sync.SyncRunner", LogLevel.None))
                .AddDataPool(configuration);
            await using var provider = services.BuildServiceProvider();
            // What a host does at start: every option registered with ValidateOnStart is checked before the verb runs (a
            // --store that is no store is refused here, by the store's own validation, as for the server).
            provider.GetService<IStartupValidator>()?.Validate();
            await provider.GetRequiredService<PoolDatabase>().InitialiseAsync(cancellationToken);
            return await verb(provider, cancellationToken);
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return ExitCodes.BadUsage;
        }
        catch (SourceDefinitionException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return ExitCodes.BadUsage;
        }
        catch (SchemaException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return ExitCodes.BadUsage;
        }
        catch (Exception e) when (e is SyncException or ConnectorException or IOException or NotSupportedException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // SIGINT or SIGTERM: the work in progress was rolled back (a sync's run is marked cancelled).
            await Console.Error.WriteLineAsync("cancelled: stopped by a signal; the work in progress was rolled back and nothing was changed");
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"failed unexpectedly: {e.GetType().Name}: {e.Message}");
            return ExitCodes.Failed;
        }
    }

    /// <summary>
    /// Progress on a terminal rewrites one line: a bar with percent and ETA where the total is known, rows and rows/s
    /// otherwise. Redirected output gets a plain line every 100,000 rows.
    /// </summary>
    public static IProgress<SyncProgress> Progress()
    {
        var terminal = !Console.IsErrorRedirected;
        return new SynchronousProgress<SyncProgress>(p =>
        {
            if (terminal)
            {
                Console.Error.Write("\r" + ProgressLine.Format(p).PadRight(ProgressLine.Width));
            }
            else if (!p.Periodic && p.Read > 0 && p.Read % 100_000 == 0)
            {
                Console.Error.WriteLine($"{p.SourceId}/{p.Stream}{ProgressLine.Phase(p.Run)}: {p.Read} rows");
            }
        });
    }

    public static void EndProgress()
    {
        if (!Console.IsErrorRedirected)
        {
            Console.Error.Write("\r" + new string(' ', ProgressLine.Width) + "\r");
        }
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
