using DataPool.Core.Households;
using DataPool.Core.Store;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Core.History;

public static class HistoryServiceCollectionExtensions
{
    /// <summary>History "as of", the change feed, and household membership (its table and its post-run step).</summary>
    public static IServiceCollection AddPoolHistory(this IServiceCollection services)
    {
        services.AddSingleton<PoolHistory>();
        services.AddSingleton<ChangeFeed>();
        services.AddSingleton<RunChanges>();
        services.AddSingleton<IStoreInitializer, HouseholdTables>();
        services.AddSingleton<HouseholdLinker>();
        services.AddSingleton<IRunCompletedStep>(sp => sp.GetRequiredService<HouseholdLinker>());
        services.AddSingleton<HouseholdMembers>();
        return services;
    }
}
