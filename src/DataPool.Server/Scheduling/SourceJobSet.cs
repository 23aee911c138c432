using DataPool.Core.Store;

namespace DataPool.Server.Scheduling;

/// <summary>The recurring <c>sync:&lt;id&gt;</c> jobs: one per registered source that has a schedule.</summary>
public sealed class SourceJobSet(SourceRegistry registry, ISourceSchedule schedule, ILogger<SourceJobSet> logger) : IRecurringJobSet
{
    public string Prefix => HangfireSourceSchedule.JobPrefix;

    public async Task<IReadOnlyCollection<string>> ApplyAsync(CancellationToken cancellationToken)
    {
        var scheduled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in (await registry.ListAsync(cancellationToken)).Where(s => !string.IsNullOrWhiteSpace(s.Schedule)))
        {
            try
            {
                schedule.Apply(source.Id, source.Schedule);
                scheduled.Add(HangfireSourceSchedule.JobId(source.Id));
            }
            catch (ArgumentException e)
            {
                // A cron Hangfire refuses (definitions are checked on load, so only an old registration): keep going.
                logger.LogError("Source {SourceId}: schedule '{Cron}' not applied: {Error}", source.Id, source.Schedule, e.Message);
            }
        }

        return scheduled;
    }
}
