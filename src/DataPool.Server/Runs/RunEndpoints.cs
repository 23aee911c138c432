using DataPool.Core.Store;
using DataPool.Core.Sync;
using DataPool.Server.Api;
using DataPool.Server.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataPool.Server.Runs;

/// <summary><c>/api/runs/{id}</c>: one sync run, for admins (a source's history is under /api/sources/{id}/runs).</summary>
public static class RunEndpoints
{
    public static RouteGroupBuilder MapRunEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/runs")
            .RequireAuthorization(Policies.Admin)
            .WithTags("Runs")
            .ProducesAdminProblems();
        group.MapGet("/{id:long}", GetAsync)
            .WithName("GetRun")
            .WithSummary("One sync run: status, counts, per-stream counts and timings, error")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Ok<RunDetail>, ProblemHttpResult>> GetAsync(long id, PoolDatabase database, CancellationToken cancellationToken) =>
        await RunQueries.GetAsync(database, id, cancellationToken) is { } run
            ? TypedResults.Ok(run)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such run", detail: $"there is no run {id}");
}
