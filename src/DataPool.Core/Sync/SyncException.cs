namespace DataPool.Core.Sync;

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
