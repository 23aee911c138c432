using System.Security.Claims;
using DataPool.Core.Access;
using DataPool.Core.Matching;
using DataPool.Core.Schema;
using DataPool.Server.Api;
using DataPool.Server.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataPool.Server.Matching;

/// <summary>
/// <c>/api/matches</c> (admins): the review queue of uncertain matches, each item both records side by side
/// with the score broken down per field; accept (merge: the older id survives, the other redirects to
/// it), reject (kept apart, never asked again), split (undo an accepted merge). Also the conflicts between
/// sources that survivorship decided. Every answer that shows a person's values passes the one read guard: the values
/// as the viewer's grant shows them, the read audited for both records before the answer leaves (the summary shows none).
/// </summary>
public static class MatchEndpoints
{
    private const int MaxPage = 200;

    public static RouteGroupBuilder MapMatchEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/matches")
            .RequireAuthorization(Policies.Admin)
            .WithTags("Matches")
            .ProducesAdminProblems();
        group.MapGet("/", ListAsync).WithName("ListMatchReviews")
            .WithSummary("Review items by id, pending when no status is given (status=pending|accepted|rejected|split|joined: closed by the matcher once the two persons became one), of one source (source), paged (page, size)");
        group.MapGet("/summary", SummaryAsync).WithName("MatchReviewSummary").WithSummary("Pending review items in all and per source of the row under review");
        group.MapGet("/conflicts", ConflictsAsync).WithName("ListMatchConflicts")
            .WithSummary("Fields where the sources linked to one record disagree, with the value survivorship chose (entity, pool, page, size)");
        group.MapGet("/{id:long}", GetAsync).WithName("GetMatchReview").WithSummary("One review item").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:long}/accept", AcceptAsync).WithName("AcceptMatch")
            .WithSummary("Merges the two persons: the older id survives, the other redirects to it")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:long}/reject", RejectAsync).WithName("RejectMatch").WithSummary("Keeps the two persons apart for good")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:long}/split", SplitAsync).WithName("SplitMatch")
            .WithSummary("Undoes an accepted merge: the moved source records go back to their former person")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/records/{recordId:long}/split", SplitRecordAsync).WithName("SplitRecord")
            .WithSummary("Moves one source record (e.g. a wrong automatic link) out of its person into a new person of its own, for good")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapMatchEvaluation();
        return group;
    }

    private static async Task<Results<Ok<ReviewPage>, ValidationProblem>> ListAsync(MatchQueue queue, IPoolAccess access, ClaimsPrincipal user,
        CancellationToken cancellationToken, string? status = null, int page = 1, int size = 50, string? source = null)
    {
        // No status (or an empty one) is the queue itself: what is waiting for a decision.
        status = string.IsNullOrEmpty(status) ? ReviewStatus.Pending : status;
        var statuses = new[] { ReviewStatus.Pending, ReviewStatus.Accepted, ReviewStatus.Rejected, ReviewStatus.Split, ReviewStatus.Joined };
        var errors = Paging(page, size) ?? [];
        if (!statuses.Contains(status))
        {
            errors["status"] = [$"'{status}' is not a status; use {string.Join(", ", statuses)}"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var reviews = await queue.ListAsync(status, page, size, cancellationToken, string.IsNullOrEmpty(source) ? null : source);
        return TypedResults.Ok(reviews with { Items = await ShownAsync(reviews.Items, access, user, "match review list", cancellationToken) });
    }

    private static async Task<Ok<ReviewSummary>> SummaryAsync(MatchQueue queue, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queue.SummaryAsync(cancellationToken));

    private static async Task<Results<Ok<List<ConflictRow>>, ValidationProblem>> ConflictsAsync(MatchQueue queue, SchemaCatalog catalog, IPoolAccess access,
        ClaimsPrincipal user, CancellationToken cancellationToken, string entity = "person", long? pool = null, int page = 1, int size = 50)
    {
        var errors = Paging(page, size) ?? [];
        if (!catalog.Entities.ContainsKey(entity))
        {
            errors["entity"] = [$"no pool entity '{entity}'"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var view = access.AuditedViewOf(user.ToViewer(), entity);
        var shown = ConflictRow.ShownTo(await queue.ConflictsAsync(entity, pool, page, size, cancellationToken), view);
        await view.AuditAsync(shown.Select(r => r.PoolId).Distinct().ToList(), shown.Select(r => r.Field).Distinct(StringComparer.Ordinal).ToList(),
            "match conflicts", cancellationToken);
        return TypedResults.Ok(shown);
    }

    private static async Task<Results<Ok<ReviewItem>, ProblemHttpResult>> GetAsync(long id, MatchQueue queue, IPoolAccess access, ClaimsPrincipal user,
        CancellationToken cancellationToken) =>
        await queue.GetAsync(id, cancellationToken) is { } item
            ? TypedResults.Ok((await ShownAsync([item], access, user, $"match review {id}", cancellationToken))[0])
            : Problem(ReviewOutcome.Missing(id));

    private static async Task<Results<Ok<ReviewItem>, ProblemHttpResult>> AcceptAsync(long id, MatchDecider decider, IPoolAccess access, ClaimsPrincipal user,
        CancellationToken cancellationToken) =>
        await AnswerAsync(await decider.AcceptAsync(id, Who(user), cancellationToken), access, user, $"match accept {id}", cancellationToken);

    private static async Task<Results<Ok<ReviewItem>, ProblemHttpResult>> RejectAsync(long id, MatchDecider decider, IPoolAccess access, ClaimsPrincipal user,
        CancellationToken cancellationToken) =>
        await AnswerAsync(await decider.RejectAsync(id, Who(user), cancellationToken), access, user, $"match reject {id}", cancellationToken);

    private static async Task<Results<Ok<ReviewItem>, ProblemHttpResult>> SplitAsync(long id, MatchDecider decider, IPoolAccess access, ClaimsPrincipal user,
        CancellationToken cancellationToken) =>
        await AnswerAsync(await decider.SplitAsync(id, Who(user), cancellationToken), access, user, $"match split {id}", cancellationToken);

    private static async Task<Results<Ok<DetachOutcome>, ProblemHttpResult>> SplitRecordAsync(long recordId, MatchDecider decider, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var outcome = await decider.DetachAsync(recordId, Who(user), cancellationToken);
        return outcome.Problem is null
            ? TypedResults.Ok(outcome)
            : Problem(outcome.NotFound, outcome.NotFound ? "No such source record" : "The record cannot be split off", outcome.Problem);
    }

    /// <summary>A decision's answer: the item as decided, through the guard like any read of it.</summary>
    private static async Task<Results<Ok<ReviewItem>, ProblemHttpResult>> AnswerAsync(ReviewOutcome outcome, IPoolAccess access, ClaimsPrincipal user,
        string purpose, CancellationToken cancellationToken) =>
        outcome.Problem is null ? TypedResults.Ok((await ShownAsync([outcome.Item!], access, user, purpose, cancellationToken))[0]) : Problem(outcome);

    /// <summary>
    /// The items as the viewer's grant shows them (an administrator's shows every field unmasked), each entity's read of
    /// both records audited before the answer leaves.
    /// </summary>
    private static async Task<IReadOnlyList<ReviewItem>> ShownAsync(IReadOnlyList<ReviewItem> items, IPoolAccess access, ClaimsPrincipal user, string purpose,
        CancellationToken cancellationToken)
    {
        var viewer = user.ToViewer();
        var views = items.Select(i => i.Entity).Distinct(StringComparer.Ordinal).ToDictionary(e => e, e => access.AuditedViewOf(viewer, e), StringComparer.Ordinal);
        var shown = items.Select(i => i.ShownTo(views[i.Entity])).ToList();
        foreach (var (entity, view) in views)
        {
            var ofEntity = shown.Where(i => i.Entity == entity).ToList();
            await view.AuditAsync(ofEntity.SelectMany(i => i.ShownPoolIds()).Distinct().ToList(),
                ofEntity.SelectMany(i => i.ShownFields()).Distinct(StringComparer.Ordinal).ToList(), purpose, cancellationToken);
        }

        return shown;
    }

    private static ProblemHttpResult Problem(ReviewOutcome outcome) =>
        Problem(outcome.NotFound, outcome.NotFound ? "No such review item" : "The review item is not in a state for this", outcome.Problem);

    /// <summary>A decision refused: 404 when its subject is missing, else 409 (it is not in a state for this).</summary>
    private static ProblemHttpResult Problem(bool notFound, string title, string? detail) => TypedResults.Problem(
        statusCode: notFound ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict, title: title, detail: detail);

    private static string Who(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";

    private static Dictionary<string, string[]>? Paging(int page, int size)
    {
        var errors = new Dictionary<string, string[]>();
        if (page < 1)
        {
            errors["page"] = ["1 or more"];
        }

        if (size is < 1 or > MaxPage)
        {
            errors["size"] = [$"between 1 and {MaxPage}"];
        }

        return errors.Count > 0 ? errors : null;
    }
}
