using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace DataPool.Core.Reports;

/// <summary>Writes a <see cref="ReportSheet"/> as a styled workbook (streamed SpreadsheetML) and as CSV (CsvHelper, UTF-8 with BOM).</summary>
public static class ReportFiles
{
    /// <summary>The styled workbook, streamed (<see cref="ReportXlsx"/>).</summary>
    public static void WriteXlsx(ReportSheet sheet, string path) => ReportXlsx.Write(sheet, path);

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
}
