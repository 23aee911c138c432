using System.Globalization;
using System.Text.Json;
using DataPool.Abstractions;

namespace DataPool.Core.Sync;

/// <summary>
/// Where a running sync is: the stream in progress (1-based of how many), rows read so far in the run and in the
/// stream, and the stream's total where its connector knows one (bytes of a file, rows of a trailer or a
/// <c>COUNT(*)</c>, pages of an API). Percent and ETA are null when no total is known.
/// </summary>
public sealed record RunProgress(string Stream, int StreamIndex, int StreamCount, long RowsRead, long StreamRowsRead,
    double ElapsedSeconds, string Unit, long? Total, long? Position, string UpdatedAt)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Rows per second over the run so far.</summary>
    public double RowsPerSecond => ElapsedSeconds > 0 ? Math.Round(RowsRead / ElapsedSeconds, 1) : 0;

    /// <summary>Share of the run done, 0–100: finished streams count whole, the current one by its own fraction.</summary>
    public double? Percent => StreamFraction is { } fraction ? Math.Round(100 * (StreamIndex - 1 + fraction) / Math.Max(1, StreamCount), 1) : null;

    /// <summary>Seconds left at the pace so far; null while no total is known or nothing is done yet.</summary>
    public double? EtaSeconds => Percent is > 0 and var percent ? Math.Round(ElapsedSeconds * (100 - percent) / percent, 1) : null;

    private double? StreamFraction => Total is > 0 and var total && Position is { } position
        ? Math.Clamp((double)position / total, 0, 1)
        : null;

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static RunProgress? FromJson(string? json) => string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<RunProgress>(json, Json);

    /// <summary>Where a run is, from its counters and the connector's <see cref="ReadProgress"/> of the current stream.</summary>
    public static RunProgress Of(string stream, int index, int count, long runRows, long streamRows, TimeSpan elapsed, ReadProgress read)
    {
        var unit = read.Total is null ? ProgressUnit.Unknown : read.Unit;
        long? position = unit switch
        {
            ProgressUnit.Unknown => null,
            ProgressUnit.Rows => streamRows,
            _ => read.Position,
        };
        return new RunProgress(stream, index, count, runRows, streamRows, Math.Round(elapsed.TotalSeconds, 3),
            unit.ToString().ToLowerInvariant(), read.Total, position, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
    }
}
