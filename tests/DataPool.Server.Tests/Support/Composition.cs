using DataPool.Server.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Server.Tests;

/// <summary>The services of the one composition root (<see cref="DataPoolSetup.AddDataPool"/>) over the given settings, without a host.</summary>
public static class Composition
{
    public static ServiceProvider Of(Dictionary<string, string?> settings) =>
        new ServiceCollection().AddLogging().AddDataPool(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).BuildServiceProvider();
}
