using DataPool.Core.Store;

namespace DataPool.Server.Scheduling;

/// <summary>The recurring <c>sync:&lt;id&gt;</c> jobs: one per registered source that has a schedule.</summary>
public sealed class SourceJobSet(SourceRegistry registry, ISourceSchedule schedule) : IRecurringJobSet
{
    public string Prefix => HangfireSourceSchedule.JobPrefix;

    public async Task<IReadOnlyList<WantedJob>> WantedAsync(CancellationToken cancellationToken) =>
        (await registry.ListAsync(cancellationToken)).Where(s => !string.IsNullOrWhiteSpace(s.Schedule)).Select(s => new WantedJob(s.Id, s.Schedule!)).ToList();

    public void Apply(WantedJob job) => schedule.Apply(job.Id, job.Cron);
}
