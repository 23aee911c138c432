using System.Globalization;
using System.Text;

namespace DataPool.Benchmarks;

/// <summary>What the 1% rewrite did: rows it changed, and rows it passed over (and why) to keep the
/// expected <c>updated</c> count exact.</summary>
internal sealed record ChangeResult(long DataRows, long Changed, long PassedBad, long PassedDuplicate, long PassedRagged, string PhoneColumn);

/// <summary>
/// Rewrites the person file with every 100th data row's phone changed to another valid mobile number,
/// streaming, keeping the title lines, the header, the row order and every other byte.
/// </summary>
/// <remarks>
/// A row the first sync quarantined (listed in expected.json) or whose key occurs twice in the file would not
/// turn into exactly one <c>updated</c>: a quarantined row stays quarantined, and a changed duplicate makes
/// its twin a conflicting duplicate. Such a row is passed over and the change goes to the next clean row,
/// so the number of changed rows stays ⌊rows / 100⌋ and <c>updated</c> must equal it exactly.
/// </remarks>
internal static class PhoneChanger
{
    public const int Every = 100;
    private static readonly string[] MobilePrefixes = ["139", "186", "177", "135", "158", "188"];

    public static ChangeResult Apply(CsvFile file, IReadOnlySet<long> badLines, int seed)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var encoding = Encoding.GetEncoding(file.Encoding);
        if (encoding is UTF8Encoding)
        {
            encoding = new UTF8Encoding(false); // the exports carry no BOM; don't add one
        }

        var newline = CsvLines.DetectNewline(file.Path);
        var (header, keyColumn, phoneColumn) = Header(file, encoding, newline);
        var duplicates = DuplicateKeys(file, encoding, newline, keyColumn);
        var random = new Random(seed);
        var temp = file.Path + ".changing";
        long rows = 0, changed = 0, passedBad = 0, passedDuplicate = 0, passedRagged = 0, owed = 0;
        using (var reader = new StreamReader(file.Path, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16))
        using (var writer = new StreamWriter(temp, append: false, encoding, bufferSize: 1 << 16) { NewLine = newline })
        {
            foreach (var record in CsvLines.Read(reader, newline))
            {
                if (record.Line <= file.HeaderRow)
                {
                    writer.WriteLine(record.Text); // title lines and the header, untouched
                    continue;
                }

                rows++;
                if (rows % Every == 0)
                {
                    owed++;
                }

                var text = record.Text;
                if (owed > 0)
                {
                    var spans = CsvLines.Spans(text);
                    if (spans.Count != header.Count)
                    {
                        passedRagged++;
                    }
                    else if (badLines.Contains(record.Line))
                    {
                        passedBad++;
                    }
                    else if (duplicates.Contains(KeyHash(CsvLines.Value(text, spans[keyColumn]))))
                    {
                        passedDuplicate++;
                    }
                    else
                    {
                        var (start, length) = spans[phoneColumn];
                        var phone = NewMobile(random, CsvLines.Value(text, spans[phoneColumn]));
                        text = string.Concat(text.AsSpan(0, start), phone, text.AsSpan(start + length));
                        changed++;
                        owed--;
                    }
                }

                writer.WriteLine(text);
            }
        }

        File.Move(temp, file.Path, overwrite: true);
        return new ChangeResult(rows, changed, passedBad, passedDuplicate, passedRagged, header[phoneColumn]);
    }

    private static (List<string> Header, int Key, int Phone) Header(CsvFile file, Encoding encoding, string newline)
    {
        using var reader = new StreamReader(file.Path, encoding, detectEncodingFromByteOrderMarks: false);
        var header = CsvLines.Read(reader, newline).Skip(file.HeaderRow - 1).Select(r => CsvLines.Values(r.Text)).FirstOrDefault()
            ?? throw new BenchmarkException($"{file.Path}: no header on line {file.HeaderRow}");
        var phone = header.FindIndex(h => h.Contains("电话", StringComparison.Ordinal));
        var key = file.Key.Count == 1 ? header.IndexOf(file.Key[0]) : -1;
        if (phone < 0 || key < 0)
        {
            throw new BenchmarkException($"{file.Path}: header has no phone column (…电话…) or no single key column {string.Join("+", file.Key)}: {string.Join(",", header)}");
        }

        return (header, key, phone);
    }

    /// <summary>Keys seen more than once, as 64-bit hashes: a million of them cost 16 MB, not 100. A hash
    /// collision only makes a row look duplicated, which passes it over: harmless.</summary>
    private static HashSet<ulong> DuplicateKeys(CsvFile file, Encoding encoding, string newline, int keyColumn)
    {
        var seen = new HashSet<ulong>();
        var twice = new HashSet<ulong>();
        using var reader = new StreamReader(file.Path, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
        foreach (var record in CsvLines.Read(reader, newline).Where(r => r.Line > file.HeaderRow))
        {
            var spans = CsvLines.Spans(record.Text);
            if (spans.Count > keyColumn && !seen.Add(KeyHash(CsvLines.Value(record.Text, spans[keyColumn]))))
            {
                twice.Add(KeyHash(CsvLines.Value(record.Text, spans[keyColumn])));
            }
        }

        return twice;
    }

    /// <summary>FNV-1a, 64-bit: stable across runs, unlike string.GetHashCode.</summary>
    private static ulong KeyHash(string key)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    /// <summary>A mainland mobile number (1[3-9] and nine digits) different from the current value.</summary>
    private static string NewMobile(Random random, string current)
    {
        string phone;
        do
        {
            phone = MobilePrefixes[random.Next(MobilePrefixes.Length)] + random.Next(100_000_000).ToString("D8", CultureInfo.InvariantCulture);
        }
        while (phone == current.Trim());

        return phone;
    }
}
