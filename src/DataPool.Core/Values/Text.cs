using System.Buffers;

namespace DataPool.Core.Values;

public static class Text
{
    /// <summary>
    /// NFKC, trimmed (ideographic space and NBSP included), inner whitespace runs collapsed to one
    /// space, zero-width spaces, stray BOMs and control and bidi characters (<see cref="ControlCharacters"/>)
    /// dropped; null when nothing is left.
    /// </summary>
    public static string? Clean(string? raw)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }
        if (IsCleanAscii(raw))
        {
            return raw;
        }

        var s = Chars.Kc(raw);
        // Folding NFKC-stable text never lengthens it, so the normalised length bounds the output.
        char[]? rented = null;
        Span<char> buffer = s.Length <= 256
            ? stackalloc char[256]
            : (rented = ArrayPool<char>.Shared.Rent(s.Length));
        try
        {
            var n = 0;
            var pendingSpace = false;
            foreach (var original in s)
            {
                var c = Chars.Fold(original);
                if (c is '\u200B' or '\uFEFF' || ControlCharacters.IsUnsafe(c))
                {
                    continue;
                }
                if (char.IsWhiteSpace(c))
                {
                    pendingSpace = n > 0;
                    continue;
                }
                if (pendingSpace)
                {
                    buffer[n++] = ' ';
                    pendingSpace = false;
                }
                buffer[n++] = c;
            }
            if (n == 0)
            {
                return null;
            }
            var result = buffer[..n];
            return result.SequenceEqual(raw) ? raw : new string(result);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>ASCII with no leading, trailing or doubled space and no other whitespace: already clean.</summary>
    private static bool IsCleanAscii(string raw)
    {
        var previousSpace = true; // so a leading space fails like a doubled one
        foreach (var c in raw)
        {
            if (c >= 0x80 || char.IsControl(c))
            {
                return false;
            }
            if (c == ' ')
            {
                if (previousSpace)
                {
                    return false;
                }
                previousSpace = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                return false;
            }
            else
            {
                previousSpace = false;
            }
        }
        return !previousSpace;
    }
}
