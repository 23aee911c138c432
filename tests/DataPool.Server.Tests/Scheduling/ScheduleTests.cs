using DataPool.Server.Reports;
using DataPool.Server.Scheduling;
using Hangfire;
using static DataPool.Server.Tests.TestSource;

namespace DataPool.Server.Tests.Scheduling;

/// <summary>
/// A source's schedule is a Hangfire recurring job that Hangfire really executes, kept in <c>hangfire.db</c> across
/// restarts, updated and removed with the source.
/// </summary>
[TestFixture]
public sealed class ScheduleTests
{
    private const string Cron = "0 3 * * *";
    private static readonly string JobId = HangfireSourceSchedule.JobId(Id);

    /// <summary>The test export (four good rows, one with a bad ID check character) and its definition, scheduled.</summary>
    private static string WriteScheduledSource(string? cron = Cron)
    {
        WriteCsv(Workspace.Folder, [Good[0], Good[1], BadCheck, Good[2], Good[3]]);
        var schedule = cron is null ? "" : $"\"schedule\": \"{cron}\", ";
        return WriteDefinition(Workspace.Folder, Definition.Replace("\"priority\": 10,", schedule + "\"priority\": 10,", StringComparison.Ordinal));
    }

    /// <summary>The sources' jobs only: the report schedules (report:&lt;id&gt;) live in the same Hangfire storage.</summary>
    private static List<Hangfire.Storage.RecurringJobDto> SyncJobs(SchedulingHost host) =>
        host.RecurringJobs().Where(j => j.Id.StartsWith("sync:", StringComparison.Ordinal)).ToList();

    [Test]
    public async Task A_scheduled_sync_is_executed_by_hangfire()
    {
        await using var host = await SchedulingHost.StartAsync(Workspace.Data);
        var source = await host.RegisterAsync(WriteScheduledSource());
        host.Schedule.Apply(Id, source.Definition.Schedule);

        var job = host.RecurringJobs().Single(j => j.Id == JobId);
        Assert.Multiple(() =>
        {
            Assert.That(job.Cron, Is.EqualTo(Cron));
            Assert.That(job.TimeZoneId, Is.EqualTo(ScheduleTimeZones.ChinaStandardTime));
            Assert.That(job.Job.Type, Is.EqualTo(typeof(SyncSourceJob)));
            Assert.That(host.Runs(Id), Is.Empty, "applying a schedule runs nothing by itself");
        });

        var hangfireJob = host.Trigger(JobId);

        var run = await host.WaitForRunAsync(Id, r => r.Status != "running", "finished");
        Assert.That((run.Status, run.Trigger, run.Error), Is.EqualTo(("succeeded", SyncSourceJob.Scheduled, (string?)null)));
        Assert.That((run.Read, run.Accepted, run.Quarantined, run.New, run.Updated, run.Unchanged), Is.EqualTo((5L, 4L, 1L, 4L, 0L, 0L)));
        await host.WaitForJobStateAsync(hangfireJob, "Succeeded");
    }

    [Test]
    public async Task A_restart_keeps_the_schedule_and_it_still_fires()
    {
        await using (var first = await SchedulingHost.StartAsync(Workspace.Data))
        {
            var source = await first.RegisterAsync(WriteScheduledSource());
            first.Schedule.Apply(Id, source.Definition.Schedule);
        }

        Assert.That(Path.Combine(Workspace.Data, "hangfire.db"), Does.Exist, "the embedded store keeps Hangfire's state beside the pool");

        await using var second = await SchedulingHost.StartAsync(Workspace.Data);
        var job = second.RecurringJobs().SingleOrDefault(j => j.Id == JobId);
        Assert.That(job, Is.Not.Null, "the recurring job survived the restart");
        Assert.That(job!.Cron, Is.EqualTo(Cron));

        second.Trigger(JobId);

        var run = await second.WaitForRunAsync(Id, r => r.Status != "running", "finished");
        Assert.That((run.Status, run.Trigger, run.Read, run.New), Is.EqualTo(("succeeded", SyncSourceJob.Scheduled, 5L, 4L)), run.Error);
    }

    [Test]
    public async Task Removing_the_schedule_removes_the_job_and_a_new_one_replaces_it()
    {
        await using var host = await SchedulingHost.StartAsync(Workspace.Data);
        await host.RegisterAsync(WriteScheduledSource());
        host.Schedule.Apply(Id, Cron);
        host.Schedule.Apply(Id, "30 4 * * 1");
        Assert.That(host.RecurringJobs().Single(j => j.Id == JobId).Cron, Is.EqualTo("30 4 * * 1"), "an edited schedule updates the job in place");

        host.Schedule.Apply(Id, null);
        Assert.That(host.RecurringJobs().Select(j => j.Id), Does.Not.Contain(JobId), "no schedule, no recurring job");

        host.Schedule.Apply(Id, Cron);
        host.Schedule.Remove(Id);
        Assert.That(host.RecurringJobs().Select(j => j.Id), Does.Not.Contain(JobId), "a removed source takes its job with it");
    }

