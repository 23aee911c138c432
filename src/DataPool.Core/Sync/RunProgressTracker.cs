using System.Diagnostics;
using DataPool.Abstractions;

namespace DataPool.Core.Sync;

/// <summary>
/// Counts the rows of one run as they are delivered and tells whoever watches: the caller's
/// <see cref="IProgress{T}"/> every 10,000 rows (the command line's plain lines) and, at most four times a second,
/// the run book (the API and other nodes) and the caller again (a terminal's bar).
/// </summary>
internal sealed class RunProgressTracker(string sourceId, long runId, int streamCount, RunBook? book, IProgress<SyncProgress>? progress)
{
    private const int ReportEvery = 10_000;
    private const long TickMilliseconds = 250;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _runRows;
    private long _streamRows;
    private int _index;
    private string _stream = "";
    private ReadProgress _read = new();
    private string? _phase;
    private long _nextTick;

    /// <param name="phase">Which read of a walked stream (<see cref="RunProgress.Walking"/>, then <see cref="RunProgress.Applying"/>): the second is the same stream, not the next.</param>
    public async Task BeginStreamAsync(string stream, ReadProgress read, CancellationToken cancellationToken, string? phase = null)
    {
        if (!(phase == RunProgress.Applying && stream == _stream))
        {
            _index++;
        }

        (_stream, _read, _streamRows, _phase) = (stream, read, 0, phase);
        await TickAsync(cancellationToken);
    }

    public async ValueTask RowAsync(CancellationToken cancellationToken)
    {
        _runRows++;
        if (++_streamRows % ReportEvery == 0)
        {
            progress?.Report(new SyncProgress(sourceId, _stream, _streamRows, Snapshot()));
        }

        if (_clock.ElapsedMilliseconds >= _nextTick)
        {
            await TickAsync(cancellationToken);
        }
    }

    public void EndStream() => progress?.Report(new SyncProgress(sourceId, _stream, _streamRows, Snapshot()));

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        _nextTick = _clock.ElapsedMilliseconds + TickMilliseconds;
        var snapshot = Snapshot();
        progress?.Report(new SyncProgress(sourceId, _stream, _streamRows, snapshot, Periodic: true));
        if (book is not null)
        {
            await book.PublishAsync(runId, snapshot, cancellationToken);
        }
    }

    private RunProgress Snapshot() => RunProgress.Of(_stream, _index, streamCount, _runRows, _streamRows, _clock.Elapsed, _read, _phase);
}
