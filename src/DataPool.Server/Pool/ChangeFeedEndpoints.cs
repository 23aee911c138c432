using DataPool.Core.Access;
using DataPool.Core.History;
using DataPool.Core.Query;
using DataPool.Core.Schema;
using DataPool.Server.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataPool.Server.Pool;

/// <summary>
/// <c>GET /api/pool/{entity}/changes</c>: what changed in the pool, in order, with life events (moved, born, died,
/// assistance started or ended, household changed) a department subscribes to by polling with the last cursor.
/// Analysts see what their department is granted, workers their own community, administrators everything.
/// </summary>
public static class ChangeFeedEndpoints
{
    public const string Purpose = "change feed";

    public static RouteGroupBuilder MapChangeFeedEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/pool").RequireAuthorization(Policies.Authenticated).WithTags("Change feed");
        group.MapGet("/{entity}/changes", ReadAsync).WithName("PoolChangeFeed")
            .WithSummary("Changes and life events of an entity after a cursor: ?since=<next of the last page>&limit=&types=moved,died")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("/{entity}/{id:long}/history", HistoryAsync).WithName("PoolRecordHistory")
            .WithSummary("One record's changes over time, oldest first, with the run that made each; only granted fields, masked as granted")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Ok<ChangePage>, ValidationProblem, ProblemHttpResult>> ReadAsync(
        string entity, HttpContext http, ChangeFeed feed, IPoolAccess access, SchemaCatalog catalog, CancellationToken cancellationToken,
        string? since = null, int limit = 100, string? types = null)
    {
        var request = new ChangeFeedRequest(entity, since, limit, types);
        var validation = await new ChangeFeedRequestValidator(catalog).ValidateAsync(request, cancellationToken);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.ToDictionary());
        }

        if (access.ViewOf(http.User.ToViewer(), entity) is not { } view)
        {
            return TypedResults.Problem(title: $"nothing of '{entity}' is granted to you", statusCode: StatusCodes.Status403Forbidden);
        }

        ChangeFeed.TryParseCursor(since, out var after);
        var page = await feed.ReadAsync(new ChangeQuery(entity, after, limit, request.TypeSet, view.Grant), cancellationToken);
        // Only what the grant shows leaves the server: unnamed fields are dropped, sensitive ones masked; audited first.
        var items = page.Items.Select(item => item with { Changes = FieldChange.ShownTo(item.Changes, view) }).ToList();
        var shown = items.SelectMany(i => i.Changes.Keys).Distinct(StringComparer.Ordinal).ToList();
        await view.AuditAsync(items.Select(i => i.Id).Distinct().ToList(), shown, Purpose, cancellationToken);
        return TypedResults.Ok(page with { Items = items });
    }

    private static async Task<Results<Ok<IReadOnlyList<HistoryEntry>>, ProblemHttpResult>> HistoryAsync(
        string entity, long id, HttpContext http, PoolReader reader, PoolHistory history, CancellationToken cancellationToken)
    {
        if (reader.View(http.User.ToViewer(), entity, out var view) is { } problem)
        {
            return problem.ToResult();
        }

        // Out of scope reads as absent, as the record route answers: a worker learns nothing of another community.
        var entries = await reader.InScopeAsync(view, id, cancellationToken)
            ? await history.HistoryAsync(entity, id, cancellationToken)
            : [];
        if (entries.Count == 0)
        {
            return QueryProblem.NoRecord(entity, id, view.Grant).ToResult();
        }

        var shown = entries.Select(e => e with { Changes = FieldChange.ShownTo(e.Changes, view) }).ToList();
        await view.AuditAsync([id], shown.SelectMany(e => e.Changes.Keys).Distinct(StringComparer.Ordinal).ToList(), "history", cancellationToken);
        return TypedResults.Ok<IReadOnlyList<HistoryEntry>>(shown);
    }
}
