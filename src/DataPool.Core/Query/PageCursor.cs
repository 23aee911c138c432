using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using DataPool.Core.Schema;

namespace DataPool.Core.Query;

/// <summary>
/// The opaque <c>after</c> cursor of keyset paging: the sort it belongs to and the last row's sort values and pool id.
/// Its values only ever become parameters; a cursor that was tampered with can move the page, never change the SQL.
/// </summary>
public sealed record PageCursor(string Sort, IReadOnlyList<string?> Values, long PoolId)
{
    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(this));

    public static string SortText(IReadOnlyList<SortKey> sort) => string.Join(",", sort.Select(k => (k.Descending ? "-" : "") + k.Field));

    /// <summary>The cursor, or null with a reason when it is not one of ours or belongs to another sort.</summary>
    public static PageCursor? Decode(string text, IReadOnlyList<SortKey> sort, out string problem)
    {
        problem = "";
        PageCursor? cursor = null;
        try
        {
            cursor = JsonSerializer.Deserialize<PageCursor>(Base64Url.DecodeFromChars(text));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
        }

        if (cursor?.Values is null || cursor.Sort is null)
        {
            problem = "'after' is not a cursor this API gave out";
            return null;
        }

        if (cursor.Sort != SortText(sort) || cursor.Values.Count != sort.Count)
        {
            problem = "'after' belongs to another sort: page with the same sort as the first page";
            return null;
        }

        return cursor;
    }

    /// <summary>A cursor value as the parameter the column compares with; null when it cannot be one.</summary>
    public static bool TryValue(PoolField field, string? text, out object? value)
    {
        value = null;
        if (text is null)
        {
            return true;
        }

        switch (field.Type)
        {
            case FieldTypes.Int or FieldTypes.Bool when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number):
                value = number;
                return true;
            case FieldTypes.Decimal when decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount):
                value = amount;
                return true;
            case FieldTypes.Int or FieldTypes.Bool or FieldTypes.Decimal:
                return false;
            default:
                value = text;
                return true;
        }
    }
}
