using DataPool.Core.Store;
using DataPool.Core.Sync;
using DataPool.Server.Scheduling;
using Microsoft.Extensions.Options;

namespace DataPool.Server.Sources;

public static class SourceServices
{
    /// <summary>What the source endpoints need besides the pool: where API-added definitions live, and the sync jobs.</summary>
    public static IServiceCollection AddSources(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SourcesOptions>().BindConfiguration(SourcesOptions.Section)
            .Validate(o => o.SourcesRoot is not { Length: > 0 } root || !File.Exists(root),
                $"{SourcesOptions.Section}:SourcesRoot must name a folder (it names a file)")
            .ValidateOnStart();
        services.AddSingleton(sp => SourcesRoot.From(sp.GetRequiredService<IOptions<SourcesOptions>>().Value, sp.GetRequiredService<StoreOptions>()));
        services.AddScoped<SourceJobs>();
        services.AddSingleton<DataPool.Core.Sources.SamplePreviewer>();
        return services;
    }
}

/// <summary>
/// Where definitions added through the API live: <c>DataPool:SourcesRoot</c> (environment <c>DataPool__SourcesRoot</c>),
/// a folder; unset, <c>sources</c> in the pool's data folder.
/// </summary>
public sealed class SourcesOptions
{
    /// <summary>The section <see cref="SourcesRoot"/> is a key of (a key of DataPool itself, as it always was).</summary>
    public const string Section = "DataPool";

    public string? SourcesRoot { get; set; }
}

/// <summary>
/// The folder a definition added through the API resolves its relative paths against (it has no file of
/// its own). Connectors refuse paths that leave it, so an API caller can only name files an operator put there.
/// </summary>
public sealed record SourcesRoot(string Path)
{
    public static SourcesRoot From(SourcesOptions options, StoreOptions store) =>
        new(System.IO.Path.GetFullPath(options.SourcesRoot is { Length: > 0 } configured
            ? configured
            : System.IO.Path.Combine(store.DataDirectory, "sources")));

    /// <summary>The folder, created on first use so a check of a new source finds it even when still empty.</summary>
    public string Ensure()
    {
        Directory.CreateDirectory(Path);
        return Path;
    }
}

/// <summary>
/// Keeps the scheduler in step with the sources and runs a sync now. Uses <see cref="ISourceSchedule"/>
/// (Hangfire) when registered; without it a sync runs in the background of this process, so the API
/// works on a host without the scheduler.
/// </summary>
public sealed class SourceJobs(IServiceProvider services, SyncRunner runner, RunBook runs, IHostApplicationLifetime lifetime, ILogger<SourceJobs> logger)
{
    // Resolved per call, optionally: the scheduler is a separate feature and may be absent.
    private ISourceSchedule? Schedule => services.GetService<ISourceSchedule>();

    public void Apply(string sourceId, string? cron) => Schedule?.Apply(sourceId, cron);

    public void Remove(string sourceId) => Schedule?.Remove(sourceId);

    /// <summary>
    /// Queues a sync now: records its run first (status <c>queued</c>) so the caller can follow it by id from the
    /// start, then the job (Hangfire's, or <c>local-…</c> for an in-process run) that starts that run.
    /// </summary>
    public async Task<(long RunId, string JobId)> EnqueueAsync(string sourceId, bool confirmDeletions = false, CancellationToken cancellationToken = default)
    {
        var runId = await runs.QueueAsync(sourceId, SyncSourceJob.Api, confirmDeletions, cancellationToken);
        return (runId, Enqueue(sourceId, confirmDeletions, runId));
    }

    private string Enqueue(string sourceId, bool confirmDeletions, long runId)
    {
        if (Schedule is { } schedule)
        {
            return schedule.Enqueue(sourceId, confirmDeletions, runId);
        }

        var job = "local-" + Guid.NewGuid().ToString("N");
        var stopping = lifetime.ApplicationStopping;
        _ = Task.Run(async () =>
        {
            try
            {
                // The runner records the run, its counts and any failure in dp_runs; nothing to return here.
                var result = await runner.RunAsync(sourceId, SyncSourceJob.Api, null, confirmDeletions, runId, stopping);
                logger.LogInformation("Job {Job}: {Summary}", job, result.SummaryLine);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                logger.LogWarning("Job {Job}: sync of {SourceId} stopped with the server", job, sourceId);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Job {Job}: sync of {SourceId} failed", job, sourceId);
            }
        }, CancellationToken.None);
        return job;
    }
}
