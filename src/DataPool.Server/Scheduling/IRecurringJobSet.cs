namespace DataPool.Server.Scheduling;

/// <summary>
/// A family of recurring Hangfire jobs named <c>&lt;prefix&gt;&lt;id&gt;</c> (a source's <c>sync:</c>, a report's
/// <c>report:</c>) that the one <see cref="ScheduleReconciler"/> keeps in step with what should be scheduled.
/// </summary>
public interface IRecurringJobSet
{
    /// <summary>The job id prefix that marks this family's jobs.</summary>
    string Prefix { get; }

    /// <summary>Adds or updates every job that should exist (idempotent); returns the ids of the jobs now scheduled.</summary>
    Task<IReadOnlyCollection<string>> ApplyAsync(CancellationToken cancellationToken);
}
