using DataPool.Abstractions;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using DataPool.Server.Runs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataPool.Server.Sources;

/// <summary>What an admin does with a source besides editing it: dry-run it, sync it now, read its runs.</summary>
internal static class SourceActions
{
    private const int MaxCheckRows = 1000;
    private const int MaxRunsPage = 500;

    /// <summary>A definition not yet saved: its relative paths resolve against the sources root, as they would once added.</summary>
    public static async Task<Results<Ok<CheckReport>, ValidationProblem>> CheckDraftAsync(HttpRequest request, SourceDefinitionLoader loader,
        SourceChecker checker, SourcesRoot root, CancellationToken cancellationToken, int rows = 20)
    {
        if (BadRows(rows) is { } bad)
        {
            return bad;
        }

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

        var result = await checker.CheckAsync(new LoadedSource(definition, "", root.Ensure(), json), rows, cancellationToken);
        return TypedResults.Ok(CheckReport.From(result));
    }

    /// <summary>
    /// The stored definition, or the edited one in the body (the editor's dry run before saving): either resolves its
    /// paths where the source's do, and a value the body leaves masked (***) keeps its stored secret.
    /// </summary>
    public static async Task<Results<Ok<CheckReport>, ValidationProblem, ProblemHttpResult>> CheckAsync(string id, HttpRequest request, SourceDefinitionLoader loader,
        SourceChecker checker, PoolDatabase database, CancellationToken cancellationToken, int rows = 20)
    {
        if (BadRows(rows) is { } bad)
        {
            return bad;
        }

        if (await SourceDefinitions.FindAsync(database, id, cancellationToken) is not { } stored)
        {
            return SourceEndpoints.NotFound(id);
        }

        var body = await SourceDefinitions.ReadBodyAsync(request, cancellationToken);
        var edited = !string.IsNullOrWhiteSpace(body);
        var json = edited ? SourceDefinitions.RestoreSecrets(body, stored.Json) : stored.Json;
        SourceDefinition definition;
        try
        {
            definition = loader.Parse(json, edited ? "api" : stored.File ?? id);
        }
        catch (SourceDefinitionException e)
        {
            // Stored: the schema files or the connector kinds changed since it was registered.
            return edited ? SourceDefinitions.Invalid(e.Errors) : SourceDefinitions.Invalid(e.Errors, "The stored definition is no longer valid");
        }

        var result = await checker.CheckAsync(new LoadedSource(definition, stored.File ?? "", stored.BaseDirectory, json), rows, cancellationToken);
        return TypedResults.Ok(CheckReport.From(result));
    }

    /// <param name="confirmDeletions">The admin confirms that records missing from the export are really gone (past maxDeleteShare, or from a cut-off file).</param>
    public static async Task<Results<Accepted<SyncQueued>, ProblemHttpResult>> SyncAsync(string id, PoolDatabase database, SourceJobs jobs,
        CancellationToken cancellationToken, bool confirmDeletions = false)
    {
        if (await SourceDefinitions.FindAsync(database, id, cancellationToken) is null)
        {
            return SourceEndpoints.NotFound(id);
        }

        var (runId, jobId) = await jobs.EnqueueAsync(id, confirmDeletions, cancellationToken);
        var run = $"/api/runs/{runId}";
        return TypedResults.Accepted(run, new SyncQueued(id, runId, jobId, run, $"/api/sources/{id}/runs"));
    }

    /// <summary>Newest first; <c>?before=</c> a run id pages back. A removed source's runs stay readable.</summary>
    public static async Task<Results<Ok<IReadOnlyList<RunSummary>>, ValidationProblem, ProblemHttpResult>> RunsAsync(string id, PoolDatabase database,
        CancellationToken cancellationToken, long? before = null, int limit = 50)
    {
        if (limit is < 1 or > MaxRunsPage)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"between 1 and {MaxRunsPage}"] });
        }

        var runs = await RunQueries.ListAsync(database, id, before, limit, cancellationToken);
        if (runs.Count == 0 && before is null && await SourceDefinitions.FindAsync(database, id, cancellationToken) is null)
        {
            return SourceEndpoints.NotFound(id);
        }

        return TypedResults.Ok(runs);
    }

    private static ValidationProblem? BadRows(int rows) => rows is < 0 or > MaxCheckRows
        ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["rows"] = [$"between 0 and {MaxCheckRows}"] })
        : null;
}
