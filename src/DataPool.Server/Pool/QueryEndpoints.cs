using DataPool.Core.Access;
using DataPool.Core.Query;
using DataPool.Core.Schema;
using DataPool.Server.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataPool.Server.Pool;

/// <summary>
/// /api/pool/{entity}: the query API for analysts, workers and admins. What each may read is decided by their grant
/// (schemas/access): unknown entity 404, entity not granted 403, bad or ungranted field 400; a worker's rows are
/// their community's. Every read of personal data is audited.
/// </summary>
public static class QueryEndpoints
{
    public const string QueryPurpose = "query";
    public const string RecordPurpose = "record";
    public const string ExportPurpose = "export";

    public static RouteGroupBuilder MapQueryEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/pool").RequireAuthorization(Policies.Authenticated).WithTags("Pool query");
        group.MapGet("", (HttpContext http, SchemaCatalog catalog, IPoolAccess access) => TypedResults.Ok(GrantedFields.For(http.User.ToViewer(), catalog, access)))
            .WithName("GrantedPoolFields")
            .WithSummary("The entities and fields granted to you, with labels, types, code lists and whether you see them masked");
        group.MapGet("/{entity}", QueryAsync).WithName("QueryPool")
            .WithSummary("Records of an entity: ?field=v | eq:v | in:a,b | range:lo..hi | prefix:text, &sort=f,-g, &fields=a,b, &limit=, &after=<next> or &offset=, &total=true")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{entity}/{id:long}", RecordAsync).WithName("PoolRecord")
            .WithSummary("One record as you may see it; ?asOf= an ISO time for the record as it stood then")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{entity}/export", ExportAsync).WithName("ExportPool")
            .WithSummary("Every matching record, streamed: ?format=csv|xlsx and the query's filters and sort")
            .Produces(StatusCodes.Status200OK, contentType: PoolExport.CsvType).Produces(StatusCodes.Status200OK, contentType: PoolExport.XlsxType)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Ok<PoolPage>, ValidationProblem, ProblemHttpResult>> QueryAsync(
        string entity, HttpContext http, PoolReader reader, CancellationToken cancellationToken)
    {
        if (reader.Prepare(http.User.ToViewer(), entity, http.Request.Query, out var prepared) is { } problem)
        {
            return Problem(problem);
        }

        return TypedResults.Ok(await reader.PageAsync(prepared, QueryPurpose, cancellationToken));
    }

    private static async Task<Results<Ok<PoolRecord>, ProblemHttpResult>> RecordAsync(
        string entity, long id, HttpContext http, PoolReader reader, CancellationToken cancellationToken, DateTimeOffset? asOf = null)
    {
        var viewer = http.User.ToViewer();
        if (reader.View(viewer, entity, out var view) is { } problem)
        {
            return problem.ToResult();
        }

        return await reader.RecordAsync(view, id, asOf, RecordPurpose, cancellationToken) is { } record
            ? TypedResults.Ok(record)
            : QueryProblem.NoRecord(entity, id, view.Grant).ToResult();
    }

    private static async Task<Results<FileStreamHttpResult, PushStreamHttpResult, ValidationProblem, ProblemHttpResult>> ExportAsync(
        string entity, HttpContext http, PoolReader reader, CancellationToken cancellationToken, string format = "csv")
    {
        if (format is not (PoolExport.Csv or PoolExport.Xlsx))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["format"] = ["format is csv or xlsx"] }, title: "format is csv or xlsx");
        }

        if (reader.Prepare(http.User.ToViewer(), entity, http.Request.Query, out var prepared) is { } problem)
        {
            return problem is { Status: StatusCodes.Status400BadRequest, Errors: { } errors }
                ? TypedResults.ValidationProblem(errors, title: problem.Title)
                : problem.ToResult();
        }

        var rows = reader.StreamAsync(prepared, $"{ExportPurpose} {format}", cancellationToken);
        var export = new PoolExport(prepared);
        var name = $"{entity}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.{format}";
        return format == PoolExport.Csv
            ? TypedResults.Stream(stream => export.WriteCsvAsync(rows, stream, cancellationToken), PoolExport.CsvType, name)
            : TypedResults.Stream(await export.WriteXlsxAsync(rows, cancellationToken), PoolExport.XlsxType, name);
    }

    private static Results<Ok<PoolPage>, ValidationProblem, ProblemHttpResult> Problem(QueryProblem problem) =>
        problem is { Status: StatusCodes.Status400BadRequest, Errors: { } errors }
            ? TypedResults.ValidationProblem(errors, title: problem.Title)
            : problem.ToResult();
}
