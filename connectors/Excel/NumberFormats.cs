namespace DataPool.Connectors.Excel;

/// <summary>
/// Reads what an Excel number format says about its number. ClosedXML already marks cells with
/// common date formats as dates, but not the East Asian built-in ones (ids 27–36, 50–58) that
/// Chinese Excel writes for "2019年3月2日", nor every custom format; so the connector decides itself.
/// </summary>
internal static class NumberFormats
{
    public static bool IsDateTime(int numberFormatId, string? format)
    {
        if (numberFormatId is (>= 14 and <= 22) or (>= 27 and <= 36) or (>= 45 and <= 47) or (>= 50 and <= 58))
        {
            return true;
        }

        if (string.IsNullOrEmpty(format))
        {
            return false;
        }

        var inQuotes = false;
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c == '"')
            {
                inQuotes = !inQuotes;
                continue;
            }

            if (inQuotes)
            {
                continue;
            }

            switch (c)
            {
                case ';':
                    // The first section (positive numbers) decides; later ones are alternatives.
                    return false;
                case '\\' or '_' or '*':
                    // An escaped literal, a padding width or a fill character: the next char is not a code.
                    i++;
                    continue;
                case '[':
                    var close = format.IndexOf(']', i + 1);
                    if (close < 0)
                    {
                        return false;
                    }

                    // [h]:mm elapsed time is a time; [Red], [$-804] and [>100] are not codes.
                    if (IsElapsedTime(format.AsSpan(i + 1, close - i - 1)))
                    {
                        return true;
                    }

                    i = close;
                    continue;
                case 'y' or 'Y' or 'm' or 'M' or 'd' or 'D' or 'h' or 'H' or 's' or 'S':
                    return true;
            }
        }

        return false;
    }

    /// <summary>A format of zeros only, e.g. <c>000000</c>: a code whose leading zeros matter.</summary>
    public static bool IsZeroPadded(string? format) =>
        format is { Length: > 1 } && format.AsSpan().TrimStart('0').IsEmpty;

    private static bool IsElapsedTime(ReadOnlySpan<char> code)
    {
        if (code.IsEmpty)
        {
            return false;
        }

        var first = char.ToLowerInvariant(code[0]);
        if (first is not ('h' or 'm' or 's'))
        {
            return false;
        }

        foreach (var c in code)
        {
            if (char.ToLowerInvariant(c) != first)
            {
                return false;
            }
        }

        return true;
    }
}
