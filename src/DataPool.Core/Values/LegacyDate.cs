using System.Diagnostics.CodeAnalysis;

namespace DataPool.Core.Values;

/// <summary>
/// Dates as legacy systems export them: year first with '-', '/', '.' or 年月日, yyyyMMdd,
/// an optional time part, and Excel serial numbers.
/// </summary>
public static class LegacyDate
{
    // Excel counts 1900-01-01 as serial 1 and wrongly believes 1900 was a leap year (serial 60 is
    // its fictitious 1900-02-29), so from serial 61 on the epoch is one day earlier.
    private static readonly DateOnly SerialEpochBefore60 = new(1899, 12, 31);
    private static readonly DateOnly SerialEpochAfter60 = new(1899, 12, 30);

    public static bool TryParse(string? raw, out DateOnly date, [NotNullWhen(false)] out string? error)
    {
        date = default;
        if (string.IsNullOrWhiteSpace(raw))
        {
            error = "date is empty";
            return false;
        }
        Span<char> buffer = stackalloc char[Chars.MaxValueLength];
        if (!Chars.TryFoldTrim(raw, buffer, out var length))
        {
            error = $"{Chars.Quote(raw)} is not a recognised date format";
            return false;
        }
        ReadOnlySpan<char> t = buffer[..length];

        var digits = LeadingDigits(t);
        var rest = t[digits..];
        // Spreadsheets turn numbers into floats on the way out: "20881.0", "19570302.0".
        if (rest.Length >= 2 && rest[0] == '.' && IsAllZeros(rest[1..]))
        {
            rest = [];
        }
        if (rest.IsEmpty)
        {
            if (digits == 8)
            {
                return FromParts(Number(t[..4]), Number(t.Slice(4, 2)), Number(t.Slice(6, 2)), out date, out error);
            }
            if (digits is >= 1 and <= 5)
            {
                return FromSerial(Number(t[..digits]), out date, out error);
            }
            error = $"{Chars.Quote(t)} is not a recognised date format";
            return false;
        }

        if (TryParseSeparated(t, out var y, out var m, out var d))
        {
            return FromParts(y, m, d, out date, out error);
        }
        error = $"{Chars.Quote(t)} is not a recognised date format";
        return false;
    }

    /// <summary>yyyy{sep}M{sep}d with sep one of - / . or 年月(日), then an optional time part.</summary>
    private static bool TryParseSeparated(ReadOnlySpan<char> t, out int y, out int m, out int d)
    {
        y = m = d = 0;
        var i = 0;
        if (!ReadNumber(t, ref i, 4, 4, out y))
        {
            return false;
        }
        SkipSpaces(t, ref i);
        if (i >= t.Length)
        {
            return false;
        }
        var sep = t[i++];
        char sep2;
        switch (sep)
        {
            case '-' or '/' or '.':
                sep2 = sep;
                break;
            case '年':
                sep2 = '月';
                break;
            default:
                return false;
        }
        SkipSpaces(t, ref i);
        if (!ReadNumber(t, ref i, 1, 2, out m))
        {
            return false;
        }
        SkipSpaces(t, ref i);
        if (i >= t.Length || t[i++] != sep2)
        {
            return false;
        }
        SkipSpaces(t, ref i);
        if (!ReadNumber(t, ref i, 1, 2, out d))
        {
            return false;
        }
        if (sep == '年')
        {
            SkipSpaces(t, ref i);
            if (i < t.Length && t[i] is '日' or '号')
            {
                i++;
            }
        }
        if (i == t.Length)
        {
            return true;
        }
        if (t[i] is not ('T' or ' '))
        {
            return false;
        }
        i++;
        SkipSpaces(t, ref i);
        return IsTime(t[i..]);
    }

    /// <summary>H:mm, H:mm:ss or H:mm:ss.fff, optionally ending in Z.</summary>
    private static bool IsTime(ReadOnlySpan<char> t)
    {
        if (t.Length > 0 && t[^1] == 'Z')
        {
            t = t[..^1];
        }
        var i = 0;
        if (!ReadNumber(t, ref i, 1, 2, out var h) || h > 23 || i >= t.Length || t[i++] != ':')
        {
            return false;
        }
        if (!ReadNumber(t, ref i, 2, 2, out var min) || min > 59)
        {
            return false;
        }
        if (i == t.Length)
        {
            return true;
        }
        if (t[i++] != ':' || !ReadNumber(t, ref i, 2, 2, out var s) || s > 59)
        {
            return false;
        }
        if (i == t.Length)
        {
            return true;
        }
        return t[i++] == '.' && i < t.Length && LeadingDigits(t[i..]) == t.Length - i;
    }

    private static bool FromParts(int y, int m, int d, out DateOnly date, [NotNullWhen(false)] out string? error)
    {
        if (y < 1 || m < 1 || m > 12 || d < 1 || d > DateTime.DaysInMonth(y, m))
        {
            date = default;
            error = $"{y:D4}-{m:D2}-{d:D2} is not a date";
            return false;
        }
        date = new DateOnly(y, m, d);
        error = null;
        return true;
    }

    private static bool FromSerial(int serial, out DateOnly date, [NotNullWhen(false)] out string? error)
    {
        date = default;
        if (serial == 0)
        {
            error = "Excel serial 0 is not a date";
            return false;
        }
        if (serial == 60)
        {
            error = "Excel serial 60 is 1900-02-29, which is not a date";
            return false;
        }
        date = (serial < 60 ? SerialEpochBefore60 : SerialEpochAfter60).AddDays(serial);
        error = null;
        return true;
    }

    private static bool ReadNumber(ReadOnlySpan<char> t, ref int i, int minDigits, int maxDigits, out int value)
    {
        var n = LeadingDigits(t[i..]);
        if (n < minDigits || n > maxDigits)
        {
            value = 0;
            return false;
        }
        value = Number(t.Slice(i, n));
        i += n;
        return true;
    }

    private static void SkipSpaces(ReadOnlySpan<char> t, ref int i)
    {
        while (i < t.Length && t[i] == ' ')
        {
            i++;
        }
    }

    private static int LeadingDigits(ReadOnlySpan<char> t)
    {
        var n = 0;
        while (n < t.Length && Chars.IsAsciiDigit(t[n]))
        {
            n++;
        }
        return n;
    }

    private static bool IsAllZeros(ReadOnlySpan<char> t)
    {
        foreach (var c in t)
        {
            if (c != '0')
            {
                return false;
            }
        }
        return true;
    }

    private static int Number(ReadOnlySpan<char> digits)
    {
        var n = 0;
        foreach (var c in digits)
        {
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
