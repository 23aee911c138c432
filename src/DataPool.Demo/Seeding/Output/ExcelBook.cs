using ClosedXML.Excel;

namespace DataPool.Demo.Seeding.Output;

/// <summary>How a cell of the demo exports looks: the few styles the departments' rosters use.</summary>
internal enum CellStyle : byte
{
    Normal = 0,
    Date = 1,
    Title = 2,
    Header = 3,
    Merged = 4,
    Money = 5,
    ChineseDate = 6,
}

/// <summary>One cell to write: text, a number, or nothing.</summary>
internal readonly record struct XCell(string? Text, double? Number, CellStyle Style)
{
    public static readonly XCell Empty = new(null, null, CellStyle.Normal);

    public static XCell Str(string? text, CellStyle style = CellStyle.Normal) =>
        string.IsNullOrEmpty(text) ? new XCell(null, null, style) : new XCell(text, null, style);

    public static XCell Num(double number, CellStyle style = CellStyle.Normal) => new(null, number, style);

    /// <summary>A real Excel date: the serial number with a date format.</summary>
    public static XCell Date(DateOnly date, CellStyle style = CellStyle.Date) =>
        new(null, date.DayNumber - new DateOnly(1899, 12, 30).DayNumber, style);

    public bool IsEmpty => Text is null && Number is null;
}

/// <summary>
/// A workbook of the demo exports, written through ClosedXML: sheets are filled row by row (titles, merged
/// cells, column widths, frozen header rows, the departments' font and formats) and saved on dispose.
/// The workbook is held in memory until then; the rosters are small beside the CSV exports.
/// </summary>
internal sealed class ExcelBook : IDisposable
{
    private readonly XLWorkbook _book = new();
    private readonly string _path;
    private bool _disposed;

    public ExcelBook(string path)
    {
        _path = path;
        FileName = Path.GetFileName(path);
        CellStyles.UseDepartmentFont(_book.Style.Font);
    }

    public string FileName { get; }

    /// <summary>Adds a sheet. <paramref name="widths"/> are in characters; <paramref name="frozenRows"/> stay in view.</summary>
    public ExcelSheet AddSheet(string name, IReadOnlyList<double> widths, int frozenRows)
    {
        var sheet = _book.AddWorksheet(name);
        for (var i = 0; i < widths.Count; i++)
        {
            sheet.Column(i + 1).Width = widths[i];
        }

        if (frozenRows > 0)
        {
            sheet.SheetView.FreezeRows(frozenRows);
        }

        return new ExcelSheet(sheet);
    }

    /// <summary>Saves the workbook (once).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _book.SaveAs(_path);
        _book.Dispose();
    }

    /// <summary>Display width of text in Excel character units: CJK and full-width characters count double.</summary>
    public static double TextWidth(string text)
    {
        var width = 0.0;
        foreach (var c in text)
        {
            width += c >= '\u1100' && (c <= '\u115f' || c >= '\u2e80') ? 2 : 1;
        }

        return width;
    }

    /// <summary>Column widths from the header and a sample value per column, padded and clamped.</summary>
    public static double[] Widths(IReadOnlyList<string> header, IReadOnlyList<string> samples) =>
        header.Select((h, i) => Math.Clamp(Math.Max(TextWidth(h), i < samples.Count ? TextWidth(samples[i]) : 0) + 2, 6, 60)).ToArray();
}

/// <summary>One sheet being filled; rows go in order, merges may span rows already written.</summary>
internal sealed class ExcelSheet
{
    private readonly IXLWorksheet _sheet;

    internal ExcelSheet(IXLWorksheet sheet) => _sheet = sheet;

    public string Name => _sheet.Name;

    /// <summary>The number of the last row written (1-based); 0 before the first.</summary>
    public int Row { get; private set; }