    [Test]
    public async Task Reconciling_schedules_every_scheduled_source_and_drops_jobs_of_sources_gone()
    {
        await using var host = await SchedulingHost.StartAsync(Workspace.Data);
        // Registered behind the scheduler's back (as the CLI does), and a job whose source is not registered at all.
        await host.RegisterAsync(WriteScheduledSource());
        host.Schedule.Apply("gone", "0 1 * * *");
        Assert.That(SyncJobs(host).Select(j => j.Id), Is.EquivalentTo(new[] { "sync:gone" }));

        var passes = await host.Get<ScheduleReconciler>().ReconcileAsync(CancellationToken.None);

        Assert.That(passes[HangfireSourceSchedule.JobPrefix], Is.EqualTo((1, 1)));
        Assert.That(SyncJobs(host).Select(j => (j.Id, j.Cron)), Is.EquivalentTo(new[] { (JobId, Cron) }));

        // Unscheduled in the registry (as `sync <file>` with the schedule taken out does): its job goes too.
        await host.RegisterAsync(WriteScheduledSource(cron: null));
        await host.Get<ScheduleReconciler>().ReconcileAsync(CancellationToken.None);
        Assert.That(SyncJobs(host), Is.Empty);
    }

    [Test]
    public async Task One_reconciler_keeps_the_report_jobs_in_step_as_well_as_the_sync_jobs()
    {
        await using var host = await SchedulingHost.StartAsync(Workspace.Data);
        // A report whose definition file is gone left its recurring job behind.
        var reportJobs = host.RecurringJobs().Where(j => j.Id.StartsWith(ReportSchedules.JobPrefix, StringComparison.Ordinal)).Select(j => j.Id).ToList();
        Assert.That(reportJobs, Is.Not.Empty, "the scheduled reports have their jobs from the start");
        host.Get<IRecurringJobManager>().AddOrUpdate<ReportJob>("report:gone", job => job.RunAsync("gone", "schedule", CancellationToken.None), "0 1 * * *");

        var passes = await host.Get<ScheduleReconciler>().ReconcileAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(passes[ReportSchedules.JobPrefix], Is.EqualTo((reportJobs.Count, 1)));
            Assert.That(host.RecurringJobs().Where(j => j.Id.StartsWith(ReportSchedules.JobPrefix, StringComparison.Ordinal)).Select(j => j.Id),
                Is.EquivalentTo(reportJobs));
        });
    }

    [Test]
    public async Task A_source_registered_while_the_server_was_down_is_scheduled_at_start()
    {
        await using (var first = await SchedulingHost.StartAsync(Workspace.Data))
        {
            await first.RegisterAsync(WriteScheduledSource());
            Assert.That(SyncJobs(first), Is.Empty);
        }

        await using var second = await SchedulingHost.StartAsync(Workspace.Data);
        Assert.That(SyncJobs(second).Select(j => j.Id), Is.EqualTo(new[] { JobId }));
    }

    [Test]
    public async Task Sync_now_runs_through_hangfire_with_trigger_api()
    {
        await using var host = await SchedulingHost.StartAsync(Workspace.Data);
        await host.RegisterAsync(WriteScheduledSource(cron: null));

        var hangfireJob = host.Schedule.Enqueue(Id);

        var run = await host.WaitForRunAsync(Id, r => r.Status != "running", "finished");
        Assert.That((run.Status, run.Trigger, run.Accepted), Is.EqualTo(("succeeded", SyncSourceJob.Api, 4L)), run.Error);
        await host.WaitForJobStateAsync(hangfireJob, "Succeeded");
    }

    [Test]
    public async Task Two_syncs_of_one_source_asked_at_once_never_overlap()
    {
        await using var host = await SchedulingHost.StartAsync(Workspace.Data);
        await host.RegisterAsync(WriteScheduledSource(cron: null));

        // Two workers: both jobs may start together; the store's lock lets one sync run, the other fails fast (and
        // is retried a minute later) or runs after it.
        host.Schedule.Enqueue(Id);
        host.Schedule.Enqueue(Id);

        await host.WaitForRunAsync(Id, _ => host.Runs(Id) is { Count: 2 } both && both.All(r => r.Status != "running"), "pair finished");
        var runs = host.Runs(Id);
        Assert.That(runs.Count(r => r.Status == "succeeded"), Is.GreaterThanOrEqualTo(1), string.Join("; ", runs));
        Assert.That(runs.Where(r => r.Status == "failed").Select(r => r.Error), Is.All.Contain("already being synced"));
        var succeeded = runs.Where(r => r.Status == "succeeded").ToList();
        if (succeeded.Count == 2)
        {
            // One after the other: one run created the source's records, the other found every one unchanged; runs that
            // overlapped would each have created them. (Start times are no witness: a run's start is stamped before it
            // waits for the store's write lock, so the second's can precede the first's finish. Regression: it did.)
            Assert.That(succeeded.Count(r => r.New == r.Accepted && r.Accepted > 0), Is.EqualTo(1), string.Join("; ", runs));
            Assert.That(succeeded.Count(r => r.New == 0 && r.Unchanged == r.Accepted), Is.EqualTo(1), string.Join("; ", runs));
        }
    }

    [Test]
    public async Task A_failed_sync_fails_its_hangfire_job_which_is_retried_a_bounded_number_of_times()
    {
        await using var host = await SchedulingHost.StartAsync(Workspace.Data);
        await host.RegisterAsync(WriteScheduledSource(cron: null));
        File.Delete(Path.Combine(Workspace.Folder, "persons.csv"));

        var hangfireJob = host.Schedule.Enqueue(Id);

        var run = await host.WaitForRunAsync(Id, r => r.Status != "running", "finished");
        Assert.That((run.Status, run.Trigger), Is.EqualTo(("failed", SyncSourceJob.Api)));
        Assert.That(run.Error, Does.Contain("persons.csv"));
        // AutomaticRetry turns the failure into a later retry: the reason names the attempt and the failed sync.
        var retry = await host.WaitForJobStateAsync(hangfireJob, "Scheduled");
        Assert.That(retry.Reason, Does.StartWith("Retry attempt 1 of 2: sync of 'cli-hukou' failed"));
    }
}
