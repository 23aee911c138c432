using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using DataPool.Core.Store;

namespace DataPool.Core.Reports;

/// <summary>One number of a run's sheet as stored for tracing: where it is, which group and measure, and the ids behind it.</summary>
public sealed record ReportCell(string Ref, string Measure, string Groups, string? Value, byte[] Members);

/// <summary>Writes a run's cells to <c>dp_report_cells</c>: a prepared statement on SQLite, arrays unnested in batches on PostgreSQL.</summary>
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

    public static async Task WriteAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, long runId, IEnumerable<ReportCell> cells, CancellationToken cancellationToken)
    {
        if (dialect.IsPostgres)
        {
            // One statement per few thousand cells: a roster over a city has tens of thousands of them.
            foreach (var chunk in cells.Chunk(Batch))
            {
                await connection.ExecuteAsync(
                    """
                    INSERT INTO dp_report_cells (run_id, ref, measure, groups, value, members)
                    SELECT @run, c.ref, c.measure, c.groups, c.value, c.members FROM unnest(@refs, @measures, @groups, @values, @members) AS c (ref, measure, groups, value, members)
                    """,
                    transaction, cancellationToken, ("@run", runId), ("@refs", chunk.Select(c => c.Ref).ToArray()), ("@measures", chunk.Select(c => c.Measure).ToArray()),
                    ("@groups", chunk.Select(c => c.Groups).ToArray()), ("@values", chunk.Select(c => c.Value).ToArray()), ("@members", chunk.Select(c => c.Members).ToArray()));
            }

            return;
        }

        await using var insert = connection.Command(
            "INSERT INTO dp_report_cells (run_id, ref, measure, groups, value, members) VALUES (@run, @ref, @measure, @groups, @value, @members)", transaction);
        insert.AddParameter("@run", runId);
        var reference = insert.AddParameter("@ref");
        var measure = insert.AddParameter("@measure");
        var groups = insert.AddParameter("@groups");
        var value = insert.AddParameter("@value");
        var members = insert.AddParameter("@members");
        foreach (var cell in cells)
        {
            reference.Value = cell.Ref;
            measure.Value = cell.Measure;
            groups.Value = cell.Groups;
            value.Value = (object?)cell.Value ?? DBNull.Value;
            members.Value = cell.Members;
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
