using Npgsql;
using System.Buffers;
using System.Globalization;

namespace DataPool.Core.Store.Writing;

/// <summary>
/// Buffers a batch of rows for one table and writes them with one COPY: PostgreSQL's fastest way in. Its text
/// format, escaped here, costs the client far less than the binary one, whose per-value binding in Npgsql was about
/// a sixth of a register's first load on the client. The COPY runs inside the run's transaction, so a failed run
/// leaves nothing behind. COPY cannot skip rows whose key is already there: asked to, it copies into a temporary
/// table dropped at commit and moves the rows on with <c>ON CONFLICT DO NOTHING</c>.
/// </summary>
internal sealed class PostgresBulkCopy(NpgsqlConnection connection, string table, IReadOnlyList<string> columns, bool skipDuplicates = false) : IBulkWriter
{
    private readonly string _copy = $"COPY {(skipDuplicates ? Staging(table) : table)} ({string.Join(", ", columns)}) FROM STDIN";
    private static readonly SearchValues<char> Escaped = SearchValues.Create("\\\t\n\r");
    private readonly List<object?[]> _rows = [];

    private static string Staging(string table) => "dp_staged_" + table;

    public void Add(params object?[] values) => _rows.Add(values);

    public void Flush()
    {
        if (_rows.Count == 0)
        {
            return;
        }

        if (skipDuplicates)
        {
            // Each flush asks again: the table is dropped with the transaction that made it.
            Execute($"CREATE TEMP TABLE IF NOT EXISTS {Staging(table)} (LIKE {table}) ON COMMIT DROP");
        }

        var writer = connection.BeginTextImport(_copy);
        try
        {
            foreach (var row in _rows)
            {
                for (var i = 0; i < row.Length; i++)
                {
                    if (i > 0)
                    {
                        writer.Write('\t');
                    }

                    WriteValue(writer, row[i]);
                }

                writer.Write('\n');
            }
        }
        catch
        {
            // Disposing the writer would end the COPY and keep the rows sent so far; cancelling drops them all.
            ((NpgsqlCopyTextWriter)writer).Cancel();
            throw;
        }

        writer.Dispose();

        if (skipDuplicates)
        {
            var list = string.Join(", ", columns);
            Execute($"INSERT INTO {table} ({list}) SELECT {list} FROM {Staging(table)} ON CONFLICT DO NOTHING; DELETE FROM {Staging(table)}");
        }

        _rows.Clear();
    }

    /// <summary>One value in COPY's text format: <c>\N</c> for null, and a backslash before what would end a value or a row.</summary>
    private static void WriteValue(TextWriter writer, object? value)
    {
        Span<char> digits = stackalloc char[24];
        switch (value)
        {
            case null:
                writer.Write("\\N");
                break;
            case long number when number.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture):
                writer.Write(digits[..written]);
                break;
            case int number when number.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture):
                writer.Write(digits[..written]);
                break;
            case byte[] blob:
                // bytea's hex form, its backslash escaped for COPY.
                writer.Write("\\\\x");
                writer.Write(Convert.ToHexString(blob));
                break;
            default:
                WriteText(writer, Convert.ToString(value, CultureInfo.InvariantCulture)!);
                break;
        }
    }

    private static void WriteText(TextWriter writer, ReadOnlySpan<char> text)
    {
        int at;
        while ((at = text.IndexOfAny(Escaped)) >= 0)
        {
            writer.Write(text[..at]);
            writer.Write(text[at] switch { '\\' => "\\\\", '\t' => "\\t", '\n' => "\\n", _ => "\\r" });
            text = text[(at + 1)..];
        }

        writer.Write(text);
    }

    private void Execute(string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    public void Dispose() => _rows.Clear();
}
