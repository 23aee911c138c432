using System.Runtime.CompilerServices;
using DataPool.Abstractions;

namespace DataPool.Connectors.Csv;

/// <summary>
/// The <c>csv</c> connector kind: streams the rows of one delimited text file, one record at a time.
/// See README.md for the settings and how encodings, titles, quoting and ragged lines are handled.
/// </summary>
public sealed class CsvConnector : IConnector
{
    public string Kind => "csv";

    public async IAsyncEnumerable<RawRow> ReadAsync(
        ConnectorContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = CsvOptions.From(context);
        using var reader = await CsvRecordReader.OpenAsync(options, cancellationToken);

        if (!await reader.ReadAsync(cancellationToken))
        {
            // An empty export must not look like "every record was deleted" to a full sync.
            throw new ConnectorException($"{options.FileName}: no header at line {options.HeaderRow} — the file is empty below it");
        }

        var header = BuildHeader(reader.Fields, options.FileName, reader.StartLine);
        context.Progress.SetTotal(reader.Bytes.Length, ProgressUnit.Bytes);
        long number = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            var fields = reader.Fields;
            if (AllBlank(fields))
            {
                // Spacer lines and ",,,," rows (spreadsheet leftovers) carry no data.
                continue;
            }

            number++;
            context.Progress.ReportPosition(reader.Position);
            yield return ToRow(header, fields, reader, number, options.FileName);
        }
    }

    /// <summary>A loop, not LINQ: it runs for every row of the file.</summary>
    private static bool AllBlank(string[] fields)
    {
        foreach (var field in fields)
        {
            if (!string.IsNullOrWhiteSpace(field))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Column names: trimmed, never empty, never repeated, so every column is addressable.</summary>
    internal static RowHeader BuildHeader(IReadOnlyList<string> fields, string fileName, long line)
    {
        if (fields.All(string.IsNullOrWhiteSpace))
        {
            throw new ConnectorException($"{fileName} line {line}: the header row is empty — check settings.headerRow");
        }

        var names = new List<string>(fields.Count);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < fields.Count; i++)
        {
            // A byte order mark can survive when the file was re-saved by a tool that doubled it.
            names.Add(ColumnNames.Unique(fields[i].Trim().Trim('\uFEFF').Trim(), i + 1, taken));
        }

        return new RowHeader(names);
    }

    private static RawRow ToRow(RowHeader header, string[] fields, CsvRecordReader reader, long number, string fileName)
    {
        var columns = header.Columns.Count;
        var values = new string?[columns];
        for (var i = 0; i < columns && i < fields.Length; i++)
        {
            // Empty cells are null, like a missing cell in any other connector; everything else is
            // the raw text, untrimmed: the pipeline normalises.
            values[i] = fields[i].Length == 0 ? null : fields[i];
        }

        // Most rows have no problem: the list is made for those that do.
        List<string>? problems = null;

        // Trailing separators ("a,b,c,,") add empty fields that hold nothing; only fields that would
        // lose or invent data make a row ragged.
        var meaningful = fields.Length;
        while (meaningful > columns && fields[meaningful - 1].Length == 0)
        {
            meaningful--;
        }

        if (meaningful != columns)
        {
            (problems ??= []).Add($"line {reader.StartLine} has {fields.Length} fields, the header has {columns}");
        }

        foreach (var bad in reader.BadFields)
        {
            var shown = bad.Length > 40 ? bad[..40] + "…" : bad;
            (problems ??= []).Add($"line {reader.StartLine} has a stray quote in the value '{shown}'");
        }

        // Only the last record of a file can end without a line break; missing fields or an open quote there
        // mean the transfer stopped mid-record. A complete last line without a newline is fine.
        var cutOff = !reader.EndsWithLineBreak && (meaningful < columns || reader.QuoteLeftOpen);
        if (cutOff)
        {
            (problems ??= []).Add($"line {reader.StartLine} ends mid-record at the end of the file: the export may be cut off");
        }

        return new RawRow(
            header,
            values,
            number,
            $"{fileName} line {reader.StartLine}",
            problems is null ? null : string.Join("; ", problems))
        {
            CutOff = cutOff,
        };
    }
}
