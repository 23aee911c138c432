using DataPool.Core.Store;
using DataPool.Core.Sync;
using Hangfire;

namespace DataPool.Server.Scheduling;

/// <summary>
/// The Hangfire job behind every sync: a source's schedule and "sync now" both queue it. It takes the source's id,
/// never its definition, so a queued or retried job always syncs the definition as it is when it runs.
/// </summary>
public sealed class SyncSourceJob(SyncRunner runner, SourceRegistry registry, ILogger<SyncSourceJob> logger)
{
    /// <summary>The <c>dp_runs.trigger</c> of a run started by the source's schedule.</summary>
    public const string Scheduled = "schedule";

    /// <summary>The <c>dp_runs.trigger</c> of a run asked for through the API ("sync now").</summary>
    public const string Api = "api";

    /// <summary>
    /// Syncs the source. The distributed lock is keyed by the source id (argument 0), so two nodes never sync the
    /// same source at once while different sources run side by side; a job that cannot get the lock within a
    /// minute fails and is retried later. The store's own lock row backs this up for runs started outside Hangfire
    /// (the CLI). Two retries, minutes apart: a locked file or a busy database gets another chance, a broken
    /// export does not fill the run history.
    /// </summary>
    [DisableConcurrentExecution("datapool:sync:{0}", 60)]
    [AutomaticRetry(Attempts = 2, DelaysInSeconds = [60, 300])]
    [JobDisplayName("sync {0} ({1})")]
    public async Task RunAsync(string sourceId, string trigger, CancellationToken cancellationToken)
    {
        if (await registry.GetAsync(sourceId, cancellationToken) is null)
        {
            // Removed after the job was queued: nothing to do, and nothing worth retrying. The reconciler drops
            // a recurring job left behind.
            logger.LogWarning("Sync of {SourceId} skipped: the source is no longer registered", sourceId);
            return;
        }

        var result = await runner.RunAsync(sourceId, trigger, null, cancellationToken);
        if (!result.Succeeded)
        {
            // The run is already recorded as failed in dp_runs; throwing makes Hangfire record it too (and retry).
            throw new SyncJobFailedException($"sync of '{sourceId}' failed (run {result.RunId}): {result.Error}");
        }

        logger.LogInformation("Sync of {SourceId} ({Trigger}) done: {Summary}", sourceId, trigger, result.SummaryLine);
    }
}

/// <summary>A sync that ran and failed (bad file, lost column, source locked); the reason is in the run record.</summary>
public sealed class SyncJobFailedException(string message) : Exception(message);
