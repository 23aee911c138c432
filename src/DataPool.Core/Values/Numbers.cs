using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace DataPool.Core.Values;

/// <summary>
/// Numbers and yes/no values as people type them into spreadsheets: thousands separators,
/// full-width digits, ¥ and 元, 是/否 and ticks. Always invariant culture: a legacy file's
/// "1,100" is eleven hundred whatever the server's locale.
/// </summary>
public static class Numbers
{
    private const NumberStyles IntegerStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowThousands;
    private const NumberStyles DecimalStyle = IntegerStyle | NumberStyles.AllowDecimalPoint;

    public static bool TryParseInt(string? raw, out long value, [NotNullWhen(false)] out string? error)
    {
        value = 0;
        Span<char> buffer = stackalloc char[Chars.MaxValueLength];
        if (!TryExtract(raw, buffer, out var number, out error))
        {
            return false;
        }
        if (long.TryParse(number, IntegerStyle, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }
        // "12.0" is how a spreadsheet writes the integer 12; "12.5" is not an integer.
        if (decimal.TryParse(number, DecimalStyle, CultureInfo.InvariantCulture, out var d))
        {
            if (d != decimal.Truncate(d))
            {
                error = $"{Chars.Quote(raw!)} is not a whole number";
                return false;
            }
            if (d >= long.MinValue && d <= long.MaxValue)
            {
                value = (long)d;
                return true;
            }
            error = $"{Chars.Quote(raw!)} is out of range";
            return false;
        }
        error = LooksNumeric(number) ? $"{Chars.Quote(raw!)} is out of range" : $"{Chars.Quote(raw!)} is not a number";
        return false;
    }

    public static bool TryParseDecimal(string? raw, out decimal value, [NotNullWhen(false)] out string? error)
    {
        value = 0;
        Span<char> buffer = stackalloc char[Chars.MaxValueLength];
        if (!TryExtract(raw, buffer, out var number, out error))
        {
            return false;
        }
        if (decimal.TryParse(number, DecimalStyle, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }
        error = LooksNumeric(number) ? $"{Chars.Quote(raw!)} is out of range" : $"{Chars.Quote(raw!)} is not a number";
        return false;
    }

    public static bool TryParseBool(string? raw, out bool value, [NotNullWhen(false)] out string? error)
    {
        value = false;
        if (string.IsNullOrWhiteSpace(raw))
        {
            error = "value is empty";
            return false;
        }
        Span<char> buffer = stackalloc char[Chars.MaxValueLength];
        if (Chars.TryFoldTrim(raw, buffer, out var length))
        {
            ReadOnlySpan<char> t = buffer[..length];
            if (length == 1)
            {
                switch (char.ToUpperInvariant(t[0]))
                {
                    case '是' or '有' or 'Y' or '1' or '√' or '✓' or '✔':
                        value = true;
                        error = null;
                        return true;
                    case '否' or '无' or 'N' or '0' or '×' or '✗' or '✘':
                        error = null;
                        return true;
                }
            }
            else if (t.Equals("yes", StringComparison.OrdinalIgnoreCase) || t.Equals("true", StringComparison.OrdinalIgnoreCase))
            {
                value = true;
                error = null;
                return true;
            }
            else if (t.Equals("no", StringComparison.OrdinalIgnoreCase) || t.Equals("false", StringComparison.OrdinalIgnoreCase))
            {
                error = null;
                return true;
            }
        }
        error = $"{Chars.Quote(raw)} is not a yes/no value";
        return false;
    }

    /// <summary>
    /// The sign and digits of a money-or-number cell with ¥, 元 and spaces peeled off, ready for
    /// the invariant parser.
    /// </summary>
    private static bool TryExtract(string? raw, Span<char> buffer, out ReadOnlySpan<char> number, [NotNullWhen(false)] out string? error)
    {
        number = default;
        if (string.IsNullOrWhiteSpace(raw))
        {
            error = "number is empty";
            return false;
        }
        if (!Chars.TryFoldTrim(raw, buffer, out var length))
        {
            error = $"{Chars.Quote(raw)} is not a number";
            return false;
        }
        var t = buffer[..length];
        var negative = false;
        if (t.Length > 0 && t[0] is '-' or '+')
        {
            negative = t[0] == '-';
            t = t[1..].TrimStart(' ');
        }
        if (t.Length > 0 && t[0] == '¥')
        {
            t = t[1..].TrimStart(' ');
            if (!negative && t.Length > 0 && t[0] is '-' or '+')
            {
                negative = t[0] == '-';
                t = t[1..].TrimStart(' ');
            }
        }
        if (t.Length > 0 && t[^1] == '元')
        {
            t = t[..^1].TrimEnd(' ');
        }
        if (t.IsEmpty || (!Chars.IsAsciiDigit(t[0]) && t[0] != '.'))
        {
            error = $"{Chars.Quote(raw)} is not a number";
            return false;
        }
        number = negative ? Prefix(buffer, t) : t;
        error = null;
        return true;
    }

    private static ReadOnlySpan<char> Prefix(Span<char> buffer, Span<char> digits)
    {
        // Digits always lie past index 0 of buffer when a sign was peeled, so copying them to
        // index 1 behind a '-' is an overlapping move that Span.CopyTo handles.
        digits.CopyTo(buffer[1..]);
        buffer[0] = '-';
        return buffer[..(digits.Length + 1)];
    }

    /// <summary>Digits with separators only: if the parser refused it, it was too big.</summary>
    private static bool LooksNumeric(ReadOnlySpan<char> number)
    {
        if (number.Length > 0 && number[0] == '-')
        {
            number = number[1..];
        }
        var dots = 0;
        foreach (var c in number)
        {
            if (c == '.')
            {
                dots++;
            }
            else if (!Chars.IsAsciiDigit(c) && c != ',')
            {
                return false;
            }
        }
        return dots <= 1;
    }
}
