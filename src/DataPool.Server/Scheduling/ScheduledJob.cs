namespace DataPool.Server.Scheduling;

/// <summary>
/// What every Hangfire job of DataPool does around its work (a sync, a report): it takes an id, never a definition, so
/// a queued or retried job always runs the definition as it is when it runs; a subject removed since it was queued is
/// skipped (nothing worth retrying); a failed run, already recorded in its run table, is thrown so Hangfire records it
/// too and retries it (the retry policy is the <c>[AutomaticRetry]</c> on each job method). Every run is a new run, so
/// running a job again is safe.
/// </summary>
public abstract class ScheduledJob(ILogger logger)
{
    /// <summary>What one run of the job came to.</summary>
    protected sealed record Outcome(bool Succeeded, string Failure, string Summary);

    protected async Task RunOnceAsync(string what, string id, bool stillThere, Func<Task<Outcome>> run)
    {
        if (!stillThere)
        {
            logger.LogWarning("{What} {Id} skipped: it is no longer registered", what, id);
            return;
        }

        var outcome = await run();
        if (!outcome.Succeeded)
        {
            throw new ScheduledJobFailedException($"{what} of '{id}' failed {outcome.Failure}");
        }

        logger.LogInformation("{What} {Id} done: {Summary}", what, id, outcome.Summary);
    }
}

/// <summary>A job whose run failed (bad file, lost column, source locked, report error); the reason is in the run record.</summary>
public sealed class ScheduledJobFailedException(string message) : Exception(message);
