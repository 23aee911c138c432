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

    public Task<IReadOnlyCollection<string>> ApplyAsync(CancellationToken cancellationToken)
    {
        var scheduled = new List<string>();
        foreach (var report in reports.Reports.Values.Where(r => r.Schedule is not null))
        {
            var id = report.Id;
            recurringJobs.AddOrUpdate<ReportJob>(JobId(id), job => job.RunAsync(id, ReportJob.Scheduled, CancellationToken.None),
                report.Schedule!.Cron, new RecurringJobOptions { TimeZone = timeZones.GetTimeZoneById(report.Schedule.TimeZone) });
            scheduled.Add(JobId(id));
        }

        return Task.FromResult<IReadOnlyCollection<string>>(scheduled);
    }
}
