using System.Globalization;
using ClosedXML.Excel;

namespace DataPool.Connectors.Excel;

/// <summary>The text of one cell as a person reads it in Excel, and a problem that makes it untrustworthy.</summary>
internal readonly record struct CellText(string? Text, string? Problem = null)
{
    public static readonly CellText Empty = new(null);
}

/// <summary>
/// Turns a cell into the text the pipeline parses. Excel stores dates and IDs as numbers, so the
/// stored value alone is not what the department meant: the number format decides.
/// </summary>
internal static class CellReader
{
    /// <summary>Excel keeps 15 significant digits; an integer part this large has already lost digits.</summary>
    private const double LostDigitsThreshold = 1e15;

    private static readonly DateTime ExcelEpoch = new(1899, 12, 30);

    public static CellText Read(IXLCell cell)
    {
        object? value;
        if (cell.HasFormula)
        {
            // The value Excel saved is what the department saw; ClosedXML's evaluator knows fewer
            // functions than Excel, so it is only the fallback for files saved without cached values.
            var cached = cell.CachedValue;
            if (!IsBlank(cached) || !cell.NeedsRecalculation)
            {
                value = cached;
            }
            else
            {
                try
                {
                    value = cell.Value;
                }
                catch (Exception ex)
                {
                    return new CellText(null,
                        $"cell {Address(cell)}: the formula ={cell.FormulaA1} has no saved value and could not be evaluated ({ex.Message})");
                }
            }
        }
        else
        {
            value = cell.Value;
        }

        return value switch
        {
            null => CellText.Empty,
            string text => new CellText(string.IsNullOrWhiteSpace(text) ? null : text),
            bool flag => new CellText(flag ? "TRUE" : "FALSE"),
            DateTime date => new CellText(FormatDateTime(date)),
            TimeSpan time => new CellText(FormatTime(time)),
            double number => ReadNumber(cell, number),
            IConvertible convertible when IsNumeric(convertible) =>
                ReadNumber(cell, convertible.ToDouble(CultureInfo.InvariantCulture)),
            _ => new CellText(value.ToString()),
        };
    }

    /// <summary>A cell reference as Excel shows it, e.g. <c>C7</c>.</summary>
    public static string Address(IXLCell cell) => cell.Address.ToStringRelative();

    private static CellText ReadNumber(IXLCell cell, double number)
    {
        var format = cell.Style.NumberFormat;
        if (NumberFormats.IsDateTime(format.NumberFormatId, format.Format) && TryFromSerial(number, out var date))
        {
            return new CellText(number is >= 0 and < 1 ? FormatTime(date.TimeOfDay) : FormatDateTime(date));
        }

        if (Math.Abs(number) >= LostDigitsThreshold)
        {
            return new CellText(FormatNumber(number),
                $"cell {Address(cell)}: an ID-like number with more than 15 digits was stored as a number and lost its last digits; store it as text");
        }

        if (NumberFormats.IsZeroPadded(format.Format))
        {
            // "000000" is how departments keep leading zeros of codes typed as numbers.
            return new CellText(number.ToString(format.Format, CultureInfo.InvariantCulture));
        }

        return new CellText(FormatNumber(number));
    }

    /// <summary>Invariant text without exponent; integral values without ".0".</summary>
    internal static string FormatNumber(double number)
    {
        if (double.IsNaN(number) || double.IsInfinity(number))
        {
            return number.ToString(CultureInfo.InvariantCulture);
        }

        // decimal keeps 15 significant digits, as Excel displays them, so 0.1+0.2 reads "0.3",
        // and never writes an exponent.
        if (Math.Abs(number) < 7.9e27)
        {
            return ((decimal)number).ToString(CultureInfo.InvariantCulture);
        }

        return number.ToString("F0", CultureInfo.InvariantCulture);
    }

    internal static string FormatDateTime(DateTime value)
    {
        value = RoundToSecond(value);
        if (value.Date == ExcelEpoch && value.TimeOfDay != TimeSpan.Zero)
        {
            // A time typed alone is stored as a fraction of day 0; its "date" means nothing.
            return FormatTime(value.TimeOfDay);
        }

        return value.TimeOfDay == TimeSpan.Zero
            ? value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
    }

    private static string FormatTime(TimeSpan time)
    {
        var seconds = (long)Math.Round(time.TotalSeconds, MidpointRounding.AwayFromZero);
        var sign = seconds < 0 ? "-" : "";
        seconds = Math.Abs(seconds);
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{seconds / 3600:00}:{seconds / 60 % 60:00}:{seconds % 60:00}");
    }

    private static DateTime RoundToSecond(DateTime value)
    {
        // Serial numbers are fractions of a day; 12:00 comes back as 11:59:59.9999.
        var ticks = (value.Ticks + TimeSpan.TicksPerSecond / 2) / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond;
        return new DateTime(Math.Min(ticks, DateTime.MaxValue.Ticks), value.Kind);
    }

    private static bool TryFromSerial(double serial, out DateTime date)
    {
        // Excel's calendar starts at 0 and ends at 9999-12-31 (serial 2958465).
        if (serial is >= 0 and < 2958466)
        {
            date = DateTime.FromOADate(serial);
            return true;
        }

        date = default;
        return false;
    }

    private static bool IsBlank(object? value) => value is null || value is string { Length: 0 };

    private static bool IsNumeric(IConvertible value) => value.GetTypeCode() is >= TypeCode.SByte and <= TypeCode.Decimal;
}
