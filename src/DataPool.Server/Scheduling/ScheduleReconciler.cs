using DataPool.Core.Store;
using Hangfire;
using Hangfire.Storage;

namespace DataPool.Server.Scheduling;

/// <summary>
/// Brings the recurring <c>sync:*</c> jobs in line with the registered sources: at start (before the Hangfire server
/// on this node takes jobs) and then every few minutes, which picks up sources added, changed or removed with the
/// CLI while the server runs and heals a race between two nodes. Every pass is idempotent, so any number of nodes
/// may run it.
/// </summary>
public sealed class ScheduleReconciler(
    SourceRegistry registry, ISourceSchedule schedule, JobStorage storage, SchedulingOptions options, ILogger<ScheduleReconciler> logger)
    : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await TryReconcileAsync(cancellationToken);
        _loop = LoopAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose() => _stopping.Dispose();

    /// <summary>One pass; returns how many recurring jobs were added or updated, and how many removed.</summary>
    public async Task<(int Applied, int Removed)> ReconcileAsync(CancellationToken cancellationToken)
    {
        // The jobs first, the sources second: a source registered in between (its job applied by the API) is then
        // either in both lists or in neither, so a pass never removes a job that was just added.
        var existing = RecurringSyncJobs();
        var sources = await registry.ListAsync(cancellationToken);

        var applied = 0;
        var scheduled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in sources.Where(s => !string.IsNullOrWhiteSpace(s.Schedule)))
        {
            try
            {
                schedule.Apply(source.Id, source.Schedule);
                scheduled.Add(source.Id);
                applied++;
            }
            catch (ArgumentException e)
            {
                // A cron Hangfire refuses (definitions are checked on load, so only an old registration): keep going.
                logger.LogError("Source {SourceId}: schedule '{Cron}' not applied: {Error}", source.Id, source.Schedule, e.Message);
            }
        }

        var removed = 0;
        foreach (var sourceId in existing.Where(id => !scheduled.Contains(id)))
        {
            schedule.Remove(sourceId);
            removed++;
        }

        logger.LogInformation("Schedules reconciled: {Applied} recurring sync(s), {Removed} removed", applied, removed);
        return (applied, removed);
    }

    private List<string> RecurringSyncJobs()
    {
        using var connection = storage.GetConnection();
        return connection.GetRecurringJobs()
            .Select(job => HangfireSourceSchedule.SourceIdOf(job.Id))
            .OfType<string>()
            .ToList();
    }

    private async Task LoopAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.ReconcileMinutes));
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                await TryReconcileAsync(stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// A failed pass is logged, not thrown: the host (API, dashboard, jobs already scheduled) is more use running
    /// than stopped because the pool did not answer once, and the next pass tries again.
    /// </summary>
    private async Task TryReconcileAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ReconcileAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Schedules not reconciled with the registered sources; next try in {Minutes} min", options.ReconcileMinutes);
        }
    }
}
