using System.Security.Claims;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using DataPool.Server.Api;
using DataPool.Server.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataPool.Server.Sync;

/// <summary>Corrected values for some columns of a quarantined row (column → text as the source would have held it).</summary>
public sealed record ReplayRequest(IReadOnlyDictionary<string, string?>? Values);

/// <summary>What a replay did: accepted into the pool (the row is now <c>replayed</c>), or still bad with its new reasons (still <c>open</c>).</summary>
public sealed record ReplayOutcome(bool Accepted, long RunId, IReadOnlyList<string> Reasons, QuarantinedRow Row);

public sealed record DismissRequest(string? Reason);

/// <summary>
/// <c>/api/quarantine</c> (admins): the rows that failed and why; correct one and replay it through the
/// pipeline, or dismiss it with a reason. Nothing is ever deleted: a resolved row keeps its history.
/// </summary>
public static class QuarantineEndpoints
{
    private const int MaxPage = 500;
    private const int MaxReasonLength = 2000;

    public static RouteGroupBuilder MapQuarantineEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/quarantine")
            .RequireAuthorization(Policies.Admin)
            .WithTags("Quarantine")
            .WithJsonBodyLimit()
            .ProducesAdminProblems();
        group.MapGet("/", ListAsync).WithName("ListQuarantine")
            .WithSummary("Quarantined rows by id; filter by source, stream, status (open|replayed|dismissed|resolved), run, reason code, or text in the reasons (q)");
        group.MapGet("/totals", TotalsAsync).WithName("QuarantineTotals")
            .WithSummary("Rows per source, per reason code and per both, of one status (open by default; status=all for every row)");
        group.MapGet("/{id:long}", GetAsync).WithName("GetQuarantinedRow")
            .WithSummary("One quarantined row: raw values, reasons with their codes and columns, every replay attempt, the fixes its data suggests")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:long}/replay", ReplayAsync).WithName("ReplayQuarantinedRow")
            .WithSummary("Corrects columns of an open row and replays it through its source's pipeline")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:long}/dismiss", DismissAsync).WithName("DismissQuarantinedRow").WithSummary("Dismisses an open row, with a reason")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    private static async Task<Results<Ok<QuarantinePage>, ValidationProblem>> ListAsync(PoolDatabase database, CancellationToken cancellationToken,
        string? source = null, string? stream = null, string? status = null, long? run = null, string? q = null, long? after = null, int limit = 50,
        string? reason = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (status is not null && !QuarantineQueries.Statuses.Contains(status))
        {
            errors["status"] = [$"'{status}' is not a status; use {string.Join(", ", QuarantineQueries.Statuses)}"];
        }

        if (reason is not null && !QuarantineReasons.Codes.Contains(reason))
        {
            errors["reason"] = [$"'{reason}' is not a reason code; use {string.Join(", ", QuarantineReasons.Codes)}"];
        }

        if (limit is < 1 or > MaxPage)
        {
            errors["limit"] = [$"between 1 and {MaxPage}"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var page = await QuarantineQueries.ListAsync(database, new QuarantineFilter(source, stream, status, run, q, after, limit, reason), cancellationToken);
        return TypedResults.Ok(page);
    }

    private static async Task<Results<Ok<QuarantineTotals>, ValidationProblem>> TotalsAsync(PoolDatabase database, CancellationToken cancellationToken,
        string? status = QuarantineQueries.Open, string? source = null)
    {
        if (status != "all" && !QuarantineQueries.Statuses.Contains(status ?? ""))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["status"] = [$"'{status}' is not a status; use all, {string.Join(", ", QuarantineQueries.Statuses)}"],
            });
        }

        return TypedResults.Ok(await QuarantineQueries.TotalsAsync(database, status == "all" ? null : status, source, cancellationToken));
    }

    private static async Task<Results<Ok<QuarantinedRow>, ProblemHttpResult>> GetAsync(long id, PoolDatabase database, SourceRegistry registry,
        CancellationToken cancellationToken)
    {
        if (await QuarantineQueries.GetAsync(database, id, cancellationToken) is not { } row)
        {
            return NotFound(id);
        }

        var attempts = await QuarantineAttempts.ListAsync(database, id, cancellationToken);
        return TypedResults.Ok(row with { Attempts = attempts, Suggestions = await SuggestAsync(row, attempts, database, registry, cancellationToken) });
    }

    /// <summary>Fixes for an open row, worked out on the row as last tried; none when its source or stream is gone.</summary>
    private static async Task<IReadOnlyList<QuarantineSuggestion>> SuggestAsync(QuarantinedRow row, IReadOnlyList<QuarantineAttempt> attempts,
        PoolDatabase database, SourceRegistry registry, CancellationToken cancellationToken)
    {
        if (row.Status != QuarantineQueries.Open || await registry.GetAsync(row.SourceId, cancellationToken) is not { } source
            || source.Definition.Streams.FirstOrDefault(s => s.Name == row.Stream) is not { } stream)
        {
            return [];
        }

        return QuarantineSuggestions.For(new StreamPlan(stream, database.Catalog), attempts.Count > 0 ? attempts[^1].Row : row.Raw);
    }

    private static async Task<Results<Ok<ReplayOutcome>, ValidationProblem, ProblemHttpResult>> ReplayAsync(long id, ReplayRequest? request,
        SyncRunner runner, PoolDatabase database, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (await QuarantineQueries.GetAsync(database, id, cancellationToken) is not { } row)
        {
            return NotFound(id);
        }

        if (row.Status != QuarantineQueries.Open)
        {
            return NotOpen(row);
        }

        // No body or no values: replay as it is, e.g. after the definition's code map was fixed.
        var corrections = request?.Values ?? new Dictionary<string, string?>();
        var unknown = corrections.Keys.Where(column => !row.Raw.ContainsKey(column)).ToList();
        if (unknown.Count > 0)
        {
            return TypedResults.ValidationProblem(
                unknown.ToDictionary(column => $"values.{column}", _ => new[] { $"not a column of this row (columns: {string.Join(", ", row.Raw.Keys)})" }),
                title: "The corrections name unknown columns");
        }

        ReplayResult result;
        try
        {
            result = await runner.ReplayAsync(id, corrections, cancellationToken, user.Identity?.Name);
        }
        catch (SyncException e)
        {
            // The source was removed or changed, or is being synced right now: nothing was written.
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The row could not be replayed", detail: e.Message);
        }

        var updated = await QuarantineQueries.GetAsync(database, id, cancellationToken) ?? row;
        var attempts = await QuarantineAttempts.ListAsync(database, id, cancellationToken);
        return TypedResults.Ok(new ReplayOutcome(result.Accepted, result.RunId, result.Reasons, updated with { Attempts = attempts }));
    }

    private static async Task<Results<Ok<QuarantinedRow>, ValidationProblem, ProblemHttpResult>> DismissAsync(long id, DismissRequest request,
        PoolDatabase database, CancellationToken cancellationToken)
    {
        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > MaxReasonLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["reason"] = [string.IsNullOrEmpty(reason) ? "say why the row is dismissed" : $"at most {MaxReasonLength} characters"],
            });
        }

        if (await QuarantineQueries.GetAsync(database, id, cancellationToken) is not { } row)
        {
            return NotFound(id);
        }

        if (!await QuarantineQueries.DismissAsync(database, id, reason, cancellationToken))
        {
            return NotOpen(await QuarantineQueries.GetAsync(database, id, cancellationToken) ?? row);
        }

        return TypedResults.Ok((await QuarantineQueries.GetAsync(database, id, cancellationToken))!);
    }

    private static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such quarantined row", detail: $"there is no quarantined row {id}");

    private static ProblemHttpResult NotOpen(QuarantinedRow row) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The row is already resolved",
            detail: $"quarantined row {row.Id} is {row.Status}{(row.Resolution is null ? "" : $" ({row.Resolution})")}; only open rows can be replayed or dismissed");
}
