namespace DataPool.Server.Scheduling;

/// <summary>
/// A family of recurring Hangfire jobs named <c>&lt;prefix&gt;&lt;id&gt;</c> (a source's <c>sync:</c>, a report's
/// <c>report:</c>) that the one <see cref="ScheduleReconciler"/> keeps in step with what should be scheduled: the family
/// says what it wants and how one of its jobs is applied; the reconciler owns the loop, the refusals and the clean-up.
/// </summary>
public interface IRecurringJobSet
{
    /// <summary>The job id prefix that marks this family's jobs.</summary>
    string Prefix { get; }

    /// <summary>Every job of the family that should exist now.</summary>
    Task<IReadOnlyList<WantedJob>> WantedAsync(CancellationToken cancellationToken);

    /// <summary>Adds or updates the job (idempotent); an <see cref="ArgumentException"/> when Hangfire refuses its cron.</summary>
    void Apply(WantedJob job);
}

/// <summary>One recurring job a family wants: its id without the family's prefix, and its cron.</summary>
/// <param name="TimeZone">The zone the cron is read in; null: the configured one (China Standard Time).</param>
public sealed record WantedJob(string Id, string Cron, string? TimeZone = null);
