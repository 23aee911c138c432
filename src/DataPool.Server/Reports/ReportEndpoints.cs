using System.Globalization;
using System.Security.Claims;
using DataPool.Core.Access;
using DataPool.Core.Reports;
using DataPool.Core.Schema;
using DataPool.Core.Store;
using DataPool.Server.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataPool.Server.Reports;

/// <summary>
/// <c>/api/reports</c>, for analysts and admins: the definitions, run now, the runs, their files, and the records behind
/// any number of a run. A report of aggregates is open to every analyst; a roster (names, ID numbers) only to the
/// owning department's analysts and to admins, and every download of it is written to the audit log. The records
/// behind a number (the trace) are shown only to viewers granted, unmasked, every field that put them there
/// (<see cref="ReportTraceAccess"/>), and every trace is written to the audit log before it is answered.
/// </summary>
public static class ReportEndpoints
{
    private const int MaxPage = 1000;

    public static RouteGroupBuilder MapReportEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/reports").RequireAuthorization(Policies.Analyst).WithTags("Reports");
        group.MapGet("/", List).WithName("ListReports").WithSummary("The report definitions: title, department, schedule, columns");
        group.MapPost("/{id}/run", GenerateAsync).WithName("RunReport")
            .WithSummary("Start generating the report now from one snapshot of the pool: 202 with the run (status running) and its Location; poll it until it has finished. A roster only for its department and admins");
        group.MapGet("/runs", RunsAsync).WithName("ListReportRuns").WithSummary("Report runs, newest first (?report=<id>)");
        group.MapGet("/runs/{runId:long}", GetRunAsync).WithName("GetReportRun").WithSummary("One report run: as-of time, last sync run included, files");
        group.MapGet("/runs/{runId:long}/sheet", SheetAsync).WithName("PreviewReport")
            .WithSummary("The run's sheet as the CSV holds it, each row with its sheet row number for the cell trace (?rows=, at most 2000; the totals row always)");
        group.MapGet("/runs/{runId:long}/download", DownloadAsync).WithName("DownloadReport").WithSummary("The run's file: ?format=xlsx (default) or csv");
        group.MapGet("/runs/{runId:long}/cells/{ref}", TraceAsync).WithName("TraceReportCell")
            .WithSummary("The group and measure behind a cell of the sheet (e.g. C7) and the pool ids of the records behind it, paged (?offset=&limit=); 403 unless every field deciding the cell is granted to you unmasked");
        return group;
    }

    private static Ok<List<ReportSummary>> List(ReportCatalog reports, TimeProvider clock) =>
        TypedResults.Ok(reports.Reports.Values.Select(r => ReportSummary.Of(r, clock.GetUtcNow())).ToList());

    private static async Task<Results<Accepted<ReportRun>, ProblemHttpResult>> GenerateAsync(
        string id, ClaimsPrincipal user, ReportCatalog reports, ReportRunner runner, PoolDatabase database, CancellationToken cancellationToken)
    {
        if (!reports.Reports.TryGetValue(id, out var definition))
        {
            return NotFound("No such report", $"there is no report '{id}'; reports: {string.Join(", ", reports.Reports.Keys)}");
        }

        if (Refused(user, definition) is { } refused)
        {
            return refused;
        }

        var runId = await runner.StartAsync(id, "api", cancellationToken);
        var run = await ReportRuns.GetAsync(database, runId, cancellationToken);
        return TypedResults.Accepted($"/api/reports/runs/{runId.ToString(CultureInfo.InvariantCulture)}", run);
    }

    private static async Task<Results<Ok<ReportPreview>, ProblemHttpResult>> SheetAsync(
        long runId, int? rows, ClaimsPrincipal user, PoolDatabase database, ReportCatalog reports, ReportArchive archive, IPoolAccess access, CancellationToken cancellationToken)
    {
        if (await ReportRuns.GetAsync(database, runId, cancellationToken) is not { Succeeded: true } run || !reports.Reports.TryGetValue(run.ReportId, out var definition))
        {
            return NoRun(runId);
        }

        if (Refused(user, definition) is { } refused)
        {
            return refused;
        }

        var file = archive.FullPath(run.CsvFile!);
        if (!File.Exists(file))
        {
            return NotFound("File gone", $"the files of run {runId} are no longer in the archive");
        }

        var preview = ReportPreview.Read(definition, run, file, Math.Clamp(rows ?? 200, 1, 2000));
        if (definition.Roster)
        {
            await AuditRosterAsync(user, database, access, definition, run, "preview", cancellationToken);
        }

        return TypedResults.Ok(preview);
    }

    private static async Task<Ok<List<ReportRun>>> RunsAsync(string? report, int? limit, PoolDatabase database, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ReportRuns.ListAsync(database, report, Math.Clamp(limit ?? 100, 1, MaxPage), cancellationToken));

    private static async Task<Results<Ok<ReportRun>, ProblemHttpResult>> GetRunAsync(long runId, PoolDatabase database, CancellationToken cancellationToken) =>
        await ReportRuns.GetAsync(database, runId, cancellationToken) is { } run ? TypedResults.Ok(run) : NoRun(runId);

    private static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> DownloadAsync(
        long runId, string? format, ClaimsPrincipal user, PoolDatabase database, ReportCatalog reports, ReportArchive archive, IPoolAccess access, CancellationToken cancellationToken)
    {
        format ??= "xlsx";
        if (!ReportArchive.Formats.Contains(format))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown format", detail: "format is xlsx or csv");
        }

        if (await ReportRuns.GetAsync(database, runId, cancellationToken) is not { Succeeded: true } run || !reports.Reports.TryGetValue(run.ReportId, out var definition))
        {
            return NoRun(runId);
        }

        if (Refused(user, definition) is { } refused)
        {
            return refused;
        }

        var file = archive.FullPath(format == "csv" ? run.CsvFile! : run.XlsxFile!);
        if (!File.Exists(file))
        {
            return NotFound("File gone", $"the {format} file of run {runId} is no longer in the archive");
        }

        if (definition.Roster)
        {
            await AuditRosterAsync(user, database, access, definition, run, "download", cancellationToken);
        }

        var contentType = format == "csv" ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        return TypedResults.PhysicalFile(file, contentType, $"{run.ReportId}-{run.Id.ToString(CultureInfo.InvariantCulture)}.{format}");
    }

    private static async Task<Results<Ok<CellTrace>, ProblemHttpResult>> TraceAsync(
        long runId, string @ref, int? offset, int? limit, ClaimsPrincipal user, PoolDatabase database, ReportCatalog reports, IPoolAccess access, CancellationToken cancellationToken)
    {
        if (await ReportRuns.GetAsync(database, runId, cancellationToken) is not { Succeeded: true } run || !reports.Reports.TryGetValue(run.ReportId, out var definition))
        {
            return NoRun(runId);
        }

        if (Refused(user, definition) is { } refused)
        {
            return refused;
        }

        var trace = await ReportRuns.TraceAsync(database, reports, run, @ref.ToUpperInvariant(), Math.Max(offset ?? 0, 0), Math.Clamp(limit ?? 100, 1, MaxPage), cancellationToken);
        if (trace is null)
        {
            return NotFound("No number there", $"'{@ref}' is not a number cell of run {runId} (numbers start in row {ReportSheet.FirstDataRow}, column {ReportSheet.ColumnName(definition.GroupBy.Count)})");
        }

        // The ids behind a number tell each resident's values that put them there: only for viewers who may read those.
        var viewer = ViewerOf(user);
        var guard = new ReportTraceAccess(database.Catalog, definition, definition.Measures.Single(m => m.Id == trace.Measure));
        if (guard.Refusal(access, viewer) is { } reason)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Records behind the number not granted", detail: reason);
        }

        if (definition.Roster)
        {
            trace = trace with { Groups = Mask(database.Catalog, definition, trace.Groups, viewer, access) };
        }

        await access.AuditedViewOf(viewer, definition.Entity).AuditAsync(trace.PoolIds, guard.Told(), $"report {definition.Id} run {run.Id} cell {trace.Ref}", cancellationToken);
        return TypedResults.Ok(trace);
    }

    /// <summary>A roster lists residents: every download or preview of it is one audit entry per record listed.</summary>
    private static async Task AuditRosterAsync(ClaimsPrincipal user, PoolDatabase database, IPoolAccess access, ReportDefinition definition, ReportRun run,
        string purpose, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var ids = await ReportRuns.ColumnMembersAsync(connection, run.Id, definition.Measures[0].Id, cancellationToken);
        await access.AuditedViewOf(ViewerOf(user), definition.Entity).AuditAsync(ids, PersonalFields(database.Catalog, definition), $"report {definition.Id} run {run.Id} {purpose}", cancellationToken);
    }

    /// <summary>A roster is for its department's analysts and for admins (to run, read or trace); aggregates are for every analyst.</summary>
    private static ProblemHttpResult? Refused(ClaimsPrincipal user, ReportDefinition definition) =>
        !definition.Roster || user.IsInRole(Roles.Admin) || user.FindFirstValue(Claims.Department) == definition.Department
            ? null
            : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Roster of another department",
                detail: $"'{definition.Id}' lists personal data of {definition.Department}; only its analysts and admins may read it");

    private static IReadOnlyList<string?>? Mask(SchemaCatalog catalog, ReportDefinition definition, IReadOnlyList<string?>? groups, Viewer viewer, IPoolAccess access)
    {
        if (groups is null)
        {
            return null;
        }

        var fields = new ReportFields(catalog, definition);
        return groups.Select((value, i) =>
        {
            var field = fields.Require(definition.GroupBy[i].Field);
            if (field.IsAge || field.Field.Pii == PiiClasses.None || field.Type is FieldTypes.Code or FieldTypes.Bool)
            {
                return value;
            }

            return access.ViewOf(viewer, field.Entity)?.Present(field.Field.Name, value);
        }).ToList();
    }

    private static List<string> PersonalFields(SchemaCatalog catalog, ReportDefinition definition)
    {
        var fields = new ReportFields(catalog, definition);
        return definition.GroupBy.Select(g => fields.Require(g.Field)).Where(f => !f.IsAge && f.Field.Pii != PiiClasses.None)
            .Select(f => f.Field.Name).Distinct().ToList();
    }

    private static Viewer ViewerOf(ClaimsPrincipal user) => new(
        user.Identity?.Name ?? "?",
        user.FindFirstValue(ClaimTypes.Role) ?? "",
        user.FindFirstValue(Claims.Department),
        user.FindFirstValue(Claims.Community));

    private static ProblemHttpResult NoRun(long runId) => NotFound("No such report run", $"there is no finished report run {runId}");

    private static ProblemHttpResult NotFound(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: title, detail: detail);
}

