using ClosedXML.Excel;
using DataPool.Abstractions;

namespace DataPool.Connectors.Excel;

/// <summary>
/// Reads one worksheet as a header and data rows. Each sheet gets its own header because
/// community ledgers keep one sheet per building and the columns drift between them.
/// </summary>
internal sealed class SheetReader
{
    /// <summary>The synthetic column naming a row's sheet: a building is often only known from it.</summary>
    public const string SheetColumn = "_sheet";

    private readonly IXLWorksheet _sheet;
    private readonly int _headerRow;
    private readonly int _lastRow;
    private readonly int _width;

    // Row → the merged cells of that row, built once per sheet so a cell lookup never scans ranges.
    private readonly Dictionary<int, Dictionary<int, MergedArea>> _merged = [];

    public SheetReader(IXLWorksheet sheet, int headerRow)
    {
        _sheet = sheet;
        _headerRow = headerRow;
        _lastRow = sheet.LastRowUsed()?.RowNumber() ?? 0;
        _width = MeasureWidth();
        IndexMergedRanges();
        Header = new RowHeader(BuildHeader());
    }

    public string Name => _sheet.Name;

    public RowHeader Header { get; }

    /// <summary>The data rows below the header, with their Excel row number; empty rows are left out.</summary>
    public IEnumerable<(int RowNumber, string?[] Values, string? Problem)> ReadRows()
    {
        foreach (var row in _sheet.RowsUsed())
        {
            var rowNumber = row.RowNumber();
            if (rowNumber <= _headerRow)
            {
                continue;
            }

            var values = new string?[Header.Columns.Count];
            var problems = new List<string>();
            var hasOwnValue = false;
            _merged.TryGetValue(rowNumber, out var mergedInRow);

            foreach (var cell in row.CellsUsed())
            {
                var column = cell.Address.ColumnNumber;
                if (column > _width || (mergedInRow?.ContainsKey(column) ?? false))
                {
                    continue;
                }

                var text = CellReader.Read(cell);
                values[column - 1] = text.Text;
                hasOwnValue |= text.Text is not null;
                AddProblem(problems, text.Problem);
            }

            if (mergedInRow is not null)
            {
                foreach (var (column, area) in mergedInRow)
                {
                    var text = area.Value;
                    values[column - 1] = text.Text;
                    // A value merged down from a row above does not make a row: merges often run
                    // past the last member of a household, leaving rows with nothing else in them.
                    hasOwnValue |= text.Text is not null && area.TopRow == rowNumber;
                    AddProblem(problems, text.Problem);
                }
            }

            if (!hasOwnValue)
            {
                continue;
            }

            values[^1] = Name;
            yield return (rowNumber, values, problems.Count == 0 ? null : string.Join("; ", problems));
        }
    }

    private static void AddProblem(List<string> problems, string? problem)
    {
        if (problem is not null && !problems.Contains(problem))
        {
            problems.Add(problem);
        }
    }

    /// <summary>The widest of the header and data rows (titles above the header do not count).</summary>
    private int MeasureWidth()
    {
        var width = 0;
        foreach (var row in _sheet.RowsUsed())
        {
            if (row.RowNumber() >= _headerRow)
            {
                width = Math.Max(width, row.LastCellUsed()?.Address.ColumnNumber ?? 0);
            }
        }

        // A header merged across columns names them all even where nothing else is written.
        foreach (var range in _sheet.MergedRanges)
        {
            var address = range.RangeAddress;
            if (address.FirstAddress.RowNumber <= _headerRow && address.LastAddress.RowNumber >= _headerRow)
            {
                width = Math.Max(width, address.LastAddress.ColumnNumber);
            }
        }

        return width;
    }

    private void IndexMergedRanges()
    {
        foreach (var range in _sheet.MergedRanges)
        {
            var first = range.RangeAddress.FirstAddress;
            var last = range.RangeAddress.LastAddress;
            var area = new MergedArea(_sheet.Cell(first.RowNumber, first.ColumnNumber));

            // Clip to the part that is read: ranges can span whole columns of an otherwise empty sheet.
            var fromRow = Math.Max(first.RowNumber, _headerRow);
            var toRow = Math.Min(last.RowNumber, Math.Max(_lastRow, _headerRow));
            var toColumn = Math.Min(last.ColumnNumber, _width);
            for (var r = fromRow; r <= toRow; r++)
            {
                if (!_merged.TryGetValue(r, out var columns))
                {
                    columns = [];
                    _merged[r] = columns;
                }

                for (var c = first.ColumnNumber; c <= toColumn; c++)
                {
                    columns[c] = area;
                }
            }
        }
    }

    private List<string> BuildHeader()
    {
        var names = new List<string>(_width + 1);
        var taken = new HashSet<string>(StringComparer.Ordinal) { SheetColumn };
        _merged.TryGetValue(_headerRow, out var mergedInHeader);
        for (var column = 1; column <= _width; column++)
        {
            var text = mergedInHeader is not null && mergedInHeader.TryGetValue(column, out var area)
                ? area.Value
                : CellReader.Read(_sheet.Cell(_headerRow, column));
            names.Add(ColumnNames.Unique(Clean(text.Text), column, taken));
        }

        names.Add(SheetColumn);
        return names;
    }

    /// <summary>Header cells often wrap ("出生\n日期") and carry stray spaces.</summary>
    private static string Clean(string? name) =>
        name is null ? "" : name.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Trim();

    /// <summary>One merged range: every cell in it reads its top-left cell, computed once.</summary>
    private sealed class MergedArea(IXLCell topLeft)
    {
        private CellText? _value;

        public int TopRow { get; } = topLeft.Address.RowNumber;

        public CellText Value => _value ??= CellReader.Read(topLeft);
    }
}
