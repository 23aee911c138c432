namespace DataPool.Server.Scheduling;

/// <summary>
/// What the rest of the server asks of the scheduler (Hangfire): keep a source's recurring sync in step
/// with its definition, and run a sync now. Implemented in this folder.
/// </summary>
public interface ISourceSchedule
{
    /// <summary>Creates, updates or (cron null) removes the source's recurring sync job.</summary>
    void Apply(string sourceId, string? cron);

    /// <summary>Removes the source's recurring sync job, if any.</summary>
    void Remove(string sourceId);

    /// <summary>Queues a sync of the source now; returns the background job id.</summary>
    /// <param name="confirmDeletions">An admin confirmed a mass deletion for this run (see <c>maxDeleteShare</c>).</param>
    /// <param name="runId">The queued run the job starts (see <c>RunBook.QueueAsync</c>); null: the job records a run of its own.</param>
    string Enqueue(string sourceId, bool confirmDeletions = false, long? runId = null);
}
