using Microsoft.Extensions.Configuration;
using DataPool.Core.Store;
using DataPool.Core.Store.Writing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DataPool.Core.Matching;

public static class MatchingSetup
{
    public const string Section = "DataPool:Matching";

    /// <summary>
    /// Matching's tables, the thresholds (<c>DataPool:Matching</c>), the linking of persons by matching (a sync asks it
    /// through the store's <see cref="EntityLinking"/>), the review queue and the decisions on it.
    /// </summary>
    public static IServiceCollection AddPoolMatching(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStoreInitializer, MatchTables>());
        services.TryAddSingleton(ReadSettings(configuration));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<EntityLinking, PersonLinking>());
        services.TryAddSingleton<MatchQueue>();
        services.TryAddSingleton<MatchDecider>();
        return services;
    }

    /// <summary>
    /// <c>DataPool:Matching:LinkThreshold</c> / <c>ReviewThreshold</c> (environment: <c>DataPool__Matching__…</c>), read the
    /// same way by the server and the command line so a sync links alike wherever it runs.
    /// </summary>
    public static MatchSettings ReadSettings(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var defaults = MatchSettings.Default;
        var settings = new MatchSettings(section.GetValue("LinkThreshold", defaults.Link), section.GetValue("ReviewThreshold", defaults.Review));
        return settings.Review <= settings.Link
            ? settings
            : throw new InvalidOperationException(
                $"{Section}:ReviewThreshold ({settings.Review}) must not be above {Section}:LinkThreshold ({settings.Link})");
    }
}
