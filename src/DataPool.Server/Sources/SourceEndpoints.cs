using System.Text.Json;
using DataPool.Abstractions;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using DataPool.Server.Scheduling;
using DataPool.Server.Api;
using DataPool.Server.Identity;
using DataPool.Server.Runs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataPool.Server.Sources;

/// <summary>
/// <c>/api/sources</c> (admins): list, add, edit, remove, dry-run, sync now, run history. Changes take effect
/// at once (no restart): the next sync reads the stored definition and the schedule is updated in step.
/// </summary>
public static class SourceEndpoints
{
    public static RouteGroupBuilder MapSourceEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/sources")
            .RequireAuthorization(Policies.Admin)
            .WithTags("Sources")
            .WithJsonBodyLimit()
            .ProducesAdminProblems();
        group.MapGet("/", ListAsync).WithName("ListSources").WithSummary("Every registered source with its latest run");
        group.MapGet("/{id}", GetAsync).WithName("GetSource").WithSummary("A source's definition, secrets masked")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", AddAsync).WithName("AddSource").WithSummary("Registers a new source (body: the definition JSON)")
            .Accepts<JsonElement>("application/json").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPut("/{id}", EditAsync).WithName("EditSource")
            .WithSummary("Replaces a source's definition; a value left masked (***) keeps its stored secret")
            .Accepts<JsonElement>("application/json").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{id}", RemoveAsync).WithName("RemoveSource").WithSummary("Removes a source; its records stay in the pool")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/check", SourceActions.CheckDraftAsync).WithName("CheckDraftSource")
            .WithSummary("Dry run of an unsaved definition: first mapped rows and every error; writes nothing")
            .Accepts<JsonElement>("application/json");
        group.MapPost("/{id}/check", SourceActions.CheckAsync).WithName("CheckSource")
            .WithSummary("Dry run of a registered source, or of an edited definition of it sent as the body (its paths resolve where the source's do, masked secrets keep their stored values): first mapped rows and every error; writes nothing")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/sync", SourceActions.SyncAsync).WithName("SyncSource")
            .WithSummary("Queues a sync of the source now; ?confirmDeletions=true confirms a mass deletion the run would otherwise refuse")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/runs", SourceActions.RunsAsync).WithName("ListSourceRuns").WithSummary("The source's runs, newest first")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapSourceEditorEndpoints();
        return group;
    }

    private static async Task<Ok<IReadOnlyList<SourceSummary>>> ListAsync(SourceRegistry registry, PoolDatabase database, RunBook runs,
        IServiceProvider services, CancellationToken cancellationToken)
    {
        var sources = await registry.ListAsync(cancellationToken);
        var latest = await RunQueries.LatestAsync(database, cancellationToken);
        var succeeded = await runs.LastSucceededAsync(cancellationToken);
        // Without the scheduler (a host without Hangfire) nothing runs on a schedule, so there is no next run.
        var zone = services.GetService<ScheduleTimeZones>()?.Default;
        return TypedResults.Ok<IReadOnlyList<SourceSummary>>(sources
            .Select(s => new SourceSummary(s.Id, s.Name, s.Department, s.Kind, s.Priority, s.Schedule,
                string.IsNullOrEmpty(s.File) ? null : s.File, s.UpdatedAt, latest.GetValueOrDefault(s.Id),
                zone is null ? null : NextRuns.After(s.Schedule, DateTimeOffset.UtcNow, zone),
                succeeded.GetValueOrDefault(s.Id), latest.GetValueOrDefault(s.Id)?.Status == "failed"))
            .ToList());
    }

    private static async Task<Results<Ok<SourceDetail>, ProblemHttpResult>> GetAsync(string id, PoolDatabase database, CancellationToken cancellationToken) =>
        await SourceDefinitions.FindAsync(database, id, cancellationToken) is { } stored
            ? TypedResults.Ok(Detail(stored))
            : NotFound(id);

    private static async Task<Results<Created<SourceDetail>, ValidationProblem, ProblemHttpResult>> AddAsync(HttpRequest request,
        SourceDefinitionLoader loader, SourceRegistry registry, PoolDatabase database, SourcesRoot root, SourceJobs jobs, CancellationToken cancellationToken)
    {
        var json = await SourceDefinitions.ReadBodyAsync(request, cancellationToken);
        SourceDefinition definition;
        try
        {
            definition = loader.Parse(json, "api");
        }
        catch (SourceDefinitionException e)
        {
            return SourceDefinitions.Invalid(e.Errors);
        }

        if (await SourceDefinitions.FindAsync(database, definition.Id, cancellationToken) is not null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The source already exists",
                detail: $"a source '{definition.Id}' is registered; PUT /api/sources/{definition.Id} replaces its definition");
        }

        // No file: relative paths resolve against the sources root, and connectors refuse paths leaving it.
        await registry.UpsertAsync(new LoadedSource(definition, "", root.Ensure(), json), cancellationToken);
        jobs.Apply(definition.Id, definition.Schedule);
        var stored = await SourceDefinitions.FindAsync(database, definition.Id, cancellationToken);
        return TypedResults.Created($"/api/sources/{definition.Id}", Detail(stored!));
    }

    private static async Task<Results<Ok<SourceDetail>, ValidationProblem, ProblemHttpResult>> EditAsync(string id, HttpRequest request,
        SourceDefinitionLoader loader, SourceRegistry registry, PoolDatabase database, SourceJobs jobs, CancellationToken cancellationToken)
    {
        var body = await SourceDefinitions.ReadBodyAsync(request, cancellationToken);
        if (await SourceDefinitions.FindAsync(database, id, cancellationToken) is not { } existing)
        {
            return NotFound(id);
        }

        var json = SourceDefinitions.RestoreSecrets(body, existing.Json);
        SourceDefinition definition;
        try
        {
            definition = loader.Parse(json, "api");
        }
        catch (SourceDefinitionException e)
        {
            return SourceDefinitions.Invalid(e.Errors);
        }

        if (definition.Id != id)
        {
            return SourceDefinitions.Invalid([new DefinitionError("$.id", $"'{definition.Id}' does not match the source being edited ('{id}'); a source cannot be renamed")]);
        }

        // Where its files resolve stays as registered: editing the mapping does not move the source.
        await registry.UpsertAsync(new LoadedSource(definition, existing.File ?? "", existing.BaseDirectory, json), cancellationToken);
        jobs.Apply(definition.Id, definition.Schedule);
        var stored = await SourceDefinitions.FindAsync(database, id, cancellationToken);
        return TypedResults.Ok(Detail(stored!));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(string id, SourceRegistry registry, SourceJobs jobs, CancellationToken cancellationToken)
    {
        if (!await registry.RemoveAsync(id, cancellationToken))
        {
            return NotFound(id);
        }

        jobs.Remove(id);
        return TypedResults.NoContent();
    }

    internal static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such source", detail: $"no source '{id}' is registered");

    private static SourceDetail Detail(StoredDefinition stored) =>
        new(stored.Id, stored.File, stored.BaseDirectory, stored.UpdatedAt, SourceDefinitions.Redacted(stored.Json));
}
