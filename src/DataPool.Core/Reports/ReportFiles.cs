using System.Globalization;
using System.Text;
using ClosedXML.Excel;
using CsvHelper;
using CsvHelper.Configuration;

namespace DataPool.Core.Reports;

/// <summary>Writes a <see cref="ReportSheet"/> as a styled workbook (ClosedXML) and as CSV (CsvHelper, UTF-8 with BOM).</summary>
public static class ReportFiles
{
    public static void WriteXlsx(ReportSheet sheet, string path)
    {
        using var workbook = new XLWorkbook();
        var ws = workbook.Worksheets.Add(SheetName(sheet.Definition.Title.Zh));
        var columns = sheet.ColumnCount;

        var title = ws.Range(ReportSheet.TitleRow, 1, ReportSheet.TitleRow, columns).Merge();
        title.FirstCell().SetValue(sheet.Title);
        title.Style.Font.SetBold().Font.SetFontSize(14).Alignment.SetHorizontal(XLAlignmentHorizontalValues.Center);
        var info = ws.Range(ReportSheet.InfoRow, 1, ReportSheet.InfoRow, columns).Merge();
        info.FirstCell().SetValue(sheet.Info);
        info.Style.Font.SetFontSize(9).Font.SetFontColor(XLColor.DimGray);

        for (var c = 0; c < columns; c++)
        {
            var cell = ws.Cell(ReportSheet.HeaderRow, c + 1);
            cell.SetValue(ReportSheet.Neutralise(sheet.Header[c]));
        }

        var header = ws.Range(ReportSheet.HeaderRow, 1, ReportSheet.HeaderRow, columns);
        header.Style.Font.SetBold().Fill.SetBackgroundColor(XLColor.FromHtml("#DDEBF7"))
            .Alignment.SetHorizontal(XLAlignmentHorizontalValues.Center).Alignment.SetWrapText(true)
            .Border.SetOutsideBorder(XLBorderStyleValues.Thin).Border.SetInsideBorder(XLBorderStyleValues.Thin);

        var row = ReportSheet.FirstDataRow;
        foreach (var values in sheet.Rows)
        {
            Fill(ws, row++, values);
        }

        if (sheet.Totals is { } totals)
        {
            Fill(ws, row, totals);
            ws.Range(row, 1, row, columns).Style.Font.SetBold().Border.SetTopBorder(XLBorderStyleValues.Double);
        }

        var last = Math.Max(row - (sheet.Totals is null ? 1 : 0), ReportSheet.HeaderRow);
        if (last > ReportSheet.HeaderRow)
        {
            ws.Range(ReportSheet.FirstDataRow, 1, last, columns).Style.Border.SetOutsideBorder(XLBorderStyleValues.Thin);
            // One style per column, not per cell: a roster has tens of thousands of numbers, and a style set on each
            // cell was most of the workbook's time.
            for (var c = 0; c < columns; c++)
            {
                if (sheet.Format(c) is { } format)
                {
                    ws.Range(ReportSheet.FirstDataRow, c + 1, last, c + 1).Style.NumberFormat.Format = format;
                }
            }
        }

        // Widths computed here (CJK counts double), never AdjustToContents: it measures with fonts the server may lack.
        for (var c = 0; c < columns; c++)
        {
            ws.Column(c + 1).Width = sheet.Width(c);
        }

        ws.SheetView.FreezeRows(ReportSheet.HeaderRow);
        ws.PageSetup.PageOrientation = XLPageOrientation.Landscape;
        ws.PageSetup.PaperSize = XLPaperSize.A4Paper;
        ws.PageSetup.FitToPages(1, 0);
        ws.PageSetup.SetRowsToRepeatAtTop(ReportSheet.TitleRow, ReportSheet.HeaderRow);
        ws.PageSetup.Header.Center.AddText(sheet.Definition.Title.Zh);
        ws.PageSetup.Footer.Right.AddText("&P / &N");
        workbook.SaveAs(path);
    }

    public static void WriteCsv(ReportSheet sheet, string path)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        using var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture) { InjectionOptions = InjectionOptions.None });
        foreach (var name in sheet.Header)
        {
            csv.WriteField(ReportSheet.Neutralise(name));
        }

        csv.NextRecord();
        foreach (var values in sheet.Totals is null ? sheet.Rows : sheet.Rows.Append(sheet.Totals))
        {
            foreach (var value in values)
            {
                csv.WriteField(value switch
                {
                    null => "",
                    decimal number => number.ToString(CultureInfo.InvariantCulture),
                    _ => ReportSheet.Neutralise(value.ToString() ?? ""),
                });
            }

            csv.NextRecord();
        }
    }

    private static void Fill(IXLWorksheet ws, int row, IReadOnlyList<object?> values)
    {
        for (var c = 0; c < values.Count; c++)
        {
            var cell = ws.Cell(row, c + 1);
            switch (values[c])
            {
                case decimal number:
                    cell.SetValue(number);
                    break;
                case null:
                    break;
                case var text:
                    // Text stays text: an ID number or a code is never turned into a number or run as a formula.
                    cell.SetValue(ReportSheet.Neutralise(text.ToString() ?? ""));
                    cell.DataType = XLDataType.Text;
                    break;
            }
        }
    }

    /// <summary>Excel sheet names: at most 31 characters, none of : \ / ? * [ ].</summary>
    private static string SheetName(string title)
    {
        var clean = new string(title.Where(c => c is not (':' or '\\' or '/' or '?' or '*' or '[' or ']')).ToArray());
        return clean.Length == 0 ? "Report" : clean[..Math.Min(31, clean.Length)];
    }
}