/// <summary>A report definition as listed: what it is, whose, when it runs next (Beijing time, +08:00), and its columns.</summary>
public sealed record ReportSummary(string Id, Labels Title, string Department, string Entity, bool Roster, string? Schedule, string? TimeZone,
    string? NextRun, int? KeepRuns, int? KeepDays, IReadOnlyList<Labels> Columns)
{
    public static ReportSummary Of(ReportDefinition d, DateTimeOffset now) => new(d.Id, d.Title, d.Department, d.Entity, d.Roster, d.Schedule?.Cron, d.Schedule?.TimeZone,
        NextRunOf(d, now), d.Retention.Runs, d.Retention.Days, [.. d.GroupBy.Select(g => g.Label ?? new Labels(g.Field, g.Field)), .. d.Measures.Select(m => m.Label)]);

    private static string? NextRunOf(ReportDefinition d, DateTimeOffset now)
    {
        if (d.Schedule is not { } schedule)
        {
            return null;
        }

        var next = schedule.TimeZone == "Asia/Shanghai"
            ? DataPool.Core.Sources.CronCheck.Next(schedule.Cron, now)
            : Cronos.CronExpression.Parse(schedule.Cron).GetNextOccurrence(now, TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone));
        return next is { } at
            ? at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)
            : null;
    }
}
