using System.Data.Common;

namespace DataPool.Core.Store;

/// <summary>The operational record beside the entity tables: sources, runs, provenance, quarantine, history, merged ids, survivorship conflicts.</summary>
internal static class OperationalTables
{
    private const string Template = """
        CREATE TABLE IF NOT EXISTS dp_entity_fields (
            entity TEXT NOT NULL,
            field TEXT NOT NULL,
            type TEXT NOT NULL,
            is_key {BigInt} NOT NULL DEFAULT 0,
            PRIMARY KEY (entity, field));

        CREATE TABLE IF NOT EXISTS dp_sources (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            department TEXT NOT NULL,
            kind TEXT NOT NULL,
            priority {BigInt} NOT NULL,
            schedule TEXT,
            definition TEXT NOT NULL,
            file TEXT,
            base_directory TEXT NOT NULL,
            updated_at TEXT NOT NULL);

        CREATE TABLE IF NOT EXISTS dp_runs (
            id {AutoId},
            source_id TEXT NOT NULL,
            status TEXT NOT NULL,
            trigger TEXT,
            node TEXT,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            read {BigInt} NOT NULL DEFAULT 0,
            accepted {BigInt} NOT NULL DEFAULT 0,
            quarantined {BigInt} NOT NULL DEFAULT 0,
            new {BigInt} NOT NULL DEFAULT 0,
            updated {BigInt} NOT NULL DEFAULT 0,
            unchanged {BigInt} NOT NULL DEFAULT 0,
            deleted {BigInt} NOT NULL DEFAULT 0,
            error TEXT,
            details TEXT,
            deletions_confirmed {BigInt} NOT NULL DEFAULT 0,
            progress TEXT);
        CREATE INDEX IF NOT EXISTS ix_dp_runs_source ON dp_runs (source_id, id);

        CREATE TABLE IF NOT EXISTS dp_source_records (
            id {AutoId},
            source_id TEXT NOT NULL,
            stream TEXT NOT NULL,
            source_key TEXT NOT NULL,
            row_hash {BigInt} NOT NULL,
            entity TEXT NOT NULL,
            pool_id {BigInt},
            data TEXT NOT NULL,
            flags TEXT,
            location TEXT,
            first_run {BigInt} NOT NULL,
            changed_run {BigInt} NOT NULL,
            deleted {BigInt} NOT NULL DEFAULT 0,
            as_of TEXT);
        CREATE UNIQUE INDEX IF NOT EXISTS ux_dp_source_records_key ON dp_source_records (source_id, stream, source_key);
        CREATE INDEX IF NOT EXISTS ix_dp_source_records_pool ON dp_source_records (entity, pool_id);
        -- A full stream's run reads its records once, in id order, which is the order they lie in the table: by the
        -- unique key instead, a million records were a million reads at random (4 s warm, 15 s cold). The wider
        -- index this replaces also covered delete detection, which walks those records in memory now.
        DROP INDEX IF EXISTS ix_dp_source_records_live;
        {StreamIndex}

        CREATE TABLE IF NOT EXISTS dp_cursors (
            source_id TEXT NOT NULL,
            stream TEXT NOT NULL,
            value TEXT,
            run_id {BigInt},
            PRIMARY KEY (source_id, stream));

        CREATE TABLE IF NOT EXISTS dp_quarantine (
            id {AutoId},
            source_id TEXT NOT NULL,
            stream TEXT NOT NULL,
            row_hash {BigInt} NOT NULL,
            status TEXT NOT NULL,
            location TEXT,
            row_number {BigInt},
            raw TEXT NOT NULL,
            reasons TEXT NOT NULL,
            first_run {BigInt} NOT NULL,
            last_run {BigInt} NOT NULL,
            resolution TEXT,
            source_key TEXT,
            seen_count {BigInt} NOT NULL DEFAULT 1,
            reason_codes TEXT);
        CREATE UNIQUE INDEX IF NOT EXISTS ux_dp_quarantine_row ON dp_quarantine (source_id, stream, row_hash);
        CREATE INDEX IF NOT EXISTS ix_dp_quarantine_run ON dp_quarantine (last_run);

        -- Every replay of a quarantined row: the corrections, the whole row as replayed, and what became of it. The
        -- entry itself keeps the row and reasons as the source delivered them; an accepted attempt holds the accepted value.
        CREATE TABLE IF NOT EXISTS dp_quarantine_attempts (
            id {AutoId},
            quarantine_id {BigInt} NOT NULL,
            run_id {BigInt} NOT NULL,
            attempted_at TEXT NOT NULL,
            attempted_by TEXT,
            corrections TEXT NOT NULL,
            row_values TEXT NOT NULL,
            accepted {BigInt} NOT NULL,
            reasons TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_dp_quarantine_attempts_entry ON dp_quarantine_attempts (quarantine_id, id);

        CREATE TABLE IF NOT EXISTS dp_history (
            id {AutoId},
            entity TEXT NOT NULL,
            pool_id {BigInt} NOT NULL,
            change TEXT NOT NULL,
            changes TEXT NOT NULL,
            run_id {BigInt},
            at TEXT NOT NULL,
            -- A creation's values are its source record's data, not a second copy of them: changes is empty and this
            -- names the record until the record's data changes (then its old data is copied in and this is cleared).
            record_id {BigInt});
        CREATE INDEX IF NOT EXISTS ix_dp_history_pool ON dp_history (entity, pool_id, id);
        -- What one run changed: its page in the console, and the persons the household step re-reads, in pool id
        -- order. With (run_id) alone, SQLite (no statistics) took ix_dp_history_pool for that order and walked every
        -- person's history to find the run's: an unchanged re-sync of a million persons read 100 MB of history for none.
        DROP INDEX IF EXISTS ix_dp_history_run;
        CREATE INDEX IF NOT EXISTS ix_dp_history_run_pool ON dp_history (run_id, entity, pool_id);

        -- A merged-away pool id answers with the record it was merged into (see Redirects).
        CREATE TABLE IF NOT EXISTS dp_match_redirects (
            entity TEXT NOT NULL,
            from_pool {BigInt} NOT NULL,
            to_pool {BigInt} NOT NULL,
            review_id {BigInt},
            at TEXT NOT NULL,
            PRIMARY KEY (entity, from_pool));

        -- Where a pool record's linked sources disagree: the values, and the one survivorship chose.
        CREATE TABLE IF NOT EXISTS dp_match_conflicts (
            entity TEXT NOT NULL,
            pool_id {BigInt} NOT NULL,
            field TEXT NOT NULL,
            chosen TEXT,
            candidates TEXT NOT NULL,
            run_id {BigInt},
            PRIMARY KEY (entity, pool_id, field));

        CREATE TABLE IF NOT EXISTS dp_locks (
            name TEXT PRIMARY KEY,
            owner TEXT NOT NULL,
            run_id {BigInt},
            acquired_at TEXT NOT NULL);
        """;

