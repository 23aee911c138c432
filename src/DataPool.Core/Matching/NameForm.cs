using System.Reflection;
using System.Text;

namespace DataPool.Core.Matching;

/// <summary>
/// A name as matching compares it: NFKC, no spaces (between two Latin words a '·'), every middle dot (·•・. and their look-alikes) one
/// '·', traditional characters folded to simplified through the table shipped as an embedded resource
/// (traditional-simplified.txt: the common pairs of personal names; no conversion package is served).
/// </summary>
public static class NameForm
{
    private static readonly Dictionary<char, char> Simplified = LoadTable();

    public static string? Normalise(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        // NFKC leaves common ideographs, ASCII letters and digits alone; most names and addresses are only
        // those, and skipping ICU for them is what keeps matching cheap on big imports.
        var text = IsPlain(name) ? name : name.Normalize(NormalizationForm.FormKC);
        var builder = new StringBuilder(text.Length);
        var gap = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || c == '\u200b')
            {
                gap = builder.Length > 0;
                continue;
            }

            if (gap && char.IsAsciiLetter(c) && char.IsAsciiLetter(builder[^1]))
            {
                // The space of a romanised name ("Zhang Weiming") separates its parts, as '·' does a minority name's.
                builder.Append('·');
            }

            gap = false;

            builder.Append(c switch
            {
                '·' or '•' or '・' or '.' or '‧' or '∙' or '⋅' or '･' or '．' => '·',
                _ => Simplified.GetValueOrDefault(c, c),
            });
        }

        return builder.Length == 0 ? null : builder.ToString();
    }

    private static bool IsPlain(string text)
    {
        foreach (var c in text)
        {
            if (c is not ((>= '\u4e00' and <= '\u9fff') or (>= '0' and <= '9') or (>= 'A' and <= 'Z') or (>= 'a' and <= 'z')))
            {
                return false;
            }
        }

        return true;
    }

    private static Dictionary<char, char> LoadTable()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("DataPool.Core.Matching.traditional-simplified.txt")
            ?? throw new InvalidOperationException("the traditional-simplified table is missing from DataPool.Core");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var lines = reader.ReadToEnd().Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
        var table = new Dictionary<char, char>();
        for (var i = 0; i < lines[0].Length; i++)
        {
            table[lines[0][i]] = lines[1][i];
        }

        return table;
    }
}
