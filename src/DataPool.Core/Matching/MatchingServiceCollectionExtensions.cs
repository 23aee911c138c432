using DataPool.Core.Store;
using DataPool.Core.Store.Writing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DataPool.Core.Matching;

public static class MatchingServiceCollectionExtensions
{
    /// <summary>Matching's tables, the linking of persons by matching (the thresholds: a registered <see cref="MatchSettings"/>), the review queue.</summary>
    public static IServiceCollection AddMatching(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStoreInitializer, MatchTables>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<EntityLinking, PersonLinking>());
        services.TryAddSingleton<MatchQueue>();
        services.TryAddSingleton<MatchDecider>();
        return services;
    }
}
