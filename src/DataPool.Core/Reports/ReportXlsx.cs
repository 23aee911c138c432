using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace DataPool.Core.Reports;

/// <summary>
/// Writes a <see cref="ReportSheet"/> as a styled workbook by streaming SpreadsheetML into the zip, row by row: a merged
/// title, the as-of line, a bold shaded header, the data with one number format per column, a bold totals row under a
/// double line, frozen header rows, column widths, and print settings (landscape A4, one page wide, title and header
/// on every page, page numbers).
/// </summary>
/// <remarks>
/// Not through a workbook object model: a roster of tens of thousands of rows cost seconds there, and loading and
/// compiling the library was most of a cold <c>datapool report</c>. Strings are written inline (no shared-string
/// table to hold), so memory does not grow with the rows. The styles are a fixed table built from the columns' formats.
/// </remarks>
public static class ReportXlsx
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    // Fixed cell styles (indexes into cellXfs); number styles follow them, two per distinct format (data, totals).
    private const int TitleStyle = 1;
    private const int InfoStyle = 2;
    private const int HeaderStyle = 3;
    private const int TextStyle = 4;
    private const int TotalsTextStyle = 5;
    private const int FirstNumberStyle = 6;

    public static void Write(ReportSheet sheet, string path)
    {
        var formats = Enumerable.Range(0, sheet.ColumnCount).Select(sheet.Format).OfType<string>().Distinct().ToList();
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        Entry(zip, "[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>
            """);
        Entry(zip, "_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """);
        Entry(zip, "xl/_rels/workbook.xml.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
            """);
        WriteWorkbook(zip, SheetName(sheet.Definition.Title.Zh));
        WriteStyles(zip, formats);
        WriteSheet(zip, sheet, formats);
    }

    private static void WriteWorkbook(ZipArchive zip, string name)
    {
        using var xml = Xml(zip, "xl/workbook.xml");
        xml.WriteStartElement("workbook", Main);
        xml.WriteAttributeString("xmlns", "r", null, Relationships);
        xml.WriteStartElement("sheets", Main);
        xml.WriteStartElement("sheet", Main);
        xml.WriteAttributeString("name", name);
        xml.WriteAttributeString("sheetId", "1");
        xml.WriteAttributeString("id", Relationships, "rId1");
        xml.WriteEndElement();
        xml.WriteEndElement();
        // Title, as-of line and header repeat at the top of every printed page.
        xml.WriteStartElement("definedNames", Main);
        xml.WriteStartElement("definedName", Main);
        xml.WriteAttributeString("name", "_xlnm.Print_Titles");
        xml.WriteAttributeString("localSheetId", "0");
        xml.WriteString($"'{name.Replace("'", "''", StringComparison.Ordinal)}'!{ReportSheet.TitleRow}:{ReportSheet.HeaderRow}");
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    private static void WriteStyles(ZipArchive zip, IReadOnlyList<string> formats)
    {
        var numFmts = string.Concat(formats.Select((f, i) => $"""<numFmt numFmtId="{164 + i}" formatCode="{Escape(f)}"/>"""));
        var numberXfs = string.Concat(formats.Select((_, i) =>
            $"""<xf numFmtId="{164 + i}" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1"/><xf numFmtId="{164 + i}" fontId="3" fillId="0" borderId="2" xfId="0" applyNumberFormat="1" applyFont="1" applyBorder="1"/>"""));
        Entry(zip, "xl/styles.xml", $"""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <styleSheet xmlns="{Main}"><numFmts count="{formats.Count}">{numFmts}</numFmts><fonts count="4"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="14"/><name val="Calibri"/></font><font><sz val="9"/><color rgb="FF696969"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill></fills><borders count="3"><border><left/><right/><top/><bottom/><diagonal/></border><border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/><diagonal/></border><border><left style="thin"/><right style="thin"/><top style="double"/><bottom style="thin"/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="{FirstNumberStyle + (2 * formats.Count)}"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment horizontal="center"/></xf><xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="0" fontId="3" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" wrapText="1"/></xf><xf numFmtId="49" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1"/><xf numFmtId="49" fontId="3" fillId="0" borderId="2" xfId="0" applyNumberFormat="1" applyFont="1" applyBorder="1"/>{numberXfs}</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
            """);
    }

    private static void WriteSheet(ZipArchive zip, ReportSheet sheet, List<string> formats)
    {
        var columns = sheet.ColumnCount;
        var last = ReportSheet.ColumnName(columns - 1);
        var lastRow = sheet.TotalsRow ?? (ReportSheet.FirstDataRow + sheet.Rows.Count - 1);
        // The data and totals style of each column: text for groups, the column's number format for measures.
        var data = new int[columns];
        var totals = new int[columns];
        for (var c = 0; c < columns; c++)
        {
            var format = sheet.Format(c);
            data[c] = format is null ? TextStyle : FirstNumberStyle + (2 * formats.IndexOf(format));
            totals[c] = format is null ? TotalsTextStyle : data[c] + 1;
        }

        using var xml = Xml(zip, "xl/worksheets/sheet1.xml");
        xml.WriteStartElement("worksheet", Main);
        xml.WriteAttributeString("xmlns", "r", null, Relationships);
        xml.WriteRaw($"""<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><dimension ref="A1:{last}{Math.Max(lastRow, ReportSheet.HeaderRow)}"/>""");
        xml.WriteRaw($"""<sheetViews><sheetView workbookViewId="0"><pane ySplit="{ReportSheet.HeaderRow}" topLeftCell="A{ReportSheet.FirstDataRow}" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>""");
        // Widths computed by the sheet (CJK counts double), never measured with fonts the server may lack.
        xml.WriteRaw("<cols>" + string.Concat(Enumerable.Range(0, columns).Select(c =>
            $"""<col min="{c + 1}" max="{c + 1}" width="{sheet.Width(c).ToString(CultureInfo.InvariantCulture)}" customWidth="1"/>""")) + "</cols>");
        xml.WriteStartElement("sheetData", Main);
        Row(xml, ReportSheet.TitleRow, [sheet.Title], [TitleStyle]);
        Row(xml, ReportSheet.InfoRow, [sheet.Info], [InfoStyle]);
        Row(xml, ReportSheet.HeaderRow, [.. sheet.Header], [.. Enumerable.Repeat(HeaderStyle, columns)]);
        var row = ReportSheet.FirstDataRow;
        foreach (var values in sheet.Rows)
        {
            Row(xml, row++, values, data);
        }

        if (sheet.Totals is { } sums)
        {
            Row(xml, row, sums, totals);
        }

        xml.WriteEndElement();
        xml.WriteRaw($"""<mergeCells count="2"><mergeCell ref="A{ReportSheet.TitleRow}:{last}{ReportSheet.TitleRow}"/><mergeCell ref="A{ReportSheet.InfoRow}:{last}{ReportSheet.InfoRow}"/></mergeCells>""");
        xml.WriteRaw("""<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/><pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>""");
        xml.WriteStartElement("headerFooter", Main);
        xml.WriteElementString("oddHeader", Main, "&C" + Clean(sheet.Definition.Title.Zh).Replace("&", "&&", StringComparison.Ordinal));
        xml.WriteElementString("oddFooter", Main, "&R&P / &N");
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    /// <summary>One row: numbers as numbers, everything else as inline text (never a formula: text that would run is quoted).</summary>
    private static void Row(XmlWriter xml, int row, IReadOnlyList<object?> values, int[] styles)
    {
        var r = row.ToString(CultureInfo.InvariantCulture);
        xml.WriteStartElement("row", Main);
        xml.WriteAttributeString("r", r);
        for (var c = 0; c < values.Count; c++)
        {
            var style = styles[Math.Min(c, styles.Length - 1)];
            xml.WriteStartElement("c", Main);
            xml.WriteAttributeString("r", ReportSheet.ColumnName(c) + r);
            xml.WriteAttributeString("s", style.ToString(CultureInfo.InvariantCulture));
            switch (values[c])
            {
                case decimal number:
                    xml.WriteElementString("v", Main, number.ToString(CultureInfo.InvariantCulture));
                    break;
                case null:
                    break;
                case var text:
                    xml.WriteAttributeString("t", "inlineStr");
                    xml.WriteStartElement("is", Main);
                    xml.WriteStartElement("t", Main);
                    xml.WriteAttributeString("xml", "space", null, "preserve");
                    xml.WriteString(Clean(ReportSheet.Neutralise(text.ToString() ?? "")));
                    xml.WriteEndElement();
                    xml.WriteEndElement();
                    break;
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    private static XmlWriter Xml(ZipArchive zip, string name) =>
        XmlWriter.Create(zip.CreateEntry(name, CompressionLevel.Fastest).Open(),
            new XmlWriterSettings { Encoding = new UTF8Encoding(false), CloseOutput = true });

    private static void Entry(ZipArchive zip, string name, string content)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name, CompressionLevel.Fastest).Open(), new UTF8Encoding(false));
        writer.Write(content);
    }

    /// <summary>Drops characters XML cannot carry (control characters, lone surrogates); a legacy value may hold them.</summary>
    private static string Clean(string text)
    {
        StringBuilder? kept = null;
        for (var i = 0; i < text.Length; i++)
        {
            var pair = i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]);
            if (pair || XmlConvert.IsXmlChar(text[i]))
            {
                kept?.Append(text, i, pair ? 2 : 1);
                i += pair ? 1 : 0;
            }
            else
            {
                kept ??= new StringBuilder(text.Length).Append(text, 0, i);
            }
        }

        return kept?.ToString() ?? text;
    }

    private static string Escape(string text) => System.Security.SecurityElement.Escape(text);

    /// <summary>Excel sheet names: at most 31 characters, none of : \ / ? * [ ].</summary>
    internal static string SheetName(string title)
    {
        var clean = new string(title.Where(c => c is not (':' or '\\' or '/' or '?' or '*' or '[' or ']')).ToArray());
        return clean.Length == 0 ? "Report" : clean[..Math.Min(31, clean.Length)];
    }
}
