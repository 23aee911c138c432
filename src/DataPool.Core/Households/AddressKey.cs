using System.Text;
using System.Text.RegularExpressions;
using DataPool.Core.Values;

namespace DataPool.Core.Households;

/// <summary>
/// One spelling for the many ways legacy systems write the same flat: NFKC (full-width digits and letters),
/// no spaces or punctuation, Chinese numerals before a unit as digits, building/unit/room markers unified
/// ("3栋2门501室", "3号楼2单元501", "3-2-501" → "3号楼2单元501").
/// </summary>
public static partial class AddressKey
{
    public static string? Normalise(string? address)
    {
        var text = Text.Clean(address);
        if (text is null)
        {
            return null;
        }

        var plain = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c) && !char.IsPunctuation(c) || c is '-' or '#')
            {
                plain.Append(c);
            }
        }

        // Each rewrite runs only when the character it needs is there: a pool's addresses are mostly in the one spelling
        // already, and matching normalises every candidate's address (five scans were half of reading a candidate).
        var key = plain.ToString();
        if (key.AsSpan().IndexOfAny(ChineseDigits) >= 0)
        {
            key = ChineseNumber().Replace(key, m => Digits(m.Groups[1].Value) + m.Groups[2].Value);
        }

        if (key.Contains('-', StringComparison.Ordinal))
        {
            key = Dashed().Replace(key, "$1号楼$2单元$3");
        }

        if (key.AsSpan().IndexOfAny(BuildingMarks) >= 0)
        {
            key = Building().Replace(key, "$1号楼");
        }

        if (key.AsSpan().IndexOfAny('单', '门') >= 0)
        {
            key = Unit().Replace(key, "$1单元");
        }

        if (key.Length > 0 && key[^1] is '室' or '号')
        {
            key = Room().Replace(key, "$1");
        }

        return key.Length == 0 ? null : key;
    }

    /// <summary>一 … 九十九 as digits (building and unit numbers are small).</summary>
    private static string Digits(string numeral)
    {
        const string units = "零一二三四五六七八九";
        var tenAt = numeral.IndexOf('十', StringComparison.Ordinal);
        if (tenAt < 0)
        {
            return string.Concat(numeral.Select(c => (char)('0' + units.IndexOf(c, StringComparison.Ordinal))));
        }

        var tens = tenAt == 0 ? 1 : units.IndexOf(numeral[tenAt - 1], StringComparison.Ordinal);
        var ones = tenAt == numeral.Length - 1 ? 0 : units.IndexOf(numeral[tenAt + 1], StringComparison.Ordinal);
        return (tens * 10 + ones).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static readonly System.Buffers.SearchValues<char> ChineseDigits = System.Buffers.SearchValues.Create("零一二三四五六七八九十");

    private static readonly System.Buffers.SearchValues<char> BuildingMarks = System.Buffers.SearchValues.Create("号栋幢座#");

    [GeneratedRegex("([零一二三四五六七八九十]{1,3})(号楼|号院|栋|幢|座|单元|门|层|楼|室|号)")]
    private static partial Regex ChineseNumber();

    [GeneratedRegex(@"(\d+)-(\d+)-(\d+)(室|号)?$")]
    private static partial Regex Dashed();

    [GeneratedRegex(@"(\d+)(号楼|栋|幢|座|#楼|#)")]
    private static partial Regex Building();

    [GeneratedRegex(@"(\d+)(单元|门)")]
    private static partial Regex Unit();

    [GeneratedRegex(@"(\d+)(室|号)$")]
    private static partial Regex Room();
}
