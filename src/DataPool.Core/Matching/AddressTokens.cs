using DataPool.Core.Households;

namespace DataPool.Core.Matching;

/// <summary>
/// An address as matching compares it: the household linker's one spelling of a flat (<see cref="AddressKey"/>),
/// cut into tokens (place names ending in 区, 路, 里…, and numbers with their unit: 12号院, 3号楼, 2单元, 502),
/// sorted, so that two spellings compare by the share of tokens they have in common whatever else one of them adds.
/// </summary>
public static class AddressTokens
{
    private const string PlaceEnds = "省市区县镇乡街路里村巷道弄";
    private const string Units = "号院楼单元室栋层幢座门";

    public static string[] Of(string? key)
    {
        if (key is null)
        {
            return [];
        }

        var tokens = new List<string>();
        var i = 0;
        while (i < key.Length)
        {
            var start = i;
            if (char.IsAsciiDigit(key[i]))
            {
                while (i < key.Length && char.IsAsciiDigit(key[i]))
                {
                    i++;
                }

                while (i < key.Length && Units.Contains(key[i], StringComparison.Ordinal))
                {
                    i++;
                }
            }
            else
            {
                // A place name runs up to the next number, or ends with its kind (区, 路, 里…).
                var ended = false;
                while (i < key.Length && !char.IsAsciiDigit(key[i]) && !ended)
                {
                    ended = PlaceEnds.Contains(key[i++], StringComparison.Ordinal);
                }
            }

            tokens.Add(key[start..i]);
        }

        tokens.Sort(StringComparer.Ordinal);
        return [.. tokens];
    }

    /// <summary>Tokens two sorted token sets share, counted without allocating.</summary>
    public static int Common(string[] a, string[] b)
    {
        int i = 0, j = 0, common = 0;
        while (i < a.Length && j < b.Length)
        {
            var order = string.CompareOrdinal(a[i], b[j]);
            if (order == 0)
            {
                common++;
                i++;
                j++;
            }
            else if (order < 0)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return common;
    }
}