    /// <summary>Columns added after the first release: pools created before them get them at the next start.</summary>
    private static readonly (string Table, string Column, string Type)[] Added =
    [
        ("dp_runs", "deletions_confirmed", "{BigInt} NOT NULL DEFAULT 0"),
        ("dp_runs", "progress", "TEXT"),
        ("dp_quarantine", "source_key", "TEXT"),
        ("dp_quarantine", "seen_count", "{BigInt} NOT NULL DEFAULT 1"),
        ("dp_quarantine", "reason_codes", "TEXT"),
        ("dp_source_records", "as_of", "TEXT"),
        ("dp_history", "record_id", "{BigInt}"),
    ];

    public static string For(SqlDialect dialect) =>
        Template.Replace("{AutoId}", dialect.AutoId).Replace("{BigInt}", dialect.BigInt).Replace("{StreamIndex}", dialect.SourceRecordsStreamIndex);

    /// <summary>Adds the columns an older pool lacks, then the indexes over them (additive only, like entity fields).</summary>
    public static async Task MigrateAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, CancellationToken cancellationToken)
    {
        foreach (var table in Added.Select(a => a.Table).Distinct())
        {
            var existing = await ColumnsAsync(connection, transaction, dialect, table, cancellationToken);
            foreach (var (_, column, type) in Added.Where(a => a.Table == table && !existing.Contains(a.Column)))
            {
                await connection.ExecuteAsync($"ALTER TABLE {table} ADD COLUMN {column} {type.Replace("{BigInt}", dialect.BigInt)}", transaction, cancellationToken);
            }
        }

        // Open entries are looked up by the row's source key when it later arrives (clean or changed).
        await connection.ExecuteAsync(
            "CREATE INDEX IF NOT EXISTS ix_dp_quarantine_key ON dp_quarantine (source_id, stream, source_key, status)", transaction, cancellationToken);
        // The creations that still borrow a record's data, found when that record changes (see HistoryCreations).
        await connection.ExecuteAsync(
            "CREATE INDEX IF NOT EXISTS ix_dp_history_record ON dp_history (record_id) WHERE record_id IS NOT NULL", transaction, cancellationToken);
    }

    /// <summary>The columns <paramref name="table"/> has (empty when it does not exist).</summary>
    internal static async Task<HashSet<string>> ColumnsAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, string table, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(dialect.ColumnNames("@table"), transaction, ("@table", table));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (await reader.ReadAsync(cancellationToken))
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }
}
