using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using DataPool.Core.Store.Writing;

namespace DataPool.Core.Reports;

/// <summary>One number of a run's sheet as stored for tracing: where it is, which group and measure, and the ids behind it.</summary>
public sealed record ReportCell(string Ref, string Measure, string Groups, string? Value, byte[] Members);

/// <summary>Writes a run's cells to <c>dp_report_cells</c> through the store's bulk writer, a batch at a time.</summary>
public static class ReportCells
{
    private const int Batch = 5_000;

    public static IEnumerable<ReportCell> Of(ReportDefinition definition, ReportResult result)
    {
        for (var r = 0; r < result.Rows.Count; r++)
        {
            var row = result.Rows[r];
            var groups = JsonSerializer.Serialize(row.Groups);
            for (var m = 0; m < definition.Measures.Count; m++)
            {
                yield return new ReportCell(
                    ReportSheet.ColumnName(definition.GroupBy.Count + m) + (ReportSheet.FirstDataRow + r).ToString(CultureInfo.InvariantCulture),
                    definition.Measures[m].Id, groups, row.Values[m]?.ToString(CultureInfo.InvariantCulture), MemberIds.Encode(row.Members[m]));
            }
        }
    }

    public static Task WriteAsync(DbConnection connection, long runId, IEnumerable<ReportCell> cells, CancellationToken cancellationToken)
    {
        // A roster over a city has tens of thousands of cells: one COPY (PostgreSQL) or one prepared statement (SQLite).
        using var insert = BulkWriters.Open(connection, "dp_report_cells", ["run_id", "ref", "measure", "groups", "value", "members"]);
        foreach (var chunk in cells.Chunk(Batch))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var cell in chunk)
            {
                insert.Add(runId, cell.Ref, cell.Measure, cell.Groups, cell.Value, cell.Members);
            }

            insert.Flush();
        }

        return Task.CompletedTask;
    }
}
