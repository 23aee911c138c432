using DataPool.Abstractions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DataPool.Core.Store;

public static class StoreSetup
{
    /// <summary>
    /// <see cref="StoreOptions"/> bound from <c>DataPool:Store</c>, the pool folder from <c>DataPool:Data</c> and a server
    /// store's connection from <c>ConnectionStrings:Pool</c> — the keys the environment and the command line's flags set —,
    /// validated when the host starts so a wrong setting stops the program before it touches a store.
    /// </summary>
    public static IServiceCollection AddPoolStore(this IServiceCollection services)
    {
        services.AddOptions<StoreOptions>()
            .BindConfiguration(StoreOptions.Section)
            .Configure<IConfiguration>((store, configuration) =>
            {
                if (configuration[StoreOptions.DataKey] is { Length: > 0 } data)
                {
                    store.DataDirectory = data;
                }

                if (configuration[StoreOptions.ConnectionKey] is { Length: > 0 } connection)
                {
                    store.Connection = connection;
                }

                store.Provider = store.Provider.ToLowerInvariant();
            })
            .Validate(store => store.Provider is StoreOptions.Sqlite or StoreOptions.Postgres,
                $"{StoreOptions.Section}:Provider (the command line's --store) must be {StoreOptions.Sqlite} or {StoreOptions.Postgres}")
            .Validate(store => store.Provider != StoreOptions.Postgres || !string.IsNullOrWhiteSpace(store.Connection),
                $"a {StoreOptions.Postgres} store needs its connection string ({StoreOptions.ConnectionKey}, or --connection)")
            .Validate(store => store.ReadTimeoutSeconds >= 1, $"{StoreOptions.Section}:ReadTimeoutSeconds must be a whole number of seconds, at least 1")
            .Validate(store => store.SqliteCacheMegabytes >= 1, $"{StoreOptions.Section}:SqliteCacheMegabytes must be at least 1")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<StoreOptions>>().Value);
        services.AddSingleton(sp =>
        {
            var store = sp.GetRequiredService<StoreOptions>();
            return new PoolStoreLocation(
                store.Provider == StoreOptions.Sqlite ? Path.GetFullPath(store.DataDirectory) : null,
                store.Provider == StoreOptions.Postgres ? store.Connection : null);
        });
        return services;
    }
}
