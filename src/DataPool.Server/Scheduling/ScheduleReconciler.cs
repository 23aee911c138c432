using Hangfire;
using Hangfire.Storage;

namespace DataPool.Server.Scheduling;

/// <summary>
/// The one reconciler of recurring jobs: brings every family (<see cref="IRecurringJobSet"/>: the sources' <c>sync:*</c>,
/// the reports' <c>report:*</c>) in line with what should be scheduled, at start (before the Hangfire server on this
/// node takes jobs) and then every few minutes, which picks up sources added, changed or removed with the CLI while
/// the server runs and heals a race between two nodes. Every pass is idempotent, so any number of nodes may run it.
/// </summary>
public sealed class ScheduleReconciler(
    IEnumerable<IRecurringJobSet> families, IRecurringJobManager recurringJobs, JobStorage storage, SchedulingOptions options, ILogger<ScheduleReconciler> logger)
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

    /// <summary>One pass; for each family (by its prefix), how many recurring jobs were added or updated, and how many removed.</summary>
    public async Task<IReadOnlyDictionary<string, (int Applied, int Removed)>> ReconcileAsync(CancellationToken cancellationToken)
    {
        var passes = new Dictionary<string, (int Applied, int Removed)>(StringComparer.Ordinal);
        foreach (var family in families)
        {
            // The jobs first, the wanted ones second: one registered in between (its job applied by the API) is then
            // either in both lists or in neither, so a pass never removes a job that was just added.
            var existing = RecurringJobs(family.Prefix);
            var scheduled = await ApplyAsync(family, cancellationToken);
            var stale = existing.Where(id => !scheduled.Contains(id)).ToList();
            foreach (var id in stale)
            {
                recurringJobs.RemoveIfExists(id);
            }

            passes[family.Prefix] = (scheduled.Count, stale.Count);
            logger.LogInformation("Schedules reconciled: {Applied} recurring {Family} job(s), {Removed} removed", scheduled.Count, family.Prefix, stale.Count);
        }

        return passes;
    }

    /// <summary>Adds or updates every job the family wants; returns the ids of the jobs now scheduled.</summary>
    private async Task<HashSet<string>> ApplyAsync(IRecurringJobSet family, CancellationToken cancellationToken)
    {
        var scheduled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var job in await family.WantedAsync(cancellationToken))
        {
            try
            {
                family.Apply(job);
                scheduled.Add(family.Prefix + job.Id);
            }
            catch (ArgumentException e)
            {
                // A cron Hangfire refuses (definitions are checked on load, so only an old registration): keep going.
                logger.LogError("Recurring job {Prefix}{Id}: schedule '{Cron}' not applied: {Error}", family.Prefix, job.Id, job.Cron, e.Message);
            }
        }

        return scheduled;
    }

    private List<string> RecurringJobs(string prefix)
    {
        using var connection = storage.GetConnection();
        return connection.GetRecurringJobs().Select(job => job.Id)
            .Where(id => id.StartsWith(prefix, StringComparison.Ordinal) && id.Length > prefix.Length)
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
            logger.LogError(e, "Schedules not reconciled; next try in {Minutes} min", options.ReconcileMinutes);
        }
    }
}
