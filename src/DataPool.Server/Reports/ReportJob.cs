using DataPool.Core.Reports;
using DataPool.Server.Scheduling;
using Hangfire;

namespace DataPool.Server.Reports;

/// <summary>The Hangfire job behind every scheduled report (<c>report:&lt;id&gt;</c>); every run is a new run with its own files.</summary>
public sealed class ReportJob(ReportGenerator generator, ReportCatalog reports, ILogger<ReportJob> logger) : ScheduledJob(logger)
{
    /// <summary>The <c>dp_report_runs.trigger</c> of a run started by the report's schedule.</summary>
    public const string Scheduled = "schedule";

    [AutomaticRetry(Attempts = 2, DelaysInSeconds = [60, 300])]
    [JobDisplayName("report {0} ({1})")]
    public Task RunAsync(string reportId, string trigger, CancellationToken cancellationToken) =>
        RunOnceAsync("report", reportId, reports.Reports.ContainsKey(reportId), async () =>
        {
            var run = await generator.RunAsync(reportId, trigger, cancellationToken);
            return new Outcome(run.Succeeded, $"(run {run.Id}): {run.Error}", run.SummaryLine);
        });
}
