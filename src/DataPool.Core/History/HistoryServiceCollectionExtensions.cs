using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Core.History;

public static class HistoryServiceCollectionExtensions
{
    /// <summary>History "as of" and the change feed.</summary>
    public static IServiceCollection AddPoolHistory(this IServiceCollection services)
    {
        services.AddSingleton<PoolHistory>();
        services.AddSingleton<ChangeFeed>();
        services.AddSingleton<RunChanges>();
        return services;
    }
}