    public void WriteRow(ReadOnlySpan<XCell> cells, double? height = null)
    {
        Row++;
        if (height is { } h)
        {
            _sheet.Row(Row).Height = h;
        }

        for (var i = 0; i < cells.Length; i++)
        {
            var value = cells[i];
            if (value.IsEmpty && value.Style == CellStyle.Normal)
            {
                continue;
            }

            var cell = _sheet.Cell(Row, i + 1);
            if (value.Text is { } text)
            {
                // SetValue<string> keeps text as text: an ID number or a date typed as text must not become a number.
                cell.SetValue(text);
            }
            else if (value.Number is { } number)
            {
                if (value.Style is CellStyle.Date or CellStyle.ChineseDate)
                {
                    cell.SetValue(DateTime.FromOADate(number));
                }
                else
                {
                    cell.SetValue(number);
                }
            }

            if (value.Style != CellStyle.Normal)
            {
                cell.Style = CellStyles.Of(value.Style);
            }
        }
    }

    /// <summary>Merges a range (1-based, inclusive); the top-left cell holds the value.</summary>
    public void Merge(int row1, int col1, int row2, int col2)
    {
        if (row1 != row2 || col1 != col2)
        {
            // The generator never overlaps its merges, so ClosedXML's intersection check is skipped (it is slow at scale).
            _sheet.Range(row1, col1, row2, col2).Merge(checkIntersect: false);
        }
    }
}

/// <summary>
/// The looks of <see cref="CellStyle"/>, built once on cells of a workbook of their own and copied onto the cells
/// written: copying a whole style costs a third of setting its properties one by one on every cell.
/// </summary>
internal static class CellStyles
{
    private static readonly Lazy<IXLStyle[]> Templates = new(Build);

    public static IXLStyle Of(CellStyle kind) => Templates.Value[(int)kind];

    /// <summary>The departments' own workbooks are Chinese Excel's: SimSun 11 throughout.</summary>
    public static void UseDepartmentFont(IXLFont font)
    {
        font.FontName = "宋体";
        font.FontSize = 11;
        font.FontCharSet = XLFontCharSet.GB2312;
        font.FontFamilyNumbering = XLFontFamilyNumberingValues.Modern;
    }

    private static IXLStyle[] Build()
    {
        // Never saved: it holds one cell per style, for the life of the process.
        var book = new XLWorkbook();
        UseDepartmentFont(book.Style.Font);
        var sheet = book.AddWorksheet("styles");
        return Enum.GetValues<CellStyle>().Select(kind =>
        {
            var style = sheet.Cell((int)kind + 1, 1).Style;
            Apply(style, kind);
            return style;
        }).ToArray();
    }

    private static void Apply(IXLStyle style, CellStyle kind)
    {
        switch (kind)
        {
            case CellStyle.Date:
                style.NumberFormat.Format = "yyyy-mm-dd";
                break;
            case CellStyle.ChineseDate:
                style.NumberFormat.Format = "yyyy\"年\"m\"月\"d\"日\"";
                break;
            case CellStyle.Money:
                style.NumberFormat.Format = "0.00";
                style.Alignment.Vertical = XLAlignmentVerticalValues.Center;
                break;
            case CellStyle.Merged:
                style.Alignment.Vertical = XLAlignmentVerticalValues.Center;
                break;
            case CellStyle.Title:
                style.Font.Bold = true;
                style.Font.FontSize = 16;
                style.Alignment.Horizontal = XLAlignmentHorizontalValues.Center;
                style.Alignment.Vertical = XLAlignmentVerticalValues.Center;
                break;
            case CellStyle.Header:
                style.Font.Bold = true;
                style.Fill.BackgroundColor = XLColor.FromArgb(0xD9, 0xE1, 0xF2);
                style.Border.OutsideBorder = XLBorderStyleValues.Thin;
                style.Alignment.Horizontal = XLAlignmentHorizontalValues.Center;
                style.Alignment.Vertical = XLAlignmentVerticalValues.Center;
                style.Alignment.WrapText = true;
                break;
        }
    }
}
