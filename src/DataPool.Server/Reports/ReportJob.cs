using DataPool.Core.Reports;
using Hangfire;

namespace DataPool.Server.Reports;

/// <summary>
/// The Hangfire job behind every scheduled report (<c>report:&lt;id&gt;</c>). It takes the report's id, never its
/// definition; every run is a new run with its own files, so a retried or doubled job only adds a run.
/// </summary>
public sealed class ReportJob(ReportGenerator generator, ReportCatalog reports, ILogger<ReportJob> logger)
{
    /// <summary>The <c>dp_report_runs.trigger</c> of a run started by the report's schedule.</summary>
    public const string Scheduled = "schedule";

    [AutomaticRetry(Attempts = 2, DelaysInSeconds = [60, 300])]
    [JobDisplayName("report {0} ({1})")]
    public async Task RunAsync(string reportId, string trigger, CancellationToken cancellationToken)
    {
        if (!reports.Reports.ContainsKey(reportId))
        {
            logger.LogWarning("Report {ReportId} skipped: no such definition any more", reportId);
            return;
        }

        var run = await generator.RunAsync(reportId, trigger, cancellationToken);
        if (!run.Succeeded)
        {
            throw new ReportJobFailedException($"report '{reportId}' failed (run {run.Id}): {run.Error}");
        }

        logger.LogInformation("Report {Summary}", run.SummaryLine);
    }
}

/// <summary>A report run that failed; the reason is in its run record.</summary>
public sealed class ReportJobFailedException(string message) : Exception(message);
