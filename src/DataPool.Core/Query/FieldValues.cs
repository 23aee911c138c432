using System.Globalization;
using DataPool.Core.Schema;

namespace DataPool.Core.Query;

/// <summary>
/// Turns the text of a filter or a cursor into the value a parameter carries, by the field's type in the schema
/// (dates stay ISO text, as the pool stores them; flags are 0/1).
/// </summary>
public static class FieldValues
{
    public static bool TryConvert(PoolField field, SchemaCatalog catalog, string text, out object value, out string problem)
    {
        problem = "";
        value = text;
        switch (field.Type)
        {
            case FieldTypes.Int when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number):
                value = number;
                return true;
            case FieldTypes.Int:
                problem = $"'{text}' is not a whole number";
                return false;
            case FieldTypes.Decimal when decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount):
                value = amount;
                return true;
            case FieldTypes.Decimal:
                problem = $"'{text}' is not a number";
                return false;
            case FieldTypes.Bool:
                value = text switch { "1" or "true" => 1L, "0" or "false" => 0L, _ => -1L };
                problem = $"'{text}' is not true/false (or 1/0)";
                return (long)value >= 0;
            case FieldTypes.Date when DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _):
                return true;
            case FieldTypes.Date:
                problem = $"'{text}' is not a date (yyyy-MM-dd)";
                return false;
            case FieldTypes.Code when field.CodeTable is not null && catalog.CodeTables.TryGetValue(field.CodeTable, out var table) && !table.Codes.ContainsKey(text):
                problem = $"'{text}' is not a code of {field.CodeTable} (codes: {string.Join(", ", table.Codes.Keys.Take(20))}{(table.Codes.Count > 20 ? ", …" : "")})";
                return false;
            default:
                return true;
        }
    }

    /// <summary>A value read from the store as the API shows it: invariant text.</summary>
    public static string? Text(object? value) => value switch
    {
        null or DBNull => null,
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        double d => ((decimal)d).ToString(CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}
