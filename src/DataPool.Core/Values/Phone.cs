using System.Diagnostics.CodeAnalysis;

namespace DataPool.Core.Values;

/// <summary>
/// Mainland China phone numbers: an 11-digit mobile ("13800138000"), a landline with its area
/// code ("010-12345678"), or a 7–8 digit local number ("12345678").
/// </summary>
public static class Phone
{
    private const int MaxDigits = 20;

    public static bool TryNormalise(string? raw, [NotNullWhen(true)] out string? normalised, [NotNullWhen(false)] out string? error)
    {
        normalised = null;
        if (string.IsNullOrWhiteSpace(raw))
        {
            error = "phone number is empty";
            return false;
        }

        var s = Chars.Kc(raw);
        Span<char> digits = stackalloc char[MaxDigits + 1];
        var n = 0;
        var plus = false;
        foreach (var original in s)
        {
            var c = Chars.Fold(original);
            if (c is '-' or '(' or ')' || char.IsWhiteSpace(c))
            {
                continue;
            }
            if (c == '+' && n == 0 && !plus)
            {
                plus = true;
                continue;
            }
            if (!Chars.IsAsciiDigit(c))
            {
                error = $"{Chars.Quote(raw)} contains '{c}', which is not part of a phone number";
                return false;
            }
            if (n == MaxDigits)
            {
                error = $"{Chars.Quote(raw)} has too many digits for a phone number";
                return false;
            }
            digits[n++] = c;
        }

        // Strip the country code; a landline written internationally loses its leading 0.
        var start = 0;
        var international = false;
        if (plus)
        {
            if (n < 2 || digits[0] != '8' || digits[1] != '6')
            {
                error = $"{Chars.Quote(raw)} is not a mainland China number";
                return false;
            }
            start = 2;
            international = true;
        }
        else if (n > 4 && digits[..4].SequenceEqual("0086"))
        {
            start = 4;
            international = true;
        }
        else if (n == 13 && digits[0] == '8' && digits[1] == '6' && IsMobile(digits[2..13]))
        {
            // "86" without + in front of a mobile: no domestic number has 13 digits.
            start = 2;
        }
        var number = digits[start..n];
        if (international && number.Length >= 9 && number[0] != '0' && !IsMobile(number))
        {
            digits[start - 1] = '0';
            number = digits[(start - 1)..n];
        }

        if (IsMobile(number) || IsLocal(number))
        {
            normalised = number.SequenceEqual(raw) ? raw : new string(number);
            error = null;
            return true;
        }
        if (number.Length > 1 && number[0] == '0' && number[1] != '0')
        {
            // 010 (Beijing) and 02x are the only three-digit area codes; all others have four,
            // and no area code starts 01 other than 010.
            var areaLength = number[1] is '1' or '2' ? 3 : 4;
            var areaExists = number[1] != '1' || number.Length > 2 && number[2] == '0';
            if (areaExists && number.Length > areaLength && IsLocal(number[areaLength..]))
            {
                normalised = string.Concat(number[..areaLength], "-", number[areaLength..]);
                error = null;
                return true;
            }
        }
        error = $"{Chars.Quote(raw)} is not a mobile (11 digits) or landline number";
        return false;
    }

    private static bool IsMobile(ReadOnlySpan<char> d) => d.Length == 11 && d[0] == '1' && d[1] is >= '3' and <= '9';

    private static bool IsLocal(ReadOnlySpan<char> d) => d.Length is 7 or 8 && d[0] != '0';
}
