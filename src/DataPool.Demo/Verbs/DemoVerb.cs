using DataPool.Demo.Simulator;

namespace DataPool.Demo.Verbs;

/// <summary>
/// What the <c>demo</c> verb needs of the demo world itself: where the seeds are, and the health commission's API
/// they include. The registering and syncing are the pool's own work and stay with the command line.
/// </summary>
public static class DemoVerb
{
    /// <summary>Where seeds/health/health.source.json finds the health commission's API.</summary>
    public const string HealthUrlVariable = "DATAPOOL_HEALTH_URL";

    /// <summary>
    /// Serves the seeds' health contracts on loopback for the run (the health commission's system is a web API) and
    /// points <see cref="HealthUrlVariable"/> and <see cref="LegacySimulator.TokenVariable"/> at it; dispose to stop it.
    /// </summary>
    public static async Task<SimulatorHandle> StartHealthApiAsync(string seedsFolder, CancellationToken cancellationToken)
    {
        var simulator = await LegacySimulator.StartAsync(seedsFolder, "http://127.0.0.1:0", SimulatorFaults.None, cancellationToken: cancellationToken);
        Environment.SetEnvironmentVariable(HealthUrlVariable, simulator.BaseUrl);
        Environment.SetEnvironmentVariable(LegacySimulator.TokenVariable, simulator.Token);
        return simulator;
    }

    /// <summary>The seeds folder: given, or found in the current folder or above, or next to the program.</summary>
    public static string LocateSeeds(string? explicitFolder)
    {
        if (explicitFolder is not null)
        {
            return Path.GetFullPath(explicitFolder);
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "seeds");
                if (Directory.Exists(candidate) && Directory.EnumerateFiles(candidate, "*.source.json", SearchOption.AllDirectories).Any())
                {
                    return candidate;
                }
            }
        }

        throw new IOException("no seeds folder with *.source.json found; pass --seeds DIR");
    }
}
