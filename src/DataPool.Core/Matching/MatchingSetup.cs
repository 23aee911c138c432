using DataPool.Core.Store;
using DataPool.Core.Store.Writing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DataPool.Core.Matching;

public static class MatchingSetup
{
    public const string Section = "DataPool:Matching";

    /// <summary>
    /// Matching's tables, the thresholds (<see cref="MatchingOptions"/>, <c>DataPool:Matching</c>), the linking of persons by
    /// matching (a sync asks it through the store's <see cref="EntityLinking"/>), the review queue and the decisions on it.
    /// </summary>
    public static IServiceCollection AddPoolMatching(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStoreInitializer, MatchTables>());
        services.AddOptions<MatchingOptions>().BindConfiguration(Section)
            .Configure<IConfiguration>((options, configuration) =>
            {
                // A list may also be one comma-separated value (an environment variable): "name+birth_date,name+phone".
                options.Evidence = Listed(options.Evidence, configuration[$"{Section}:{nameof(MatchingOptions.Evidence)}"]);
                options.Blocking = Listed(options.Blocking, configuration[$"{Section}:{nameof(MatchingOptions.Blocking)}"]);
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MatchingOptions>, MatchingOptionsValidator>());
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<MatchingOptions>>().Value.Settings());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<EntityLinking, PersonLinking>());
        services.TryAddSingleton<MatchQueue>();
        services.TryAddSingleton<MatchDecider>();
        return services;
    }

    private static string[]? Listed(string[]? items, string? value) =>
        items is { Length: > 0 } ? items : value?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>
/// The matching settings, <c>DataPool:Matching</c> (environment <c>DataPool__Matching__…</c>), bound the same way by the
/// server and the command line so a sync links alike wherever it runs. Refused at start when the review threshold is
/// above the link threshold or a rule names what matching does not know.
/// </summary>
public sealed class MatchingOptions
{
    /// <summary>The score (bits) from which a candidate is linked automatically.</summary>
    public double LinkThreshold { get; set; } = MatchSettings.Default.Link;

    /// <summary>The score from which a candidate goes to the review queue; below it the row is a new person.</summary>
    public double ReviewThreshold { get; set; } = MatchSettings.Default.Review;

    /// <summary>What a row without a valid ID number must carry to be matched, e.g. <c>["name+birth_date", "name+phone"]</c>; unset, the default.</summary>
    public string[]? Evidence { get; set; }

    /// <summary>The blocking rules candidates are looked up by; unset, the default.</summary>
    public string[]? Blocking { get; set; }

    /// <summary>The settings a sync matches with.</summary>
    public MatchSettings Settings() => new(LinkThreshold, ReviewThreshold)
    {
        Evidence = Evidence is { Length: > 0 } evidence ? new MatchEvidence(evidence) : MatchSettings.Default.Evidence,
        Blocking = Blocking is { Length: > 0 } blocking ? new BlockingRules(blocking) : MatchSettings.Default.Blocking,
    };
}

/// <summary>The checks of <see cref="MatchingOptions"/>, with messages that name the keys and the values given.</summary>
internal sealed class MatchingOptionsValidator : IValidateOptions<MatchingOptions>
{
    public ValidateOptionsResult Validate(string? name, MatchingOptions options)
    {
        if (options.ReviewThreshold > options.LinkThreshold)
        {
            return ValidateOptionsResult.Fail(
                $"{MatchingSetup.Section}:ReviewThreshold ({options.ReviewThreshold}) must not be above {MatchingSetup.Section}:LinkThreshold ({options.LinkThreshold})");
        }

        try
        {
            _ = options.Settings();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail($"{MatchingSetup.Section}: {e.Message}");
        }
    }
}
