using System.Collections.Concurrent;
using DataPool.Core.Reports;

namespace DataPool.Server.Reports;

/// <summary>
/// "Run now" from the API: records the run as running, answers at once, and generates it in the background on this
/// node, so the caller polls <c>GET /api/reports/runs/{id}</c> until it has finished instead of holding a request open
/// for a large report. Stopping the server cancels what is in progress; the generator ends such a run as failed.
/// </summary>
public sealed class ReportRunner(ReportGenerator generator, ILogger<ReportRunner> logger) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, Task> _running = new();

    /// <summary>Starts a run; the returned id is already readable (status <c>running</c>).</summary>
    public async Task<long> StartAsync(string reportId, string trigger, CancellationToken cancellationToken)
    {
        var runId = await generator.StartAsync(reportId, trigger, cancellationToken);
        _running[runId] = Task.Run(async () =>
        {
            try
            {
                await generator.CompleteAsync(reportId, runId, _stopping.Token);
            }
            catch (Exception e)
            {
                // The run's record holds the reason; this only keeps a stopped or failed run from escaping the task.
                logger.LogWarning(e, "Report {ReportId} run {RunId} did not finish", reportId, runId);
            }
            finally
            {
                _running.TryRemove(runId, out _);
            }
        }, CancellationToken.None);
        return runId;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_running.Values).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
