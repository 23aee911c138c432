namespace DataPool.Abstractions;

/// <summary>Helpers every connector needs to turn a legacy header into addressable column names.</summary>
public static class ColumnNames
{
    /// <summary>
    /// The name a column is addressed by: an empty header cell becomes <c>column N</c> (1-based), and a
    /// repeated name gets a suffix (<c>姓名#2</c>) so that no column hides another.
    /// </summary>
    public static string Unique(string? name, int position, ISet<string> taken)
    {
        var baseName = string.IsNullOrWhiteSpace(name) ? $"column {position}" : name;
        var unique = baseName;
        for (var n = 2; !taken.Add(unique); n++)
        {
            unique = $"{baseName}#{n}";
        }

        return unique;
    }
}

/// <summary>Encoding names as legacy systems and their users write them.</summary>
public static class LegacyEncodings
{
    /// <summary>
    /// The code page an encoding name means, or null when unknown: names (<c>GB18030</c>, <c>gbk</c>),
    /// code page numbers (<c>936</c>, <c>cp936</c>, copied from Windows tools) and <c>utf8</c> spellings.
    /// Register <c>CodePagesEncodingProvider</c> first for the legacy code pages.
    /// </summary>
    public static int? FindCodePage(string name)
    {
        var key = name.Trim().ToLowerInvariant();
        if (key is "utf8" or "utf-8-bom" or "utf8-bom")
        {
            return 65001;
        }

        var digits = key.StartsWith("cp", StringComparison.Ordinal) ? key[2..] : key;
        try
        {
            return int.TryParse(digits, out var number)
                ? System.Text.Encoding.GetEncoding(number).CodePage
                : System.Text.Encoding.GetEncoding(name.Trim()).CodePage;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return null;
        }
    }
}
