using DataPool.Abstractions;

namespace DataPool.Core.Sync;

/// <summary>A row that passed its rules and now links to the pool.</summary>
internal sealed record PendingRow(RawRow Row, string Key, long Hash, long RecordId, StoredRecord? Stored,
    Dictionary<string, string> Values, Dictionary<string, FlaggedValue>? Flags, string[] EntityKey);

/// <summary>
/// A value kept as the source wrote it because it failed validation under <c>"onInvalid": "flag"</c> (not used); or a
/// value used after cleaning removed control or bidi characters, <paramref name="Error"/> naming them.
/// </summary>
public sealed record FlaggedValue(string Raw, string Error);

/// <summary>A failure of a whole run (bad file, bad definition, lost columns): nothing is written.</summary>
public sealed class SyncException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Cursor values compare as numbers when both are numbers, else as text (ISO dates order as text).</summary>
internal static class CursorOrder
{
    public static int Compare(string a, string b) =>
        decimal.TryParse(a, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var x)
        && decimal.TryParse(b, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var y)
            ? x.CompareTo(y)
            : string.CompareOrdinal(a, b);
}
