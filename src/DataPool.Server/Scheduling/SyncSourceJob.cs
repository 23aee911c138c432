using DataPool.Core.Store;
using DataPool.Core.Sync;
using Hangfire;

namespace DataPool.Server.Scheduling;

/// <summary>The Hangfire job behind every sync: a source's schedule and "sync now" both queue it.</summary>
public sealed class SyncSourceJob(SyncRunner runner, SourceRegistry registry, RunBook runs, ILogger<SyncSourceJob> logger) : ScheduledJob(logger)
{
    /// <summary>The <c>dp_runs.trigger</c> of a run started by the source's schedule.</summary>
    public const string Scheduled = "schedule";

    /// <summary>The <c>dp_runs.trigger</c> of a run asked for through the API ("sync now").</summary>
    public const string Api = "api";

    /// <summary>
    /// Syncs the source. One sync of a source at a time, across every node, is the store's lock (a PostgreSQL
    /// advisory lock, released by the server when its node dies; on SQLite a lock row taken over from a dead
    /// process): a run that finds the source busy fails at once and this job is retried minutes later.
    /// Hangfire's own [DisableConcurrentExecution] is deliberately not used: Hangfire.PostgreSql's lock rows have
    /// no heartbeat, so a crashed node would block its source for 10 minutes and a sync outlasting that loses the
    /// lock (and its release then fails the finished job). Two retries, minutes apart: a busy source or database
    /// gets another chance, a broken export does not fill the run history.
    /// </summary>
    [AutomaticRetry(Attempts = 2, DelaysInSeconds = [60, 300])]
    [JobDisplayName("sync {0} ({1})")]
    public Task RunAsync(string sourceId, string trigger, CancellationToken cancellationToken) =>
        RunAsync(sourceId, trigger, false, cancellationToken);

    /// <summary>
    /// As above, with an admin's confirmation that a mass deletion is real (for this run only). An overload rather
    /// than a new parameter, so jobs queued before it was added still find their method.
    /// </summary>
    [AutomaticRetry(Attempts = 2, DelaysInSeconds = [60, 300])]
    [JobDisplayName("sync {0} ({1}, deletions confirmed: {2})")]
    public Task RunAsync(string sourceId, string trigger, bool confirmDeletions, CancellationToken cancellationToken) =>
        RunAsync(sourceId, trigger, confirmDeletions, null, cancellationToken);

    /// <summary>
    /// A "sync now" whose run was recorded when it was asked for, so the caller could follow it at once: the job
    /// starts that run (a retry after it failed records a new one).
    /// </summary>
    [AutomaticRetry(Attempts = 2, DelaysInSeconds = [60, 300])]
    [JobDisplayName("sync {0} ({1}, deletions confirmed: {2}, run {3})")]
    public async Task RunAsync(string sourceId, string trigger, bool confirmDeletions, long? runId, CancellationToken cancellationToken)
    {
        var stillThere = await registry.GetAsync(sourceId, cancellationToken) is not null;
        if (!stillThere && runId is { } queued)
        {
            await runs.DropQueuedAsync(queued, "the source was removed before the sync started", cancellationToken);
        }

        await RunOnceAsync("sync", sourceId, stillThere, async () =>
        {
            var result = await runner.RunAsync(sourceId, trigger, null, confirmDeletions, runId, cancellationToken);
            return new Outcome(result.Succeeded, $"(run {result.RunId}): {result.Error}", $"{trigger}: {result.SummaryLine}");
        });
    }
}
