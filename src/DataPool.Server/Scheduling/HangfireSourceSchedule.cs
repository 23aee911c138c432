using Hangfire;

namespace DataPool.Server.Scheduling;

/// <summary>
/// <see cref="ISourceSchedule"/> on Hangfire: a source's schedule is the recurring job <c>sync:&lt;id&gt;</c>, read in
/// the configured time zone (China Standard Time); "sync now" is a fire-and-forget job. Every call is idempotent.
/// </summary>
public sealed class HangfireSourceSchedule(IRecurringJobManager recurringJobs, IBackgroundJobClient jobs, ScheduleTimeZones timeZones) : ISourceSchedule
{
    public const string JobPrefix = "sync:";

    public static string JobId(string sourceId) => JobPrefix + sourceId;

    /// <summary>The source id of a recurring sync job id; null for any other job.</summary>
    public static string? SourceIdOf(string jobId) =>
        jobId.StartsWith(JobPrefix, StringComparison.Ordinal) && jobId.Length > JobPrefix.Length ? jobId[JobPrefix.Length..] : null;

    public void Apply(string sourceId, string? cron)
    {
        if (string.IsNullOrWhiteSpace(cron))
        {
            Remove(sourceId);
            return;
        }

        recurringJobs.AddOrUpdate<SyncSourceJob>(
            JobId(sourceId),
            job => job.RunAsync(sourceId, SyncSourceJob.Scheduled, CancellationToken.None),
            cron.Trim(),
            new RecurringJobOptions { TimeZone = timeZones.Default });
    }

    public void Remove(string sourceId) => recurringJobs.RemoveIfExists(JobId(sourceId));

    public string Enqueue(string sourceId, bool confirmDeletions = false, long? runId = null) => (confirmDeletions, runId) switch
    {
        (_, { } run) => jobs.Enqueue<SyncSourceJob>(job => job.RunAsync(sourceId, SyncSourceJob.Api, confirmDeletions, run, CancellationToken.None)),
        (true, null) => jobs.Enqueue<SyncSourceJob>(job => job.RunAsync(sourceId, SyncSourceJob.Api, true, CancellationToken.None)),
        _ => jobs.Enqueue<SyncSourceJob>(job => job.RunAsync(sourceId, SyncSourceJob.Api, CancellationToken.None)),
    };
}
