using System.Data.Common;
using System.Globalization;
using System.Text;

namespace DataPool.Connectors.Sql;

/// <summary>How a column's values become text, decided once per column from its declared type.</summary>
internal enum SqlValueFormat
{
    /// <summary>By the runtime type of each value (SQLite: each value has its own storage class).</summary>
    Any,

    /// <summary>A calendar date: <c>yyyy-MM-dd</c> even though the driver hands a DateTime.</summary>
    Date,
}

/// <summary>Database values as invariant text: what a legacy export of the same table would hold.</summary>
internal static class SqlValues
{
    public const string DateFormat = "yyyy-MM-dd";
    public const string DateTimeFormat = "yyyy-MM-dd HH:mm:ss";

    public static SqlValueFormat FormatOf(DbDataReader reader, int ordinal)
    {
        string type;
        try
        {
            type = reader.GetDataTypeName(ordinal);
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or IndexOutOfRangeException)
        {
            return SqlValueFormat.Any;
        }

        // PostgreSQL's "date"; a SQLite column declared DATE holds text or numbers, read as they are.
        return string.Equals(type, "date", StringComparison.OrdinalIgnoreCase) && reader.GetFieldType(ordinal) == typeof(DateTime)
            ? SqlValueFormat.Date
            : SqlValueFormat.Any;
    }

    /// <summary>The value as text; null for SQL NULL and for an empty string (an empty cell, as in every other connector).</summary>
    public static string? Read(DbDataReader reader, int ordinal, SqlValueFormat format)
    {
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }

        var value = reader.GetValue(ordinal);
        var text = format == SqlValueFormat.Date && value is DateTime date
            ? date.ToString(DateFormat, CultureInfo.InvariantCulture)
            : ToText(value);
        return text is { Length: 0 } ? null : text;
    }

    public static string? ToText(object? value) => value switch
    {
        null or DBNull => null,
        string s => s,
        char c => c.ToString(),
        bool b => b ? "true" : "false",
        DateOnly d => d.ToString(DateFormat, CultureInfo.InvariantCulture),
        // Seconds: legacy systems and the pool keep no finer time. A cursor truncated to the second can only
        // make the next sync re-read rows of that second, never skip one.
        DateTime dt => dt.ToString(DateTimeFormat, CultureInfo.InvariantCulture),
        DateTimeOffset dto => dto.UtcDateTime.ToString(DateTimeFormat, CultureInfo.InvariantCulture),
        TimeOnly t => t.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
        TimeSpan ts => ts.ToString(ts.Days != 0 ? @"d\.hh\:mm\:ss" : @"hh\:mm\:ss", CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        double f => Real(f),
        float f => Real(f),
        byte[] bytes => Convert.ToHexString(bytes),
        Guid g => g.ToString("D"),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.IEnumerable list => Join(list),
        _ => value.ToString(),
    };

    /// <summary>A float without an exponent: 1E-05 → 0.00001, 1E+20 → 100000000000000000000, shortest round-trip digits.</summary>
    private static string Real(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return value.ToString(CultureInfo.InvariantCulture);
        }

        var r = value.ToString("R", CultureInfo.InvariantCulture);
        var e = r.IndexOfAny(['E', 'e']);
        if (e < 0)
        {
            return r;
        }

        var mantissa = r[..e];
        var exponent = int.Parse(r[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var negative = mantissa.StartsWith('-');
        var digits = mantissa.TrimStart('-').Replace(".", "", StringComparison.Ordinal);
        var point = mantissa.TrimStart('-').IndexOf('.', StringComparison.Ordinal);
        var integerDigits = (point < 0 ? digits.Length : point) + exponent;
        string body;
        if (integerDigits <= 0)
        {
            body = "0." + new string('0', -integerDigits) + digits;
        }
        else if (integerDigits >= digits.Length)
        {
            body = digits + new string('0', integerDigits - digits.Length);
        }
        else
        {
            body = digits[..integerDigits] + "." + digits[integerDigits..];
        }

        return negative ? "-" + body : body;
    }

    private static string Join(System.Collections.IEnumerable list)
    {
        var text = new StringBuilder();
        foreach (var item in list)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(ToText(item));
        }

        return text.ToString();
    }
}
