using System.Data.Common;
using System.Text.Json;
using DataPool.Core.Store;

namespace DataPool.Core.Reports;

/// <summary>The number behind one cell of a run's sheet, and the pool records (ids) behind that number as of the snapshot.</summary>
/// <param name="Groups">The group's values as stored (codes, not labels); for the totals row, null.</param>
public sealed record CellTrace(long RunId, string ReportId, string Ref, string Entity, string Measure, IReadOnlyList<string?>? Groups, decimal? Value,
    string? AsOf, long? SnapshotRunId, long Records, int Offset, int Limit, IReadOnlyList<long> PoolIds);

/// <summary>Reads <c>dp_report_runs</c> and <c>dp_report_cells</c>.</summary>
public static class ReportRuns
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    private const string Columns = "id, report_id, status, trigger, started_at, finished_at, as_of, snapshot_run_id, row_count, xlsx_file, csv_file, duration_ms, error, progress";

    public static async Task<ReportRun?> GetAsync(PoolDatabase database, long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM dp_report_runs WHERE id = @id", null, ("@id", id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Runs, newest first; of one report when <paramref name="reportId"/> is given.</summary>
    public static async Task<List<ReportRun>> ListAsync(PoolDatabase database, string? reportId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"SELECT {Columns} FROM dp_report_runs WHERE (@report IS NULL OR report_id = @report) ORDER BY id DESC LIMIT @limit",
            null, ("@report", reportId), ("@limit", (long)limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var runs = new List<ReportRun>();
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(Read(reader));
        }

        return runs;
    }

    /// <summary>
    /// What is behind a cell: a group row's number is looked up with its stored ids; a totals cell is the union of its
    /// column's ids (the groups never overlap). Null when the run has no such number cell.
    /// </summary>
    public static async Task<CellTrace?> TraceAsync(PoolDatabase database, ReportCatalog reports, ReportRun run, string reference, int offset, int limit, CancellationToken cancellationToken = default)
    {
        if (!reports.Reports.TryGetValue(run.ReportId, out var definition) || ReportSheet.ParseRef(reference) is not { } cell)
        {
            return null;
        }

        var measureIndex = cell.Column - definition.GroupBy.Count;
        if (measureIndex < 0 || measureIndex >= definition.Measures.Count)
        {
            return null;
        }

        var measure = definition.Measures[measureIndex];
        await using var connection = await database.OpenAsync(cancellationToken);
        List<long> ids;
        IReadOnlyList<string?>? groups = null;
        decimal? value;
        var totalsRow = definition.Totals is null ? (long?)null : ReportSheet.FirstDataRow + (run.Rows ?? 0);
        if (cell.Row == totalsRow)
        {
            ids = await ColumnMembersAsync(connection, run.Id, measure.Id, cancellationToken);
            value = null;
        }
        else
        {
            await using var command = connection.Command("SELECT groups, value, members FROM dp_report_cells WHERE run_id = @run AND ref = @ref", null,
                ("@run", run.Id), ("@ref", reference));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            groups = JsonSerializer.Deserialize<List<string?>>(reader.GetString(0));
            value = reader.IsDBNull(1) ? null : decimal.Parse(reader.GetString(1), System.Globalization.CultureInfo.InvariantCulture);
            ids = MemberIds.Decode(Bytes(reader, 2));
        }

        return new CellTrace(run.Id, run.ReportId, reference, definition.Entity, measure.Id, groups, value, run.AsOf, run.SnapshotRunId,
            ids.Count, offset, limit, ids.Skip(offset).Take(limit).ToList());
    }

    /// <summary>Every pool id behind a measure's column (all groups), sorted: for the totals row and for auditing a download.</summary>
    public static async Task<List<long>> ColumnMembersAsync(DbConnection connection, long runId, string measureId, CancellationToken cancellationToken)
    {
        var ids = new List<long>();
        await using var command = connection.Command("SELECT members FROM dp_report_cells WHERE run_id = @run AND measure = @measure", null,
            ("@run", runId), ("@measure", measureId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.AddRange(MemberIds.Decode(Bytes(reader, 0)));
        }

        ids.Sort();
        return ids;
    }

    private static byte[]? Bytes(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : (byte[])reader.GetValue(ordinal);

    private static ReportRun Read(DbDataReader reader) => new(
        reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetNullableString(5),
        reader.GetNullableString(6), reader.GetNullableInt64(7), reader.GetNullableInt64(8), reader.GetNullableString(9), reader.GetNullableString(10),
        reader.GetNullableInt64(11), reader.GetNullableString(12))
    {
        Progress = ReportProgress.Parse(reader.GetNullableString(13)),
    };
}
