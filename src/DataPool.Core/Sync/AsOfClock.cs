using System.Globalization;
using DataPool.Abstractions;
using DataPool.Core.Schema;
using DataPool.Core.Store.Writing;
using DataPool.Core.Values;

namespace DataPool.Core.Sync;

/// <summary>Reads a stream's <c>asOf</c> column and keeps its records' as-of times.</summary>
internal sealed class AsOfClock(StreamDefinition stream, PoolEntity entity, long now)
{
    private readonly string[] _recent = entity.Fields.Values.Where(f => f.Survivorship == Survivorship.Recent).Select(f => f.Name).ToArray();

    public string? Next(string? previous, IReadOnlyDictionary<string, string> values, RawRow row) =>
        AsOfTimes.Next(previous, values, _recent, now, stream.AsOf is { } column ? Stated(row[column]) : null);

    /// <summary>A date-time (ISO 8601 or <c>yyyy-MM-dd HH:mm:ss</c>, UTC unless it says otherwise) or any legacy date format (midnight UTC).</summary>
    public static long? Stated(string? raw)
    {
        if (Text.Clean(raw) is not { } text)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var moment)
            && text.Length > 10)
        {
            return moment.UtcTicks;
        }

        return LegacyDate.TryParse(text, out var date, out _)
            ? new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).UtcTicks
            : null;
    }
}
