using System.Data.Common;
using DataPool.Core.Store;

namespace DataPool.Core.Reports;

/// <summary>
/// <c>dp_report_runs</c>: one row per generation (the snapshot's as-of time and the last sync run it includes, the
/// archive files); <c>dp_report_cells</c>: per number of the sheet, its group values and the pool ids behind it.
/// </summary>
public sealed class ReportTables : IStoreInitializer
{
    private const string Template = """
        CREATE TABLE IF NOT EXISTS dp_report_runs (
            id {AutoId},
            report_id TEXT NOT NULL,
            status TEXT NOT NULL,
            trigger TEXT NOT NULL,
            node TEXT,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            as_of TEXT,
            snapshot_run_id {BigInt},
            row_count {BigInt},
            xlsx_file TEXT,
            csv_file TEXT,
            duration_ms {BigInt},
            error TEXT,
            progress TEXT);
        CREATE INDEX IF NOT EXISTS ix_dp_report_runs_report ON dp_report_runs (report_id, id);

        CREATE TABLE IF NOT EXISTS dp_report_cells (
            run_id {BigInt} NOT NULL,
            ref TEXT NOT NULL,
            measure TEXT NOT NULL,
            groups TEXT NOT NULL,
            value TEXT,
            members {Blob},
            PRIMARY KEY (run_id, ref));
        """;

    public async Task InitialiseAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(
            Template.Replace("{AutoId}", dialect.AutoId).Replace("{BigInt}", dialect.BigInt).Replace("{Blob}", dialect.Blob),
            transaction,
            cancellationToken);
        // Pools created before runs reported their progress get the column at the next start.
        if (!(await OperationalTables.ColumnsAsync(connection, transaction, dialect, "dp_report_runs", cancellationToken)).Contains("progress"))
        {
            await connection.ExecuteAsync("ALTER TABLE dp_report_runs ADD COLUMN progress TEXT", transaction, cancellationToken);
        }
    }
}
