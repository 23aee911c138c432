namespace DataPool.Benchmarks;

/// <summary>One CSV record as it stands in the file: its raw text and the physical line it starts on.</summary>
internal readonly record struct CsvRecord(string Text, long Line);

/// <summary>
/// Just enough RFC 4180 to edit one field of a record in place: records are read as raw text (a quoted
/// field may span lines) and split into field spans, so every byte the edit does not touch stays as it was.
/// </summary>
internal static class CsvLines
{
    /// <summary>Records of a file, streaming; <paramref name="newline"/> rejoins a record split over lines.</summary>
    public static IEnumerable<CsvRecord> Read(TextReader reader, string newline)
    {
        long line = 0;
        while (reader.ReadLine() is { } text)
        {
            var start = ++line;
            while (QuoteCount(text) % 2 == 1 && reader.ReadLine() is { } more)
            {
                line++;
                text = text + newline + more;
            }

            yield return new CsvRecord(text, start);
        }
    }

    /// <summary>The fields of a record as (start, length) spans of its raw text, quotes included.</summary>
    public static List<(int Start, int Length)> Spans(string record, char separator = ',')
    {
        var spans = new List<(int, int)>(16);
        var start = 0;
        var quoted = false;
        for (var i = 0; i < record.Length; i++)
        {
            var c = record[i];
            if (c == '"')
            {
                quoted = !quoted; // a doubled quote toggles twice, which is what an escaped quote should do
            }
            else if (c == separator && !quoted)
            {
                spans.Add((start, i - start));
                start = i + 1;
            }
        }

        spans.Add((start, record.Length - start));
        return spans;
    }

    /// <summary>The value of a raw field: outer quotes removed, doubled quotes undone.</summary>
    public static string Value(string record, (int Start, int Length) span)
    {
        var raw = record.AsSpan(span.Start, span.Length);
        return raw.Length >= 2 && raw[0] == '"' && raw[^1] == '"'
            ? raw[1..^1].ToString().Replace("\"\"", "\"", StringComparison.Ordinal)
            : raw.ToString();
    }

    public static List<string> Values(string record) => Spans(record).Select(s => Value(record, s)).ToList();

    /// <summary>The line break a file uses, from its first line, so a rewrite keeps it.</summary>
    public static string DetectNewline(string path)
    {
        Span<byte> head = stackalloc byte[64 * 1024];
        using var file = File.OpenRead(path);
        var n = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var lf = head[..n].IndexOf((byte)'\n');
        return lf > 0 && head[lf - 1] == (byte)'\r' ? "\r\n" : "\n";
    }

    private static int QuoteCount(string text) => text.AsSpan().Count('"');
}
