using DataPool.Core;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using DataPool.Server.Hosting;
using DataPool.Server.Simulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Connectors.Rest.Tests;

/// <summary>
/// The demo's seeds/health/health.source.json synced through the real pipeline from the simulator, the way
/// <c>demo</c> does it: the environment names the simulator's address and token.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class HealthSourceSyncTests
{
    [Test]
    public async Task The_health_source_syncs_from_the_simulator_and_a_dead_api_changes_nothing()
    {
        var seeds = RestTestKit.RepoSeeds();
        var data = Directory.CreateTempSubdirectory("datapool-health-").FullName;
        await using var simulator = await LegacySimulator.StartAsync(seeds, "http://127.0.0.1:0", SimulatorFaults.None, "health-sync-token");
        var previousUrl = Environment.GetEnvironmentVariable("DATAPOOL_HEALTH_URL");
        var previousToken = Environment.GetEnvironmentVariable(LegacySimulator.TokenVariable);
        Environment.SetEnvironmentVariable("DATAPOOL_HEALTH_URL", simulator.BaseUrl);
        Environment.SetEnvironmentVariable(LegacySimulator.TokenVariable, simulator.Token);
        try
        {
            var services = new ServiceCollection().AddLogging()
                .AddDataPool(new ConfigurationBuilder().AddInMemoryCollection(new StoreOptions { DataDirectory = data }.ToSettings()).Build());
            await using var provider = services.BuildServiceProvider();
            await provider.GetRequiredService<PoolDatabase>().InitialiseAsync(CancellationToken.None);
            var source = provider.GetRequiredService<SourceDefinitionLoader>().Load(Path.Combine(seeds, "health", "health.source.json"));
            await provider.GetRequiredService<SourceRegistry>().UpsertAsync(source);
            var runner = provider.GetRequiredService<SyncRunner>();

            var first = await runner.RunAsync("health");
            Assert.That(first.Succeeded, Is.True, first.Error);
            Assert.That(first.Counts.Read, Is.EqualTo(simulator.RecordCount));
            Assert.That(first.Counts.Quarantined, Is.EqualTo(17), "the dirt generate_contracts.py injected (wrong check characters, impossible dates), no more");
            Assert.That(first.Counts.New, Is.EqualTo(first.Counts.Accepted));
            TestContext.Out.WriteLine(first.SummaryLine);

            var second = await runner.RunAsync("health");
            Assert.That(second.Succeeded, Is.True, second.Error);
            Assert.That(second.Counts.Unchanged, Is.EqualTo(second.Counts.Accepted), "a second run changes nothing");

            simulator.Faults = new SimulatorFaults { ErrorRate = 1, ErrorStatus = 503 };
            var down = await runner.RunAsync("health");
            Assert.That(down.Succeeded, Is.False);
            // The base URL comes from ${env:DATAPOOL_HEALTH_URL}: a value referenced from the environment is never echoed.
            Assert.That(down.Error, Does.Contain("GET ***/api/contracts: 503 after 4 attempts"));
            Assert.That(down.Error, Does.Not.Contain(simulator.Token));

            simulator.Faults = SimulatorFaults.None;
            var after = await runner.RunAsync("health");
            Assert.That(after.Succeeded, Is.True, after.Error);
            Assert.That(after.Counts.Unchanged, Is.EqualTo(after.Counts.Accepted), "the failed run deleted or changed nothing");
            Assert.That(after.Counts.Deleted, Is.Zero);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DATAPOOL_HEALTH_URL", previousUrl);
            Environment.SetEnvironmentVariable(LegacySimulator.TokenVariable, previousToken);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }
}
