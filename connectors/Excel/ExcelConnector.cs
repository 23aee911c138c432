using System.Runtime.CompilerServices;
using System.Text.Json;
using ClosedXML.Excel;
using DataPool.Abstractions;

namespace DataPool.Connectors.Excel;

/// <summary>
/// The <c>excel</c> connector kind: reads the sheets of an .xlsx workbook as raw rows, one sheet after
/// another, each with its own header plus the synthetic <c>_sheet</c> column.
/// ClosedXML holds the whole workbook in memory; departmental exports are small, very large sheets should be
/// exported as CSV instead, and <see cref="XlsxInspector"/> refuses a workbook over its limits first (see README.md).
/// </summary>
public sealed class ExcelConnector : IConnector
{
    public string Kind => "excel";

    public async IAsyncEnumerable<RawRow> ReadAsync(
        ConnectorContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = BindSettings(context);
        var fullPath = context.ResolvePath(settings.Path);
        var fileName = Path.GetFileName(fullPath);

        // The file is read on a worker thread: ClosedXML parses the whole workbook synchronously.
        var limits = settings.Limits();
        using var workbook = await Task.Run(() => Open(fullPath, settings.Path, limits, cancellationToken), cancellationToken).ConfigureAwait(false);

        // Every named sheet is checked before the first row goes out: a bad definition changes nothing.
        var sheets = SelectSheets(workbook, settings.Sheets, fileName);

        long number = 0;
        foreach (var sheet in sheets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var reader = new SheetReader(sheet, settings.HeaderRow);
            foreach (var (rowNumber, values, problem) in reader.ReadRows())
            {
                cancellationToken.ThrowIfCancellationRequested();
                number++;
                yield return new RawRow(reader.Header, values, number, $"{fileName} {reader.Name}!row {rowNumber}", problem);
            }
        }
    }

    private static ExcelSettings BindSettings(ConnectorContext context)
    {
        ExcelSettings settings;
        try
        {
            settings = context.Bind<ExcelSettings>();
        }
        catch (JsonException ex)
        {
            // "$.headerRow" → "settings.headerRow", the path a person finds in the definition.
            var path = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "settings" : "settings" + ex.Path[1..];
            throw new ConnectorException($"{path}: not a valid value for an excel source ({ex.Message})", ex);
        }

        if (settings.HeaderRow < 1)
        {
            throw new ConnectorException($"settings.headerRow: must be 1 or more (the first row is 1), not {settings.HeaderRow}");
        }

        return settings;
    }

    private static XLWorkbook Open(string fullPath, string configuredPath, XlsxLimits limits, CancellationToken cancellationToken)
    {
        if (!File.Exists(fullPath))
        {
            throw new ConnectorException($"settings.path: file '{configuredPath}' not found");
        }

        try
        {
            // Share for writing too: the department may still have the workbook open in Excel.
            using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);

            // ClosedXML allocates all the file expands to: a small file may hold gigabytes of shared strings.
            // The same open stream is checked and then read, so the file checked is the file read.
            XlsxInspector.Check(stream, limits, Path.GetFileName(fullPath), cancellationToken);
            return new XLWorkbook(stream);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or ConnectorException))
        {
            throw new ConnectorException(
                $"settings.path: '{configuredPath}' is not a readable Excel workbook (.xlsx or .xlsm; " +
                $"save an old .xls as .xlsx first): {ex.Message}", ex);
        }
    }

    private static List<IXLWorksheet> SelectSheets(XLWorkbook workbook, IReadOnlyList<string>? names, string fileName)
    {
        var all = workbook.Worksheets.ToList();
        if (names is null || names.Count == 0)
        {
            return all;
        }

        var selected = new List<IXLWorksheet>(names.Count);
        foreach (var name in names)
        {
            // Excel itself treats sheet names case-insensitively ("Sheet1" = "sheet1").
            var sheet = all.Find(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new ConnectorException(
                    $"settings.sheets: no sheet '{name}' in {fileName} (sheets: {string.Join(", ", all.Select(s => s.Name))})");
            if (selected.Contains(sheet))
            {
                throw new ConnectorException($"settings.sheets: sheet '{name}' is listed twice");
            }

            selected.Add(sheet);
        }

        return selected;
    }
}
