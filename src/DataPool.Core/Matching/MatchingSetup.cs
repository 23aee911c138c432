using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Core.Matching;

public static class MatchingSetup
{
    public const string Section = "DataPool:Matching";

    /// <summary>The thresholds (<c>DataPool:Matching</c>), the review queue and the decisions on it.</summary>
    public static IServiceCollection AddPoolMatching(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(ReadSettings(configuration));
        services.AddSingleton<MatchQueue>();
        services.AddSingleton<MatchDecider>();
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
