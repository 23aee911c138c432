using DataPool.Core.Schema;
using DataPool.Core.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DataPool.Core.Access;

public static class PoolAccessServiceCollectionExtensions
{
    /// <summary>
    /// Grants (schemas/access, checked at start), masking, community scoping and the audit log:
    /// <see cref="IPoolAccess"/> for every feature that shows pool data, <see cref="AccessLog"/> to read the log back.
    /// </summary>
    public static IServiceCollection AddPoolAccess(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => AccessGrants.Load(sp.GetRequiredService<SchemaCatalog>()));
        services.TryAddSingleton<AccessLogFile>();
        services.TryAddSingleton<AccessLog>();
        services.TryAddSingleton<PoolAccess>();
        services.TryAddSingleton<IPoolAccess>(sp => sp.GetRequiredService<PoolAccess>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStoreInitializer, AccessLogTables>());
        return services;
    }
}
