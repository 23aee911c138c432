using DataPool.Core.Reports;
using DataPool.Server.Scheduling;
using Hangfire;
using Hangfire.Storage;

namespace DataPool.Server.Reports;

/// <summary>
/// Keeps one recurring job <c>report:&lt;id&gt;</c> per scheduled report definition, in China Standard Time like the
/// sources' <c>sync:&lt;id&gt;</c> jobs, and removes the jobs of reports whose file is gone. Runs at start (definitions
/// are files read at start); idempotent, so every node may run it.
/// </summary>
public sealed class ReportSchedules(ReportCatalog reports, IRecurringJobManager recurringJobs, JobStorage storage, ScheduleTimeZones timeZones, ILogger<ReportSchedules> logger)
    : IHostedService
{
    public const string JobPrefix = "report:";

    public static string JobId(string reportId) => JobPrefix + reportId;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            Reconcile();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The API and the jobs already scheduled are more use running than a host stopped by one bad pass.
            logger.LogError(e, "Report schedules not reconciled");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>One pass; returns how many report jobs were applied and how many removed.</summary>
    public (int Applied, int Removed) Reconcile()
    {
        var applied = 0;
        foreach (var report in reports.Reports.Values.Where(r => r.Schedule is not null))
        {
            var id = report.Id;
            recurringJobs.AddOrUpdate<ReportJob>(JobId(id), job => job.RunAsync(id, ReportJob.Scheduled, CancellationToken.None),
                report.Schedule!.Cron, new RecurringJobOptions { TimeZone = timeZones.GetTimeZoneById(report.Schedule.TimeZone) });
            applied++;
        }

        using var connection = storage.GetConnection();
        var stale = connection.GetRecurringJobs().Select(j => j.Id)
            .Where(id => id.StartsWith(JobPrefix, StringComparison.Ordinal) && reports.Reports.Values.All(r => r.Schedule is null || JobId(r.Id) != id))
            .ToList();
        foreach (var id in stale)
        {
            recurringJobs.RemoveIfExists(id);
        }

        logger.LogInformation("Report schedules reconciled: {Applied} recurring report(s), {Removed} removed", applied, stale.Count);
        return (applied, stale.Count);
    }
}
