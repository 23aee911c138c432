using DataPool.Core.Schema;
using DataPool.Core.Sync;
using DataPool.Server.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataPool.Server.Pool;

/// <summary>
/// /api/pool: the golden records. For now only the explanation of a record, for admins; the query API with
/// department grants and community scoping opens it to analysts and workers.
/// </summary>
public static class PoolEndpoints
{
    public static RouteGroupBuilder MapPoolEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/pool").RequireAuthorization(Policies.Admin).WithTags("Pool");
        group.MapGet("/{entity}/{id:long}/explain", ExplainAsync).WithName("ExplainPoolRecord")
            .WithSummary("Admin: every field's value, the source row that supplied it and when, and the competing values");
        return group;
    }

    private static async Task<Results<Ok<Explanation>, NotFound<Microsoft.AspNetCore.Mvc.ProblemDetails>>> ExplainAsync(
        string entity, long id, PoolExplainer explainer, SchemaCatalog catalog, CancellationToken cancellationToken)
    {
        if (!catalog.Entities.ContainsKey(entity))
        {
            return TypedResults.NotFound(new Microsoft.AspNetCore.Mvc.ProblemDetails { Title = $"no pool entity '{entity}'", Status = 404 });
        }

        return await explainer.ExplainAsync(entity, id, cancellationToken) is { } explanation
            ? TypedResults.Ok(explanation)
            : TypedResults.NotFound(new Microsoft.AspNetCore.Mvc.ProblemDetails { Title = $"no {entity} record {id}", Status = 404 });
    }
}
