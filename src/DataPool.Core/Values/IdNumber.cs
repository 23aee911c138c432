using System.Diagnostics.CodeAnalysis;

namespace DataPool.Core.Values;

/// <summary>
/// Resident ID numbers (GB 11643-1999): 6-digit address code, 8-digit birth date, 3-digit
/// sequence (odd = male), check character (ISO 7064 MOD 11-2).
/// </summary>
public static class IdNumber
{
    private const string CheckCharacters = "10X98765432";
    private static ReadOnlySpan<byte> Weights => [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

    /// <summary>The check character for the first 17 digits of an ID number.</summary>
    /// <exception cref="ArgumentException">when <paramref name="first17"/> is not 17 ASCII digits.</exception>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17)
        {
            throw new ArgumentException($"expected 17 digits, got {first17.Length} characters", nameof(first17));
        }
        var weights = Weights;
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var c = first17[i];
            if (!Chars.IsAsciiDigit(c))
            {
                throw new ArgumentException($"contains '{c}' at position {i + 1}, expected only digits", nameof(first17));
            }
            sum += (c - '0') * weights[i];
        }
        return CheckCharacters[sum % 11];
    }

    /// <summary>
    /// Cleans a legacy ID number (full-width, lower-case x, separators, 15-digit form) into the
    /// 18-character form with upper-case X, and checks its birth date and check character.
    /// </summary>
    public static bool TryNormalise(string? raw, [NotNullWhen(true)] out string? normalised, [NotNullWhen(false)] out string? error)
    {
        normalised = null;
        if (string.IsNullOrWhiteSpace(raw))
        {
            error = "ID number is empty";
            return false;
        }

        var s = Chars.Kc(raw);
        // Only the unchanged clean form may be returned as is; anything folded or dropped is rebuilt.
        var changed = !ReferenceEquals(s, raw);
        Span<char> id = stackalloc char[18];
        var count = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var c = Chars.Fold(s[i]);
            if (IsSeparator(c) || (c == '\'' && count == 0))
            {
                // A leading apostrophe is how Excel users keep long digit strings as text.
                changed = true;
                continue;
            }
            if (c != s[i])
            {
                changed = true;
            }
            if (c == 'x')
            {
                c = 'X';
                changed = true;
            }
            if (count < id.Length)
            {
                id[count] = c;
            }
            count++;
        }

        if (count != 18 && count != 15)
        {
            error = $"has {count} characters, expected 18 (or 15)";
            return false;
        }
        for (var i = 0; i < count; i++)
        {
            if (!Chars.IsAsciiDigit(id[i]) && !(i == 17 && id[i] == 'X'))
            {
                error = $"contains '{id[i]}' at position {i + 1}";
                return false;
            }
        }

        if (count == 15)
        {
            // 15-digit numbers predate 2000: the century is always 19.
            id[6..15].CopyTo(id[8..]);
            id[6] = '1';
            id[7] = '9';
            id[17] = CheckCharacter(id[..17]);
            changed = true;
        }

        if (!TryBirthDate(id, out _, out error))
        {
            return false;
        }
        var expected = CheckCharacter(id[..17]);
        if (id[17] != expected)
        {
            error = $"check character is '{id[17]}', expected '{expected}'";
            return false;
        }

        normalised = changed || raw.Length != 18 ? new string(id) : raw;
        error = null;
        return true;
    }

    /// <summary>The birth date encoded in a valid normalised 18-character ID number.</summary>
    /// <exception cref="ArgumentException">when the ID is not 18 characters or its date is not a date.</exception>
    public static DateOnly BirthDate(string id18)
    {
        ArgumentNullException.ThrowIfNull(id18);
        if (id18.Length != 18)
        {
            throw new ArgumentException($"expected an 18-character ID number, got {id18.Length} characters", nameof(id18));
        }
        if (!TryReadDate(id18.AsSpan(6, 8), out var date))
        {
            throw new ArgumentException($"birth date {id18.AsSpan(6, 8)} is not a date", nameof(id18));
        }
        return date;
    }

    /// <summary>GB/T 2261.1 gender code from the sequence digit: "1" male (odd), "2" female (even).</summary>
    /// <exception cref="ArgumentException">when the ID is not 18 characters with a digit at position 17.</exception>
    public static string GenderCode(string id18)
    {
        ArgumentNullException.ThrowIfNull(id18);
        if (id18.Length != 18 || !Chars.IsAsciiDigit(id18[16]))
        {
            throw new ArgumentException("expected an 18-character ID number", nameof(id18));
        }
        return (id18[16] - '0') % 2 == 1 ? "1" : "2";
    }

    private static bool IsSeparator(char c) =>
        c is ' ' or '-' or '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2212'
        || char.IsWhiteSpace(c);

    private static bool TryBirthDate(ReadOnlySpan<char> id, out DateOnly date, [NotNullWhen(false)] out string? error)
    {
        var text = id.Slice(6, 8);
        if (!TryReadDate(text, out date))
        {
            error = $"birth date {text} is not a date";
            return false;
        }
        if (date.Year < 1900)
        {
            error = $"birth date {text} is before 1900";
            return false;
        }
        if (date > Today.Value)
        {
            error = $"birth date {text} is in the future";
            return false;
        }
        error = null;
        return true;
    }

    /// <summary>Reads yyyyMMdd from eight ASCII digits (already checked by the caller).</summary>
    internal static bool TryReadDate(ReadOnlySpan<char> yyyymmdd, out DateOnly date)
    {
        date = default;
        foreach (var c in yyyymmdd)
        {
            if (!Chars.IsAsciiDigit(c))
            {
                return false;
            }
        }
        var y = Number(yyyymmdd[..4]);
        var m = Number(yyyymmdd.Slice(4, 2));
        var d = Number(yyyymmdd.Slice(6, 2));
        if (y < 1 || m < 1 || m > 12 || d < 1 || d > DateTime.DaysInMonth(y, m))
        {
            return false;
        }
        date = new DateOnly(y, m, d);
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

/// <summary>
/// Today's local date, re-read once a minute by a timer: <see cref="DateTime.Now"/> costs a time zone conversion, and
/// on some hosts even a tick count is a system call (about a microsecond), while this runs for every ID number of an
/// import. A timer keeps the per-call cost at a field read.
/// </summary>
internal static class Today
{
    private static DateOnly s_date = Read();

    /// <summary>Held (a static field is a root) so the timer is not collected; it fires for the life of the process.</summary>
    internal static readonly Timer Refresh = new(_ => s_date = Read(), null, 60_000, 60_000);

    internal static DateOnly Value => s_date;

    private static DateOnly Read() => DateOnly.FromDateTime(DateTime.Now);
}
