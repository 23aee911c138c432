using System.Diagnostics;
using System.Globalization;
using DataPool.Core.Access;
using DataPool.Core.Schema;
using DataPool.Core.Store;
using Microsoft.Extensions.Logging;

namespace DataPool.Core.Reports;

/// <summary>A report run as recorded in <c>dp_report_runs</c>.</summary>
public sealed record ReportRun(long Id, string ReportId, string Status, string Trigger, string StartedAt, string? FinishedAt, string? AsOf,
    long? SnapshotRunId, long? Rows, string? XlsxFile, string? CsvFile, long? DurationMs, string? Error)
{
    public bool Succeeded => Status == ReportRuns.Succeeded;

    /// <summary>How far the generation has come (steps done of all, the step under way, the sheet's rows); null for runs recorded before progress was kept.</summary>
    public ReportProgress? Progress { get; init; }

    /// <summary>The one line <c>report</c> and <c>demo</c> print per report.</summary>
    public string SummaryLine => Succeeded
        ? $"{ReportId}: run={Id} rows={Rows} as-of={AsOf} sync-run={SnapshotRunId?.ToString(CultureInfo.InvariantCulture) ?? "-"} files={XlsxFile},{CsvFile}"
        : $"{ReportId}: run={Id} failed: {Error}";
}

