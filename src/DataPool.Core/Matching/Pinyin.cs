using System.Reflection;
using System.Text;

namespace DataPool.Core.Matching;

/// <summary>
/// Names as they sound: every Han character replaced by its toneless pinyin (the table pinyin.txt, built from
/// Unihan's kMandarin readings by tools/matching/build_pinyin_table.py and shipped as an embedded resource),
/// Latin letters lower-cased, separators dropped. 张伟明, 张玮明 and "Zhang Weiming" all read "zhangweiming":
/// what a pinyin input method or a romanised form makes of one name.
/// </summary>
public static class Pinyin
{
    private static readonly string?[] Syllables = LoadTable();

    /// <summary>The name's sound, or null when it has no letter or character with a reading.</summary>
    public static string? Of(string? name)
    {
        if (name is null)
        {
            return null;
        }

        var builder = new StringBuilder(name.Length * 4);
        foreach (var c in name)
        {
            if (c is >= '\u4e00' and <= '\u9fff' && Syllables[c - '\u4e00'] is { } syllable)
            {
                builder.Append(syllable);
            }
            else if (char.IsAsciiLetter(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
            else if (char.IsLetter(c))
            {
                builder.Append(c);
            }
        }

        return builder.Length == 0 ? null : builder.ToString();
    }

    /// <summary>The syllable of one character, or null.</summary>
    public static string? Of(char c) => c is >= '\u4e00' and <= '\u9fff' ? Syllables[c - '\u4e00'] : null;

    private static string?[] LoadTable()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("DataPool.Core.Matching.pinyin.txt")
            ?? throw new InvalidOperationException("the pinyin table is missing from DataPool.Core");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var table = new string?[0x9fff - 0x4e00 + 1];
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            var syllable = string.Intern(line[..tab]);
            foreach (var c in line.AsSpan(tab + 1))
            {
                table[c - '\u4e00'] = syllable;
            }
        }

        return table;
    }
}
