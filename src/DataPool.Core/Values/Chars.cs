using System.Text;

namespace DataPool.Core.Values;

/// <summary>
/// Shared character handling for the value parsers. Legacy exports are mostly clean ASCII or
/// ASCII mixed with full-width forms and CJK text; both are folded here without calling into
/// ICU, and only genuinely unusual text pays for <see cref="string.Normalize(NormalizationForm)"/>.
/// </summary>
internal static class Chars
{
    /// <summary>Longest trimmed value the span-based parsers copy onto the stack.</summary>
    internal const int MaxValueLength = 64;

    /// <summary>
    /// Returns text whose per-character <see cref="Fold"/> equals its NFKC form. For ASCII,
    /// full-width forms, ideographic space, NBSP and CJK unified ideographs that is the input
    /// itself (their NFKC mappings are single characters that <see cref="Fold"/> applies), so
    /// the common dirty cases allocate nothing.
    /// </summary>
    internal static string Kc(string raw)
    {
        foreach (var c in raw)
        {
            if (!IsFoldable(c))
            {
                return raw.IsNormalized(NormalizationForm.FormKC) ? raw : raw.Normalize(NormalizationForm.FormKC);
            }
        }
        return raw;
    }

    private static bool IsFoldable(char c) =>
        c < 0x80
        || (c >= '\uFF01' && c <= '\uFF5E')
        || c == '\u3000' || c == '\u00A0' || c == '\uFFE5'
        || (c >= '\u4E00' && c <= '\u9FFF');

    /// <summary>The NFKC mapping of the full-width and space characters that <see cref="Kc"/> lets through.</summary>
    internal static char Fold(char c)
    {
        if (c < 0x80)
        {
            return c;
        }
        if (c >= '\uFF01' && c <= '\uFF5E')
        {
            return (char)(c - 0xFEE0);
        }
        return c switch
        {
            '\u3000' or '\u00A0' => ' ',
            '\uFFE5' => '\u00A5',
            _ => c,
        };
    }

    internal static bool IsAsciiDigit(char c) => (uint)(c - '0') <= 9;

    /// <summary>
    /// Copies the folded, trimmed value into <paramref name="buffer"/>. False when the trimmed
    /// value does not fit, which for every caller means it cannot be a valid value anyway.
    /// </summary>
    internal static bool TryFoldTrim(string raw, Span<char> buffer, out int length)
    {
        var s = Kc(raw);
        var start = 0;
        var end = s.Length;
        while (start < end && char.IsWhiteSpace(Fold(s[start])))
        {
            start++;
        }
        while (end > start && char.IsWhiteSpace(Fold(s[end - 1])))
        {
            end--;
        }
        length = end - start;
        if (length > buffer.Length)
        {
            return false;
        }
        for (var i = 0; i < length; i++)
        {
            buffer[i] = Fold(s[start + i]);
        }
        return true;
    }

    /// <summary>The value as an error message shows it: quoted, trimmed, cut short if long.</summary>
    internal static string Quote(ReadOnlySpan<char> value)
    {
        value = value.Trim();
        const int max = 40;
        return value.Length <= max ? $"'{value}'" : $"'{value[..max]}…'";
    }

    internal static string Quote(string raw)
    {
        Span<char> buffer = stackalloc char[MaxValueLength];
        return TryFoldTrim(raw, buffer, out var n) ? Quote(buffer[..n]) : Quote(raw.AsSpan());
    }
}
