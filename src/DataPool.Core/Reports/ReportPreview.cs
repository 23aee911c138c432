using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace DataPool.Core.Reports;

/// <summary>One row of a run's sheet as the preview shows it: its sheet row number (the <c>7</c> of <c>C7</c>) and its cells as written.</summary>
public sealed record PreviewRow(int Row, IReadOnlyList<string> Cells, bool Totals);

/// <summary>
/// A run's sheet for the web preview, read back from the archived CSV (the file a download gives, so the preview
/// shows exactly what was filed). Rows carry their sheet row numbers, so a click on a number names the cell the trace
/// API expects; <see cref="FirstNumberColumn"/> is where the numbers start.
/// </summary>
public sealed record ReportPreview(long RunId, string ReportId, IReadOnlyList<string> Header, int FirstNumberColumn, IReadOnlyList<PreviewRow> Rows, int TotalRows, bool Truncated)
{
    /// <summary>Reads at most <paramref name="maxRows"/> data rows (the totals row always comes along).</summary>
    public static ReportPreview Read(ReportDefinition definition, ReportRun run, string csvFile, int maxRows)
    {
        using var reader = new StreamReader(csvFile, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { HasHeaderRecord = false });
        var lines = new List<string[]>();
        while (csv.Read())
        {
            lines.Add(csv.Parser.Record ?? []);
        }

        var header = lines.Count > 0 ? lines[0] : [];
        var data = lines.Skip(1).ToList();
        var hasTotals = definition.Totals is not null && data.Count > 0;
        var groups = hasTotals ? data.Count - 1 : data.Count;
        var rows = new List<PreviewRow>();
        for (var i = 0; i < Math.Min(groups, maxRows); i++)
        {
            rows.Add(new PreviewRow(ReportSheet.FirstDataRow + i, data[i], false));
        }

        if (hasTotals)
        {
            rows.Add(new PreviewRow(ReportSheet.FirstDataRow + groups, data[^1], true));
        }

        return new ReportPreview(run.Id, run.ReportId, header, definition.GroupBy.Count, rows, groups, groups > maxRows);
    }
}
