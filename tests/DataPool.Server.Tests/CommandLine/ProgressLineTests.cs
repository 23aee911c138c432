using DataPool.Abstractions;
using DataPool.Core.Sync;
using DataPool.Server.Cli;

namespace DataPool.Server.Tests.CommandLine;

/// <summary>The line a terminal shows while <c>sync</c> runs: a bar, percent and ETA where the total is known; rows and rows/s otherwise.</summary>
public sealed class ProgressLineTests
{
    private static SyncProgress At(long rows, double seconds, long? totalBytes, long position, int streams = 1, string? phase = null)
    {
        var read = new ReadProgress();
        if (totalBytes is { } total)
        {
            read.SetTotal(total, ProgressUnit.Bytes);
            read.ReportPosition(position);
        }

        return new SyncProgress("hukou", "persons", rows, RunProgress.Of("persons", 1, streams, rows, rows, TimeSpan.FromSeconds(seconds), read, phase));
    }

    [Test]
    public void A_known_total_draws_a_bar_with_percent_and_eta()
    {
        var line = ProgressLine.Format(At(120_000, 30, totalBytes: 4_000, position: 1_000));

        Assert.That(line, Is.EqualTo("hukou/persons [######··················]  25.0%  ETA 1:30  120,000 rows  4,000 rows/s"));
        Assert.That(line, Has.Length.LessThanOrEqualTo(ProgressLine.Width));
    }

    [Test]
    public void An_unknown_total_shows_rows_and_rate_only()
    {
        Assert.That(ProgressLine.Format(At(5_000, 2, totalBytes: null, position: 0, streams: 2)), Is.EqualTo("hukou/persons (1/2)  5,000 rows  2,500 rows/s"));
    }

    [Test]
    public void A_walked_stream_says_which_read_it_is_and_each_read_fills_half_the_bar()
    {
        Assert.That(ProgressLine.Format(At(120_000, 30, totalBytes: 4_000, position: 2_000, phase: RunProgress.Walking)),
            Is.EqualTo("hukou/persons, first read (hashes) [######··················]  25.0%  ETA 1:30  120,000 rows  4,000 rows/s"));
        Assert.That(ProgressLine.Format(At(120_000, 30, totalBytes: 4_000, position: 2_000, phase: RunProgress.Applying)),
            Does.StartWith("hukou/persons, second read [##################······]  75.0%"));
    }
}
