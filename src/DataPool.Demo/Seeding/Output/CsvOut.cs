using System.Text;

namespace DataPool.Demo.Seeding.Output;

/// <summary>Writes a CSV file line by line (CRLF, RFC 4180 quoting), counting physical lines.</summary>
internal sealed class CsvOut : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly StringBuilder _line = new(256);

    public CsvOut(string path, Encoding encoding)
    {
        _writer = new StreamWriter(path, append: false, encoding, bufferSize: 1 << 16) { NewLine = "\r\n" };
        FileName = Path.GetFileName(path);
    }

    public string FileName { get; }

    /// <summary>Physical lines written so far; the next line written is <c>Lines + 1</c>.</summary>
    public long Lines { get; private set; }

    /// <summary>A title line above the header, as old systems print it (one unquoted field).</summary>
    public void WriteTitle(string title)
    {
        _writer.WriteLine(title);
        Lines++;
    }

    public void WriteRow(params ReadOnlySpan<string> fields)
    {
        _line.Clear();
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                _line.Append(',');
            }

            Append(_line, fields[i]);
        }

        _writer.WriteLine(_line);
        Lines++;
    }

    public void Dispose() => _writer.Dispose();

    private static void Append(StringBuilder sb, string field)
    {
        if (field.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            sb.Append(field);
            return;
        }

        sb.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
