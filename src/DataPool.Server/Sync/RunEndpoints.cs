using System.Text.Json;
using System.Text.Json.Nodes;
using DataPool.Core.History;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using DataPool.Server.Api;
using DataPool.Server.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataPool.Server.Sync;

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
            .WithSummary("One sync run: status, counts, per-stream counts and timings, error; while it runs, its progress (rows, rows/s, stream, percent and ETA where known)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:long}/changes", ChangesAsync)
            .WithName("GetRunChanges")
            .WithSummary("What the run changed per entity (created, updated, deleted, restored), with the change-feed cursor just before its first change")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Ok<RunDetail>, ProblemHttpResult>> GetAsync(long id, PoolDatabase database, RunBook runs, CancellationToken cancellationToken)
    {
        if (await RunQueries.GetAsync(database, id, cancellationToken) is not { } run)
        {
            return NotFound(id);
        }

        var progress = run.Status is "running" or RunBook.Queued ? await runs.ProgressAsync(id, cancellationToken) : null;
        return TypedResults.Ok(run with { Streams = CamelCase(run.Streams), Progress = progress });
    }

    private static async Task<Results<Ok<IReadOnlyList<RunEntityChanges>>, ProblemHttpResult>> ChangesAsync(long id, PoolDatabase database, RunChanges changes,
        CancellationToken cancellationToken) =>
        await RunQueries.GetAsync(database, id, cancellationToken) is null
            ? NotFound(id)
            : TypedResults.Ok(await changes.OfRunAsync(id, cancellationToken));

    private static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such run", detail: $"there is no run {id}");

    /// <summary>
    /// Runs recorded before the details were written in camelCase carry PascalCase counters (<c>Read</c>,
    /// <c>Milliseconds</c>): every run answers in the one key style. Stream names are data and stay as they are.
    /// </summary>
    internal static JsonElement? CamelCase(JsonElement? streams)
    {
        if (streams is not { ValueKind: JsonValueKind.Object } value)
        {
            return streams;
        }

        var result = new JsonObject();
        foreach (var stream in value.EnumerateObject())
        {
            if (stream.Value.ValueKind != JsonValueKind.Object)
            {
                result[stream.Name] = JsonNode.Parse(stream.Value.GetRawText());
                continue;
            }

            var counters = new JsonObject();
            foreach (var counter in stream.Value.EnumerateObject())
            {
                counters[JsonNamingPolicy.CamelCase.ConvertName(counter.Name)] = JsonNode.Parse(counter.Value.GetRawText());
            }

            result[stream.Name] = counters;
        }

        return JsonSerializer.SerializeToElement(result);
    }
}
