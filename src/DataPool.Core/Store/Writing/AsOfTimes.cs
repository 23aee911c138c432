using System.Text.Json;
using System.Text.Json.Serialization;

namespace DataPool.Core.Store.Writing;

/// <summary>
/// When a source record's values became true, as <c>recent</c> survivorship ranks them (column
/// <c>dp_source_records.as_of</c>). The source's own word when its stream maps an <c>asOf</c> column; else, per
/// <c>recent</c> field, the time the pool first saw this record hold that value. Past values keep their first-seen
/// time too, so a row that turns bad (or vanishes from a cut-off file) and comes back with the same value ranks
/// exactly as before: the pool depends on what the sources hold, not on the order of the syncs in between.
/// </summary>
internal sealed class AsOfTimes
{
    /// <summary>Past values remembered per field; a value older than this many changes counts as new when it returns.</summary>
    private const int Remembered = 8;

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The row's stated as-of (UTC ticks), when its stream maps one and the row gives it.</summary>
    [JsonPropertyName("s")]
    public long? Stated { get; set; }

    /// <summary>Per <c>recent</c> field: [value hash, first seen (UTC ticks)], the current value first.</summary>
    [JsonPropertyName("f")]
    public Dictionary<string, List<long[]>> Seen { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The time a record's source states for its values (ISO 8601, UTC), or null when its stream maps no <c>asOf</c> column.</summary>
    public static string? StatedTime(string? json) =>
        Parse(json)?.Stated is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero).ToString("O", System.Globalization.CultureInfo.InvariantCulture) : null;

    public static AsOfTimes? Parse(string? json) => string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<AsOfTimes>(json, Json);

    /// <summary>
    /// The as-of time of one of the record's values: stated, else first seen. 0 for a record written before
    /// as-of times were kept, so it ranks below every value seen since.
    /// </summary>
    public long Of(string field, string value)
    {
        if (Stated is { } stated)
        {
            return stated;
        }

        var hash = RowHasher.HashText(value);
        return Seen.TryGetValue(field, out var seen) && seen.Find(s => s[0] == hash) is { } entry ? entry[1] : 0;
    }

    /// <summary>The times after a record is written with <paramref name="values"/> at <paramref name="now"/>; null when there is nothing to keep.</summary>
    public static string? Next(string? previous, IReadOnlyDictionary<string, string> values, IEnumerable<string> recentFields, long now, long? stated)
    {
        var times = Parse(previous) ?? new AsOfTimes();
        times.Stated = stated;
        foreach (var field in recentFields)
        {
            if (!values.TryGetValue(field, out var value))
            {
                continue;
            }

            var hash = RowHasher.HashText(value);
            var seen = times.Seen.TryGetValue(field, out var list) ? list : times.Seen[field] = [];
            var index = seen.FindIndex(s => s[0] == hash);
            var entry = index >= 0 ? seen[index] : [hash, now];
            if (index >= 0)
            {
                seen.RemoveAt(index);
            }

            seen.Insert(0, entry);
            if (seen.Count > Remembered)
            {
                seen.RemoveRange(Remembered, seen.Count - Remembered);
            }
        }

        return times.Stated is null && times.Seen.Count == 0 ? null : JsonSerializer.Serialize(times, Json);
    }
}
