using System.Globalization;

namespace DataPool.Core.Reports;

/// <summary>
/// The layout both archive files share: a title row, a line saying what the numbers are as of, the header row, one
/// row per group, the totals row. Cell references (<c>C7</c>) name cells of the xlsx sheet.
/// </summary>
public sealed class ReportSheet
{
    public const int TitleRow = 1;
    public const int InfoRow = 2;
    public const int HeaderRow = 3;
    public const int FirstDataRow = 4;

    public ReportSheet(ReportDefinition definition, ReportResult result, long runId, IReadOnlyList<IReadOnlyList<string?>> shownGroups)
    {
        Definition = definition;
        Title = $"{definition.Title.Zh} {definition.Title.En}";
        var local = result.AsOf.ToOffset(TimeSpan.FromHours(8));
        Info = $"数据截至 As of {local.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} (Asia/Shanghai) · 同步运行 sync run #{result.SnapshotRunId?.ToString(CultureInfo.InvariantCulture) ?? "-"} · 报表运行 report run #{runId.ToString(CultureInfo.InvariantCulture)}";
        Header = [.. definition.GroupBy.Select(g => g.Label?.Zh ?? g.Field), .. definition.Measures.Select(m => m.Label.Zh)];
        Rows = result.Rows.Select((row, i) => (IReadOnlyList<object?>)[.. shownGroups[i], .. Numbers(row.Values)]).ToList();
        if (definition.Totals is { } totals)
        {
            var label = new object?[definition.GroupBy.Count];
            label[0] = totals.Label.Zh;
            Totals = [.. label, .. Numbers(result.Totals)];
        }
    }

    public ReportDefinition Definition { get; }

    /// <summary>A count or sum over no rows is 0; an average, minimum or maximum of nothing stays empty.</summary>
    private IEnumerable<object?> Numbers(IReadOnlyList<decimal?> values) =>
        values.Select((v, i) => (object?)(v ?? (Definition.Measures[i].Agg is "count" or "sum" ? 0m : null)));
    public string Title { get; }
    public string Info { get; }
    public IReadOnlyList<string> Header { get; }
    public IReadOnlyList<IReadOnlyList<object?>> Rows { get; }
    public IReadOnlyList<object?>? Totals { get; }

    public int ColumnCount => Header.Count;

    /// <summary>The sheet row of the totals, when the report has one.</summary>
    public int? TotalsRow => Totals is null ? null : FirstDataRow + Rows.Count;

    /// <summary>The number format of a column: the measure's, or none for a group column.</summary>
    public string? Format(int column) =>
        column < Definition.GroupBy.Count ? null : Definition.Measures[column - Definition.GroupBy.Count].Format ?? (Definition.Measures[column - Definition.GroupBy.Count].Agg == "count" ? "#,##0" : "#,##0.00");

    /// <summary>A text cell that a spreadsheet would run as a formula (= + - @, also after a tab or return) is prefixed with a quote.</summary>
    public static string Neutralise(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;

    /// <summary>Column letters of a 0-based column index: 0 → A, 26 → AA.</summary>
    public static string ColumnName(int column)
    {
        var name = "";
        for (var n = column + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    /// <summary>Parses <c>C7</c> into a 0-based column and a 1-based row; null when it is not a cell reference.</summary>
    public static (int Column, int Row)? ParseRef(string reference)
    {
        var match = System.Text.RegularExpressions.Regex.Match(reference, "^([A-Z]{1,3})([1-9][0-9]{0,6})$");
        if (!match.Success)
        {
            return null;
        }

        var column = match.Groups[1].Value.Aggregate(0, (n, c) => (n * 26) + (c - 'A' + 1)) - 1;
        return (column, int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>How wide a text shows in a fixed-width font: CJK and full-width characters take two columns.</summary>
    public static int DisplayWidth(string text) =>
        text.Sum(c => c >= 0x1100 && (c <= 0x115F || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6)) ? 2 : 1);

    /// <summary>A column's width in characters from its widest cell (header, values as formatted), within 6–60.</summary>
    public double Width(int column)
    {
        if (column < Definition.GroupBy.Count && Definition.GroupBy[column].Width is { } fixedWidth)
        {
            return fixedWidth;
        }

        var widest = DisplayWidth(Header[column]);
        foreach (var row in Rows.Append(Totals ?? []))
        {
            if (column < row.Count && row[column] is { } value)
            {
                var text = value is decimal number ? number.ToString("#,##0.00", CultureInfo.InvariantCulture) : value.ToString() ?? "";
                widest = Math.Max(widest, DisplayWidth(text));
            }
        }

        return Math.Clamp(widest + 2, 6, 60);
    }
}
