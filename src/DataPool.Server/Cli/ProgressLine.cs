using System.Globalization;
using DataPool.Core.Sync;

namespace DataPool.Server.Cli;

/// <summary>The one line a terminal shows while a sync runs.</summary>
public static class ProgressLine
{
    public const int Width = 100;
    private const int BarCells = 24;

    /// <summary>
    /// <c>hukou/persons [#########·······]  37.5%  ETA 0:42  120,000 rows  8,400 rows/s</c> when the total is known;
    /// <c>hukou/persons  120,000 rows  8,400 rows/s</c> when it is not.
    /// </summary>
    public static string Format(SyncProgress progress)
    {
        var run = progress.Run;
        var rows = string.Create(CultureInfo.InvariantCulture, $"{progress.Read:N0} rows");
        var rate = run is null ? "" : string.Create(CultureInfo.InvariantCulture, $"  {run.RowsPerSecond:N0} rows/s");
        var stream = (run is { StreamCount: > 1 } ? $"{progress.SourceId}/{progress.Stream} ({run.StreamIndex}/{run.StreamCount})" : $"{progress.SourceId}/{progress.Stream}") + Phase(run);
        if (run?.Percent is not { } percent)
        {
            return $"{stream}  {rows}{rate}";
        }

        var filled = (int)Math.Round(BarCells * percent / 100);
        var bar = new string('#', filled) + new string('·', BarCells - filled);
        var eta = run.EtaSeconds is { } seconds ? "  ETA " + Duration(seconds) : "";
        return string.Create(CultureInfo.InvariantCulture, $"{stream} [{bar}] {percent,5:0.0}%{eta}  {rows}{rate}");
    }

    /// <summary>Which read of a walked stream (read twice: once for its hashes, once to work its rows), or nothing.</summary>
    public static string Phase(RunProgress? run) => run?.Phase switch
    {
        RunProgress.Walking => ", first read (hashes)",
        RunProgress.Applying => ", second read",
        _ => "",
    };

    private static string Duration(double seconds)
    {
        var span = TimeSpan.FromSeconds(Math.Ceiling(seconds));
        return span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}:{span.Seconds:00}");
    }
}
