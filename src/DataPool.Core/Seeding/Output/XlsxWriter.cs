using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace DataPool.Core.Seeding.Output;

/// <summary>Cell styles of <see cref="XlsxWriter"/>'s fixed style sheet.</summary>
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

/// <summary>One cell to write: text (inline string), a number, or nothing.</summary>
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
/// A minimal streaming .xlsx writer: sheets are written row by row straight into the zip, with
/// inline strings, merged cells, column widths and frozen header rows. Unlike ClosedXML it holds
/// no sheet in memory (a million rows take seconds and little memory), keeps title-row and
/// vertical merges at any size, and writes fixed zip timestamps, so the same rows give the same bytes.
/// </summary>
internal sealed class XlsxWriter : IDisposable
{
    private static readonly DateTimeOffset FixedTime = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string Rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    private readonly ZipArchive _zip;
    private readonly List<string> _sheets = [];
    private SheetWriter? _open;
    private bool _disposed;

    public XlsxWriter(string path)
    {
        _zip = new ZipArchive(new FileStream(path, FileMode.Create, FileAccess.Write), ZipArchiveMode.Create, leaveOpen: false);
        FileName = Path.GetFileName(path);
    }

    public string FileName { get; }

    /// <summary>Starts a sheet; the previous one is finished. <paramref name="widths"/> are in characters.</summary>
    public SheetWriter AddSheet(string name, IReadOnlyList<double> widths, int frozenRows)
    {
        _open?.Finish();
        _sheets.Add(name);
        var entry = Entry($"xl/worksheets/sheet{_sheets.Count}.xml");
        _open = new SheetWriter(entry.Open(), name, widths, frozenRows, _sheets.Count == 1);
        return _open;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _open?.Finish();
        _open = null;
        Write("xl/workbook.xml", sb =>
        {
            sb.Append($"<workbook xmlns=\"{Main}\" xmlns:r=\"{Rel}\"><bookViews><workbookView/></bookViews><sheets>");
            for (var i = 0; i < _sheets.Count; i++)
            {
                sb.Append($"<sheet name=\"{Escape(_sheets[i])}\" sheetId=\"{i + 1}\" r:id=\"rId{i + 1}\"/>");
            }

            sb.Append("</sheets></workbook>");
        });
        Write("xl/_rels/workbook.xml.rels", sb =>
        {
            sb.Append("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
            for (var i = 0; i < _sheets.Count; i++)
            {
                sb.Append($"<Relationship Id=\"rId{i + 1}\" Type=\"{Rel}/worksheet\" Target=\"worksheets/sheet{i + 1}.xml\"/>");
            }

            sb.Append($"<Relationship Id=\"rId{_sheets.Count + 1}\" Type=\"{Rel}/styles\" Target=\"styles.xml\"/></Relationships>");
        });
        Write("xl/styles.xml", sb => sb.Append(Styles));
        Write("_rels/.rels", sb => sb.Append(
            "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
            $"<Relationship Id=\"rId1\" Type=\"{Rel}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"));
        Write("[Content_Types].xml", sb =>
        {
            sb.Append("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">");
            sb.Append("<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>");
            sb.Append("<Default Extension=\"xml\" ContentType=\"application/xml\"/>");
            sb.Append("<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>");
            sb.Append("<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>");
            for (var i = 0; i < _sheets.Count; i++)
            {
                sb.Append($"<Override PartName=\"/xl/worksheets/sheet{i + 1}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>");
            }

            sb.Append("</Types>");
        });
        _zip.Dispose();
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

    internal static string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny("&<>\"") < 0 && !text.Any(char.IsControl))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\t' or '\n' or '\r' => c.ToString(),
                _ when char.IsControl(c) => "",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }

    private ZipArchiveEntry Entry(string name)
    {
        var entry = _zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = FixedTime;
        return entry;
    }

    private void Write(string name, Action<StringBuilder> content)
    {
        var sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n");
        content(sb);
        using var writer = new StreamWriter(Entry(name).Open(), new UTF8Encoding(false));
        writer.Write(sb);
    }

    private const string Styles =
        $"<styleSheet xmlns=\"{Main}\">" +
        "<numFmts count=\"3\"><numFmt numFmtId=\"164\" formatCode=\"yyyy\\-mm\\-dd\"/><numFmt numFmtId=\"165\" formatCode=\"0.00\"/>" +
        "<numFmt numFmtId=\"166\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/></numFmts>" +
        "<fonts count=\"3\"><font><sz val=\"11\"/><name val=\"宋体\"/><family val=\"3\"/><charset val=\"134\"/></font>" +
        "<font><b/><sz val=\"16\"/><name val=\"宋体\"/><family val=\"3\"/><charset val=\"134\"/></font>" +
        "<font><b/><sz val=\"11\"/><name val=\"宋体\"/><family val=\"3\"/><charset val=\"134\"/></font></fonts>" +
        "<fills count=\"3\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill>" +
        "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FFD9E1F2\"/><bgColor indexed=\"64\"/></patternFill></fill></fills>" +
        "<borders count=\"2\"><border><left/><right/><top/><bottom/><diagonal/></border>" +
        "<border><left style=\"thin\"><color auto=\"1\"/></left><right style=\"thin\"><color auto=\"1\"/></right><top style=\"thin\"><color auto=\"1\"/></top><bottom style=\"thin\"><color auto=\"1\"/></bottom><diagonal/></border></borders>" +
        "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>" +
        "<cellXfs count=\"7\">" +
        "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>" +
        "<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>" +
        "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\" applyAlignment=\"1\"><alignment horizontal=\"center\" vertical=\"center\"/></xf>" +
        "<xf numFmtId=\"0\" fontId=\"2\" fillId=\"2\" borderId=\"1\" xfId=\"0\" applyFont=\"1\" applyFill=\"1\" applyBorder=\"1\" applyAlignment=\"1\"><alignment horizontal=\"center\" vertical=\"center\" wrapText=\"1\"/></xf>" +
        "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyAlignment=\"1\"><alignment vertical=\"center\"/></xf>" +
        "<xf numFmtId=\"165\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\" applyAlignment=\"1\"><alignment vertical=\"center\"/></xf>" +
        "<xf numFmtId=\"166\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>" +
        "</cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>";
}

/// <summary>One sheet being written; rows go out in order, merges are listed at the end.</summary>
internal sealed class SheetWriter
{
    private readonly StreamWriter _writer;
    private readonly List<(int Row1, int Col1, int Row2, int Col2)> _merges = [];
    private bool _finished;

