using DataPool.Core.Store;
using DataPool.Core.Store.Writing;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Core.Households;

public static class HouseholdServiceCollectionExtensions
{
    /// <summary>Household membership: its table, its linking after every run that writes the pool, its reader.</summary>
    public static IServiceCollection AddHouseholds(this IServiceCollection services)
    {
        services.AddSingleton<IStoreInitializer, HouseholdTables>();
        services.AddSingleton<HouseholdLinker>();
        services.AddSingleton<IRunCompletedStep>(sp => sp.GetRequiredService<HouseholdLinker>());
        services.AddSingleton<HouseholdMembers>();
        return services;
    }
}
