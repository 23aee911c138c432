using System.Data.Common;
using DataPool.Core.Store;

namespace DataPool.Core.Forms;

/// <summary>
/// The form's operational tables: submissions (the <c>community-form</c> source's own data, read by the <c>form</c>
/// connector by submission id), the values each ETag stood for (to say what changed on a stale save), and the
/// fields the admission gate added to the unified form.
/// </summary>
internal sealed class FormTables : IStoreInitializer
{
    private const string Template = """
        CREATE TABLE IF NOT EXISTS dp_form_submissions (
            id {AutoId},
            household_no TEXT NOT NULL,
            community_code TEXT,
            worker TEXT NOT NULL,
            submitted_at TEXT NOT NULL,
            etag_before TEXT,
            body TEXT NOT NULL,
            run_id {BigInt});
        CREATE INDEX IF NOT EXISTS ix_dp_form_submissions_household ON dp_form_submissions (household_no, id);

        CREATE TABLE IF NOT EXISTS dp_form_submission_rows (
            id {AutoId},
            submission_id {BigInt} NOT NULL,
            entity TEXT NOT NULL,
            data TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_dp_form_submission_rows_entity ON dp_form_submission_rows (entity, submission_id, id);

        CREATE TABLE IF NOT EXISTS dp_form_snapshots (
            etag TEXT PRIMARY KEY,
            household_no TEXT NOT NULL,
            snapshot TEXT NOT NULL,
            created_at TEXT NOT NULL);

        CREATE TABLE IF NOT EXISTS dp_form_extensions (
            id {AutoId},
            request_id {BigInt} NOT NULL,
            version {BigInt} NOT NULL,
            label TEXT NOT NULL,
            hint TEXT,
            department TEXT NOT NULL,
            created_at TEXT NOT NULL);
        """;

    public Task InitialiseAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(Template.Replace("{AutoId}", dialect.AutoId).Replace("{BigInt}", dialect.BigInt), transaction, cancellationToken);
}
