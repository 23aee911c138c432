using System.Globalization;
using System.Text.Json;
using DataPool.Abstractions;

namespace DataPool.Core.Sync;

/// <summary>
/// Where a running sync is: the stream in progress (1-based of how many), rows read so far in the run and in the
/// stream, and the stream's total where its connector knows one (bytes of a file, rows of a trailer or a
/// <c>COUNT(*)</c>, pages of an API). Percent and ETA are null when no total is known. A walked stream (one too large
/// to hold its stored hashes) is read twice: its <see cref="Phase"/> says which read, and each read is half the stream.
/// </summary>
public sealed record RunProgress(string Stream, int StreamIndex, int StreamCount, long RowsRead, long StreamRowsRead,
    double ElapsedSeconds, string Unit, long? Total, long? Position, string UpdatedAt, string? Phase = null)
{
    /// <summary>The first read of a walked stream: its rows' hashes, compared with the stored ones.</summary>
    public const string Walking = "walk";

    /// <summary>The second read of a walked stream: its rows worked as in any run.</summary>
    public const string Applying = "apply";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Rows per second over the run so far.</summary>
    public double RowsPerSecond => ElapsedSeconds > 0 ? Math.Round(RowsRead / ElapsedSeconds, 1) : 0;

    /// <summary>Share of the run done, 0–100: finished streams count whole, the current one by its own fraction.</summary>
    public double? Percent => StreamFraction is { } fraction ? Math.Round(100 * (StreamIndex - 1 + fraction) / Math.Max(1, StreamCount), 1) : null;

    /// <summary>Seconds left at the pace so far; null while no total is known or nothing is done yet.</summary>
    public double? EtaSeconds => Percent is > 0 and var percent ? Math.Round(ElapsedSeconds * (100 - percent) / percent, 1) : null;

    private double? StreamFraction => Total is > 0 and var total && Position is { } position
        ? OfStream(Math.Clamp((double)position / total, 0, 1))
        : null;

    /// <summary>The share of the stream done when <paramref name="read"/> of the current read is: each read of a walked stream is half of it.</summary>
    private double OfStream(double read) => Phase switch
    {
        Walking => read / 2,
        Applying => 0.5 + read / 2,
        _ => read,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static RunProgress? FromJson(string? json) => string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<RunProgress>(json, Json);

    /// <summary>Where a run is, from its counters and the connector's <see cref="ReadProgress"/> of the current stream.</summary>
    /// <param name="phase">Which read of a walked stream (<see cref="Walking"/>, <see cref="Applying"/>); null: the stream's only one.</param>
    public static RunProgress Of(string stream, int index, int count, long runRows, long streamRows, TimeSpan elapsed, ReadProgress read, string? phase = null)
    {
        var unit = read.Total is null ? ProgressUnit.Unknown : read.Unit;
        long? position = unit switch
        {
            ProgressUnit.Unknown => null,
            ProgressUnit.Rows => streamRows,
            _ => read.Position,
        };
        return new RunProgress(stream, index, count, runRows, streamRows, Math.Round(elapsed.TotalSeconds, 3),
            unit.ToString().ToLowerInvariant(), read.Total, position, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), phase);
    }
}