    internal SheetWriter(Stream stream, string name, IReadOnlyList<double> widths, int frozenRows, bool selected)
    {
        Name = name;
        _writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16);
        _writer.Write("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n");
        _writer.Write("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">");
        _writer.Write($"<sheetViews><sheetView {(selected ? "tabSelected=\"1\" " : "")}workbookViewId=\"0\">");
        if (frozenRows > 0)
        {
            _writer.Write($"<pane ySplit=\"{frozenRows}\" topLeftCell=\"A{frozenRows + 1}\" activePane=\"bottomLeft\" state=\"frozen\"/>");
        }

        _writer.Write("</sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/><cols>");
        for (var i = 0; i < widths.Count; i++)
        {
            _writer.Write(string.Create(CultureInfo.InvariantCulture, $"<col min=\"{i + 1}\" max=\"{i + 1}\" width=\"{widths[i]:0.##}\" customWidth=\"1\"/>"));
        }

        _writer.Write("</cols><sheetData>");
    }

    public string Name { get; }

    /// <summary>The number of the last row written (1-based); 0 before the first.</summary>
    public int Row { get; private set; }

    public void WriteRow(ReadOnlySpan<XCell> cells, double? height = null)
    {
        Row++;
        _writer.Write("<row r=\"");
        _writer.Write(Row.ToString(CultureInfo.InvariantCulture));
        if (height is { } h)
        {
            _writer.Write(string.Create(CultureInfo.InvariantCulture, $"\" ht=\"{h:0.##}\" customHeight=\"1"));
        }

        _writer.Write("\">");
        for (var i = 0; i < cells.Length; i++)
        {
            var cell = cells[i];
            if (cell.IsEmpty && cell.Style == CellStyle.Normal)
            {
                continue;
            }

            _writer.Write("<c r=\"");
            _writer.Write(Column(i + 1));
            _writer.Write(Row.ToString(CultureInfo.InvariantCulture));
            _writer.Write('"');
            if (cell.Style != CellStyle.Normal)
            {
                _writer.Write(" s=\"");
                _writer.Write(((int)cell.Style).ToString(CultureInfo.InvariantCulture));
                _writer.Write('"');
            }

            if (cell.Text is { } text)
            {
                var preserve = text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]));
                _writer.Write(preserve ? " t=\"inlineStr\"><is><t xml:space=\"preserve\">" : " t=\"inlineStr\"><is><t>");
                _writer.Write(XlsxWriter.Escape(text));
                _writer.Write("</t></is></c>");
            }
            else if (cell.Number is { } number)
            {
                _writer.Write("><v>");
                _writer.Write(number.ToString("R", CultureInfo.InvariantCulture));
                _writer.Write("</v></c>");
            }
            else
            {
                _writer.Write("/>");
            }
        }

        _writer.Write("</row>");
    }

    /// <summary>Merges a range (1-based, inclusive); the top-left cell holds the value.</summary>
    public void Merge(int row1, int col1, int row2, int col2)
    {
        if (row1 != row2 || col1 != col2)
        {
            _merges.Add((row1, col1, row2, col2));
        }
    }

    internal void Finish()
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        _writer.Write("</sheetData>");
        if (_merges.Count > 0)
        {
            _writer.Write($"<mergeCells count=\"{_merges.Count}\">");
            foreach (var (r1, c1, r2, c2) in _merges)
            {
                _writer.Write($"<mergeCell ref=\"{Column(c1)}{r1}:{Column(c2)}{r2}\"/>");
            }

            _writer.Write("</mergeCells>");
        }

        _writer.Write("<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/></worksheet>");
        _writer.Dispose();
    }

    private static readonly string[] Columns = Enumerable.Range(1, 64).Select(ColumnName).ToArray();

    internal static string Column(int n) => n <= Columns.Length ? Columns[n - 1] : ColumnName(n);

    private static string ColumnName(int n)
    {
        var name = "";
        for (; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + (n - 1) % 26) + name;
        }

        return name;
    }
}
