using System.Data.Common;
using DataPool.Core.Store;

namespace DataPool.Core.Forms;

/// <summary>
/// Correction requests (纠错): a worker's change to a field the form may not win, put to the owning department
/// (<c>dp_corrections</c>); and the accepted ones as the rows of that department's correction source
/// (<c>dp_correction_rows</c>, read by the <c>form</c> connector by row id, like the form's submissions).
/// </summary>
internal sealed class CorrectionTables : IStoreInitializer
{
    private const string Template = """
        CREATE TABLE IF NOT EXISTS dp_corrections (
            id {AutoId},
            entity TEXT NOT NULL,
            pool_id {BigInt},
            record_key TEXT NOT NULL,
            field TEXT NOT NULL,
            form_key TEXT NOT NULL,
            household_no TEXT NOT NULL,
            community_code TEXT,
            current_value TEXT,
            current_source TEXT,
            proposed TEXT NOT NULL,
            worker TEXT NOT NULL,
            department TEXT NOT NULL,
            status TEXT NOT NULL,
            reason TEXT,
            decided_by TEXT,
            run_id {BigInt},
            created_at TEXT NOT NULL,
            decided_at TEXT);
        CREATE INDEX IF NOT EXISTS ix_dp_corrections_department ON dp_corrections (department, status, id);
        CREATE INDEX IF NOT EXISTS ix_dp_corrections_household ON dp_corrections (household_no, id);

        CREATE TABLE IF NOT EXISTS dp_correction_rows (
            id {AutoId},
            source_id TEXT NOT NULL,
            correction_id {BigInt} NOT NULL,
            entity TEXT NOT NULL,
            data TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_dp_correction_rows_source ON dp_correction_rows (source_id, entity, id);
        """;

    public Task InitialiseAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(Template.Replace("{AutoId}", dialect.AutoId).Replace("{BigInt}", dialect.BigInt), transaction, cancellationToken);
}
