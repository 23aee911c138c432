using System.Globalization;
using System.Text;
using CsvHelper;
using DataPool.Core.Query;
using DataPool.Core.Schema;
using MiniExcelLibs;

namespace DataPool.Server.Pool;

/// <summary>
/// Writes an export: CSV straight into the response as rows are read (UTF-8 with BOM, so Excel reads the Chinese
/// right), xlsx through MiniExcel's streaming writer into a temporary file that is then streamed and deleted (a zip
/// needs its central directory written last, and Kestrel allows no synchronous writes). Either way memory stays flat.
/// Column headers are the Chinese label and the field name; a cell that a spreadsheet would run as a formula is
/// neutralised.
/// </summary>
public sealed class PoolExport(PreparedQuery prepared)
{
    public const string Csv = "csv";
    public const string Xlsx = "xlsx";
    public const string CsvType = "text/csv; charset=utf-8";
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public IReadOnlyList<string> Headers { get; } =
        prepared.Fields.Select(f => $"{prepared.Entity.Fields[f].Labels.Zh} ({f})").ToList();

    public async Task WriteCsvAsync(IAsyncEnumerable<string?[]> rows, Stream output, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 64 * 1024, leaveOpen: true);
        await using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
        foreach (var header in Headers)
        {
            csv.WriteField(header);
        }

        await csv.NextRecordAsync();
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            foreach (var value in row)
            {
                csv.WriteField(SpreadsheetCells.ForCsv(value));
            }

            await csv.NextRecordAsync();
        }

        await csv.FlushAsync();
    }

    /// <summary>Writes the workbook to a temporary file and returns it open for reading; the file goes when the stream is closed.</summary>
    public async Task<Stream> WriteXlsxAsync(IAsyncEnumerable<string?[]> rows, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"datapool-export-{Guid.NewGuid():N}.xlsx");
        try
        {
            // MiniExcel pulls rows synchronously; on a pool thread, blocking on the reader's next row is harmless.
            await Task.Run(() => MiniExcel.SaveAs(path, Sheet(rows, cancellationToken), sheetName: prepared.Entity.Labels.Zh), cancellationToken);
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    private IEnumerable<IDictionary<string, object?>> Sheet(IAsyncEnumerable<string?[]> rows, CancellationToken cancellationToken)
    {
        // Text fields stay text cells, so an ID number is never turned into 1.10101E+17.
        var numeric = prepared.Fields
            .Select(f => prepared.Entity.Fields[f].Type is FieldTypes.Int or FieldTypes.Decimal && !prepared.View.Masks(f))
            .ToArray();
        var any = false;
        foreach (var row in rows.ToBlockingEnumerable(cancellationToken))
        {
            any = true;
            var cells = new Dictionary<string, object?>(Headers.Count, StringComparer.Ordinal);
            for (var i = 0; i < row.Length; i++)
            {
                cells[Headers[i]] = numeric[i] && !SpreadsheetCells.IsLongDigits(row[i]) && decimal.TryParse(row[i], NumberStyles.Number, CultureInfo.InvariantCulture, out var number)
                    ? number
                    : SpreadsheetCells.Neutralise(row[i]);
            }

            yield return cells;
        }

        if (!any)
        {
            // An empty export still says which columns it would have had.
            yield return Headers.ToDictionary(h => h, _ => (object?)null, StringComparer.Ordinal);
        }
    }
}

/// <summary>
/// Formula injection: a cell beginning with = + - @ (or tab, CR) is run by spreadsheets; a leading ' makes it text.
/// Long digit strings: Excel reads an ID number or a long account number in a CSV as a number and keeps 15 digits
/// (110101199003071234 becomes 1.10101E+17 and, saved again, 110101199003071000). In CSV such a value is written
/// as <c>="110101199003071234"</c>, the conventional form Excel keeps as text; only values of 11 or more digits
/// (with an ID number's final X) get it, so short codes and amounts stay plain.
/// </summary>
public static class SpreadsheetCells
{
    public const int LongDigits = 11;

    public static string? Neutralise(string? value) =>
        value is { Length: > 0 } && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;

    public static string? ForCsv(string? value) => IsLongDigits(value) ? $"=\"{value}\"" : Neutralise(value);

    public static bool IsLongDigits(string? value) =>
        value is { Length: >= LongDigits }
        && value.AsSpan(0, value.Length - 1).IndexOfAnyExceptInRange('0', '9') < 0
        && value[^1] is >= '0' and <= '9' or 'X' or 'x';
}
