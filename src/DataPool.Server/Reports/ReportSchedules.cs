using DataPool.Core.Reports;
using DataPool.Server.Scheduling;
using Hangfire;

namespace DataPool.Server.Reports;

/// <summary>
/// The recurring <c>report:&lt;id&gt;</c> jobs: one per scheduled report definition, in the definition's time zone
/// (China Standard Time like the sources' <c>sync:&lt;id&gt;</c> jobs). The <see cref="ScheduleReconciler"/> removes the
/// jobs of reports whose file is gone.
/// </summary>
public sealed class ReportSchedules(ReportCatalog reports, IRecurringJobManager recurringJobs, ScheduleTimeZones timeZones) : IRecurringJobSet
{
    public const string JobPrefix = "report:";

    public static string JobId(string reportId) => JobPrefix + reportId;

    public string Prefix => JobPrefix;

    public Task<IReadOnlyList<WantedJob>> WantedAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<WantedJob>>(
            reports.Reports.Values.Where(r => r.Schedule is not null).Select(r => new WantedJob(r.Id, r.Schedule!.Cron, r.Schedule.TimeZone)).ToList());

    public void Apply(WantedJob job)
    {
        var id = job.Id;
        recurringJobs.AddOrUpdate<ReportJob>(JobId(id), run => run.RunAsync(id, ReportJob.Scheduled, CancellationToken.None),
            job.Cron, new RecurringJobOptions { TimeZone = job.TimeZone is { } zone ? timeZones.GetTimeZoneById(zone) : timeZones.Default });
    }
}
