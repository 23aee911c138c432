using DataPool.Core.Access;
using DataPool.Core.Query;
using DataPool.Core.Sync;
using DataPool.Server.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataPool.Server.Pool;

/// <summary>
/// /api/pool/{entity}/{id}/explain: where each value of a golden record came from. Open to whoever may read the
/// record: only granted fields, masked values stay masked (the competing and conflicting values too), a worker only in their
/// community, and the read is audited.
/// </summary>
public static class PoolEndpoints
{
    public const string ExplainPurpose = "explain";

    public static RouteGroupBuilder MapPoolEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/pool").RequireAuthorization(Policies.Authenticated).WithTags("Pool");
        group.MapGet("/{entity}/{id:long}/explain", ExplainAsync).WithName("ExplainPoolRecord")
            .WithSummary("Every granted field's value, the source row that supplied it and when, and the competing values")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Ok<Explanation>, ProblemHttpResult>> ExplainAsync(
        string entity, long id, HttpContext http, PoolExplainer explainer, PoolReader reader, CancellationToken cancellationToken)
    {
        if (reader.View(http.User.ToViewer(), entity, out var view) is { } problem)
        {
            return problem.ToResult();
        }

        var notFound = QueryProblem.NoRecord(entity, id, view.Grant).ToResult();
        if (view.Community is not null && !await reader.InScopeAsync(view, id, cancellationToken))
        {
            return notFound;
        }

        if (await explainer.ExplainAsync(entity, id, cancellationToken) is not { } explanation)
        {
            return notFound;
        }

        // The view drops ungranted fields from the values and from the conflicts, and masks what is masked.
        var shown = explanation.ShownTo(view);
        await view.AuditAsync([id], shown.Fields.Select(f => f.Field).ToList(), ExplainPurpose, cancellationToken);
        return TypedResults.Ok(shown);
    }
}