/// <summary>
/// Generates a report: reads one snapshot, writes the xlsx and the CSV into the archive, records the run and the ids
/// behind every number, then applies the definition's retention. Safe to run again at any time: each run is new.
/// </summary>
public sealed class ReportGenerator(
    PoolDatabase database, ReportCatalog reports, ReportArchive archive, TimeProvider clock, IEnumerable<IPoolAccess> access, ILogger<ReportGenerator> logger)
{
    public async Task<ReportRun> RunAsync(string reportId, string trigger, CancellationToken cancellationToken = default)
    {
        var runId = await StartAsync(reportId, trigger, cancellationToken);
        return await CompleteAsync(reportId, runId, cancellationToken);
    }

    /// <summary>Records a new run of the report as running and returns its id; <see cref="CompleteAsync"/> generates it.</summary>
    public async Task<long> StartAsync(string reportId, string trigger, CancellationToken cancellationToken = default)
    {
        reports.Get(reportId);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ScalarAsync<long>(
            "INSERT INTO dp_report_runs (report_id, status, trigger, node, started_at, progress) VALUES (@report, @status, @trigger, @node, @now, @progress) RETURNING id",
            null, cancellationToken, ("@report", reportId), ("@status", ReportRuns.Running), ("@trigger", trigger),
            ("@node", Environment.MachineName), ("@now", Now()), ("@progress", ReportProgress.After(0, null).ToJson()));
    }

    /// <summary>
    /// Generates a run recorded by <see cref="StartAsync"/>. A failure, and a cancellation (the server stopping), end the
    /// run as failed with the reason, so no run stays "running" for ever.
    /// </summary>
    public async Task<ReportRun> CompleteAsync(string reportId, long runId, CancellationToken cancellationToken = default)
    {
        var definition = reports.Get(reportId);
        var clockStarted = Stopwatch.StartNew();
        try
        {
            var result = await ReportReader.ReadAsync(database, definition, clock, cancellationToken);
            long rows = result.Rows.Count;
            await ProgressAsync(runId, 1, rows, cancellationToken);
            var shown = result.Rows.Select(r => Present(definition, r)).ToList();
            var sheet = new ReportSheet(definition, result, runId, shown);
            var xlsx = ReportArchive.RelativePath(reportId, runId, "xlsx");
            var csv = ReportArchive.RelativePath(reportId, runId, "csv");
            await ProgressAsync(runId, 2, rows, cancellationToken);
            ReportFiles.WriteXlsx(sheet, archive.Prepare(reportId, runId, "xlsx"));
            await ProgressAsync(runId, 3, rows, cancellationToken);
            ReportFiles.WriteCsv(sheet, archive.Prepare(reportId, runId, "csv"));
            await ProgressAsync(runId, 4, rows, cancellationToken);
            await RecordAsync(definition, runId, result, xlsx, csv, clockStarted.ElapsedMilliseconds, cancellationToken);
            await ApplyRetentionAsync(definition, cancellationToken);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Report {ReportId} run {RunId} failed", reportId, runId);
            await using var connection = await database.OpenAsync(CancellationToken.None);
            await connection.ExecuteAsync(
                "UPDATE dp_report_runs SET status = @status, finished_at = @now, error = @error, duration_ms = @ms WHERE id = @id",
                null, CancellationToken.None, ("@status", ReportRuns.Failed), ("@now", Now()),
                ("@error", e is OperationCanceledException ? "cancelled before it finished (the server stopped)" : e.Message),
                ("@ms", clockStarted.ElapsedMilliseconds), ("@id", runId));
            if (e is OperationCanceledException)
            {
                throw;
            }
        }

        return await ReportRuns.GetAsync(database, runId, CancellationToken.None) ?? throw new InvalidOperationException($"report run {runId} vanished");
    }

    /// <summary>Records that <paramref name="done"/> of the generation's steps are finished, for whoever polls the run.</summary>
    private async Task ProgressAsync(long runId, int done, long rows, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE dp_report_runs SET progress = @progress WHERE id = @id", null, cancellationToken,
            ("@progress", ReportProgress.After(done, rows).ToJson()), ("@id", runId));
    }

    /// <summary>
    /// A roster's personal values as the owning department may see them: through the grants when the pool's access
    /// service is there, otherwise every sensitive value masked. Aggregate groups (codes, ages) are shown as they are.
    /// </summary>
    private IReadOnlyList<string?> Present(ReportDefinition definition, ReportRow row)
    {
        if (!definition.Roster)
        {
            return row.Shown;
        }

        var fields = new ReportFields(database.Catalog, definition);
        var poolAccess = access.FirstOrDefault();
        var shown = new List<string?>(row.Shown.Count);
        for (var i = 0; i < row.Shown.Count; i++)
        {
            var field = fields.Require(definition.GroupBy[i].Field);
            if (row.Groups[i] is null || field.IsAge || field.Field.Pii == PiiClasses.None || field.Type is FieldTypes.Code or FieldTypes.Bool)
            {
                shown.Add(row.Shown[i]);
            }
            else if (poolAccess is not null)
            {
                shown.Add(poolAccess.ViewOf(new Viewer($"report:{definition.Id}", "analyst", definition.Department, null), field.Entity)?.Present(field.Field.Name, row.Shown[i]));
            }
            else
            {
                shown.Add(field.Field.Pii == PiiClasses.Sensitive && row.Shown[i] is { } value ? Masking.Mask(field.Field, value) : row.Shown[i]);
            }
        }

        return shown;
    }

    private async Task RecordAsync(ReportDefinition definition, long runId, ReportResult result, string xlsx, string csv, long elapsed, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ReportCells.WriteAsync(connection, runId, ReportCells.Of(definition, result), cancellationToken);
        await connection.ExecuteAsync(
            """
            UPDATE dp_report_runs SET status = @status, finished_at = @now, as_of = @as_of, snapshot_run_id = @snapshot, row_count = @rows,
                xlsx_file = @xlsx, csv_file = @csv, duration_ms = @ms, progress = @progress WHERE id = @id
            """,
            transaction, cancellationToken, ("@status", ReportRuns.Succeeded), ("@now", Now()), ("@progress", ReportProgress.After(ReportProgress.Stages.Length, result.Rows.Count).ToJson()),
            ("@as_of", result.AsOf.ToString("O", CultureInfo.InvariantCulture)), ("@snapshot", result.SnapshotRunId), ("@rows", (long)result.Rows.Count),
            ("@xlsx", xlsx), ("@csv", csv), ("@ms", elapsed), ("@id", runId));
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Deletes the runs (files, cells, rows) the definition no longer keeps; the newest run always stays.</summary>
    public async Task<int> ApplyRetentionAsync(ReportDefinition definition, CancellationToken cancellationToken = default)
    {
        var runs = await ReportRuns.ListAsync(database, definition.Id, 10_000, cancellationToken);
        var cutoff = definition.Retention.Days is { } days ? clock.GetUtcNow().AddDays(-days) : (DateTimeOffset?)null;
        var doomed = runs.Skip(1).Where((run, index) =>
            !(definition.Retention.Runs is { } keep && index + 1 < keep)
            && !(cutoff is { } c && DateTimeOffset.Parse(run.StartedAt, CultureInfo.InvariantCulture) >= c)
            && run.Status != ReportRuns.Running).ToList();
        if (doomed.Count == 0)
        {
            return 0;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        foreach (var run in doomed)
        {
            archive.Delete(run.XlsxFile);
            archive.Delete(run.CsvFile);
            await connection.ExecuteAsync("DELETE FROM dp_report_cells WHERE run_id = @id", null, cancellationToken, ("@id", run.Id));
            await connection.ExecuteAsync("DELETE FROM dp_report_runs WHERE id = @id", null, cancellationToken, ("@id", run.Id));
        }

        logger.LogInformation("Report {ReportId}: retention removed {Count} run(s)", definition.Id, doomed.Count);
        return doomed.Count;
    }

    private string Now() => clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
}
