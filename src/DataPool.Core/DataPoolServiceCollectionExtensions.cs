using DataPool.Abstractions;
using DataPool.Core.Access;
using DataPool.Core.History;
using DataPool.Core.Schema;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Core;

public static class DataPoolServiceCollectionExtensions
{
    /// <summary>The pool itself: schema catalog, store, source registry, sync pipeline. Connectors are added by kind.</summary>
    public static IServiceCollection AddDataPoolCore(this IServiceCollection services, StoreOptions store, string? schemasRoot = null)
    {
        services.AddSingleton(store);
        services.AddSingleton(new PoolStoreLocation(
            store.Provider == StoreOptions.Sqlite ? Path.GetFullPath(store.DataDirectory) : null,
            store.Provider == StoreOptions.Postgres ? store.Connection : null));
        services.AddSingleton(_ => SchemaCatalog.Load(SchemaCatalog.Locate(schemasRoot)));
        services.AddSingleton<PoolDatabase>();
        services.AddSingleton(sp => new SourceDefinitionLoader(sp.GetRequiredService<SchemaCatalog>(), sp.GetServices<IConnector>()));
        services.AddSingleton<SourceRegistry>();
        services.AddSingleton<RunBook>();
        services.AddSingleton<SyncRunner>();
        services.AddSingleton<SourceChecker>();
        services.AddSingleton<PoolExplainer>();
        services.AddPoolHistory();
        services.AddPoolAccess();
        return services;
    }
}
