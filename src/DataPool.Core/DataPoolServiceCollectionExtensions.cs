using DataPool.Abstractions;
using DataPool.Core.Access;
using DataPool.Core.History;
using DataPool.Core.Households;
using DataPool.Core.Matching;
using DataPool.Core.Schema;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using DataPool.Core.Store.Writing;
using DataPool.Core.Sync;
using DataPool.Core.Values;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DataPool.Core;

public static class DataPoolServiceCollectionExtensions
{
    /// <summary>
    /// The pool itself: schema catalog, store and its unit of work, source registry, sync pipeline, matching (the thresholds,
    /// the linking of persons, the review queue), history, households and the access guard, configured
    /// from <paramref name="configuration"/> (the server's, or the command line's flags over the environment).
    /// Connectors are added by kind.
    /// </summary>
    public static IServiceCollection AddDataPoolCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(configuration);
        services.AddPoolStore();
        services.AddSingleton(_ => SchemaCatalog.Load(SchemaCatalog.Locate(configuration[StoreOptions.SchemasKey] is { Length: > 0 } schemas ? schemas : null)));
        services.AddOptions<TextSettings>().BindConfiguration(TextSettings.Section)
            .Validate(o => o.Options() is not null, $"{TextSettings.Section}:ControlCharacters must be strip or reject")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<TextSettings>>().Value.Options()!);
        services.AddOptions<SyncOptions>().BindConfiguration(SyncOptions.Section)
            .Validate(o => o.StoredHashesInMemory is >= 0 and <= 100_000_000, $"{SyncOptions.Section}:StoredHashesInMemory must be between 0 and 100000000")
            .Validate(o => o.WalkRunRecords >= 1, $"{SyncOptions.Section}:WalkRunRecords must be 1 or more")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SyncOptions>>().Value);
        services.AddSingleton<PoolDatabase>();
        services.AddSingleton(sp => new SourceDefinitionLoader(sp.GetRequiredService<SchemaCatalog>(), sp.GetServices<IConnector>()));
        services.AddSingleton<SourceRegistry>();
        services.AddSingleton<RunBook>();
        services.AddSingleton<PoolWriting>();
        services.AddSingleton<SyncRunner>();
        services.AddSingleton<IStoreInitializer, QuarantineReasonCodes>();
        services.AddSingleton<SourceChecker>();
        services.AddSingleton<PoolExplainer>();
        services.AddPoolMatching();
        services.AddPoolHistory();
        services.AddHouseholds();
        services.AddPoolAccess();
        return services;
    }

    /// <summary>The same, for a host that holds its store options as an object (tests, benchmarks).</summary>
    public static IServiceCollection AddDataPoolCore(this IServiceCollection services, StoreOptions store, string? schemasRoot = null) =>
        services.AddDataPoolCore(new ConfigurationBuilder().AddInMemoryCollection(store.ToSettings(schemasRoot)).Build());
}
