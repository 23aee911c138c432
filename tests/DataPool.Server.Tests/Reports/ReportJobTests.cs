using DataPool.Core.Reports;
using DataPool.Core.Store;
using DataPool.Server.Reports;
using DataPool.Server.Scheduling;
using DataPool.Server.Tests.Scheduling;

namespace DataPool.Server.Tests.Reports;

/// <summary>Every scheduled report definition is a Hangfire recurring job (<c>report:&lt;id&gt;</c>) that Hangfire really executes.</summary>
[TestFixture]
public sealed class ReportJobTests
{
    [Test]
    public async Task Each_report_is_a_recurring_job_and_hangfire_runs_it()
    {
        await using var host = await SchedulingHost.StartAsync(Workspace.Data);
        var reports = host.Get<ReportCatalog>().Reports.Values.Where(r => r.Schedule is not null).ToList();
        var jobs = host.RecurringJobs().Where(j => j.Id.StartsWith(ReportSchedules.JobPrefix, StringComparison.Ordinal)).ToList();
        Assert.That(jobs.Select(j => j.Id), Is.EquivalentTo(reports.Select(r => ReportSchedules.JobId(r.Id))));
        var household = jobs.Single(j => j.Id == ReportSchedules.JobId("household-composition"));
        Assert.Multiple(() =>
        {
            Assert.That(household.Cron, Is.EqualTo(reports.Single(r => r.Id == "household-composition").Schedule!.Cron));
            Assert.That(household.TimeZoneId, Is.EqualTo(ScheduleTimeZones.ChinaStandardTime));
            Assert.That(household.Job.Type, Is.EqualTo(typeof(ReportJob)));
        });

        var job = host.Trigger(household.Id);
        await host.WaitForJobStateAsync(job, "Succeeded");
        var runs = await ReportRuns.ListAsync(host.Get<PoolDatabase>(), "household-composition", 10);
        Assert.That(runs.Select(r => (r.Status, r.Trigger)), Is.EqualTo(new[] { (ReportRuns.Succeeded, ReportJob.Scheduled) }));
        Assert.That(Path.Combine(Workspace.Data, "reports", runs[0].XlsxFile!), Does.Exist);

        // Run again (a retry, or two nodes firing): another complete run, nothing broken.
        await host.WaitForJobStateAsync(host.Trigger(household.Id), "Succeeded");
        Assert.That(await ReportRuns.ListAsync(host.Get<PoolDatabase>(), "household-composition", 10), Has.Count.EqualTo(2).And.All.Matches<ReportRun>(r => r.Succeeded));
    }
}
