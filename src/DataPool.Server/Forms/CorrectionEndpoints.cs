using DataPool.Core.Access;
using DataPool.Core.Forms;
using DataPool.Server.Api;
using DataPool.Server.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataPool.Server.Forms;

/// <summary>Why a correction request is rejected (shown to the worker who proposed it).</summary>
public sealed record CorrectionRejection(string? Reason);

/// <summary>
/// <c>/api/corrections</c>, correction requests (纠错): a worker's change to a field a department owns, put to that
/// department. Listing: any role, scoped (an analyst: their department's; a worker: their community's; an admin: all).
/// Deciding: an analyst of the owning department or an admin; another department's request answers like a missing one.
/// </summary>
public static class CorrectionEndpoints
{
    private const int MaxReasonLength = 500;

    public static RouteGroupBuilder MapCorrectionEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/corrections").RequireAuthorization(Policies.Authenticated).WithTags("Corrections").WithJsonBodyLimit();
        group.MapGet("/", ListAsync).WithName("ListCorrections")
            .WithSummary("Correction requests with their status, newest first (an analyst: their department's; a worker: their community's; an admin: all); ?status=open|accepted|rejected");
        group.MapPost("/{id:long}/accept", AcceptAsync).RequireAuthorization(Policies.Analyst).WithName("AcceptCorrection")
            .WithSummary("Analyst of the owning department or admin: applies the value as the department's (its correction source, synced through the pipeline)");
        group.MapPost("/{id:long}/reject", RejectAsync).RequireAuthorization(Policies.Analyst).WithName("RejectCorrection")
            .WithSummary("Analyst of the owning department or admin: rejects the request with a reason (required); the pool keeps its value");
        return group;
    }

    /// <summary>Whose requests the caller sees; a user missing their binding sees nothing (never everything).</summary>
    private static CorrectionScope ScopeOf(CurrentUser user) => user.Role switch
    {
        Roles.Admin => CorrectionScope.All,
        Roles.Analyst => new CorrectionScope(user.Department ?? "-", null),
        _ => new CorrectionScope(null, user.Community ?? "-"),
    };

    private static async Task<Results<Ok<IReadOnlyList<CorrectionRequest>>, ValidationProblem>> ListAsync(string? status, HttpContext http,
        CorrectionRequests requests, IPoolAccess access, CancellationToken cancellationToken)
    {
        if (status is not (null or CorrectionRequests.Open or CorrectionRequests.Accepted or CorrectionRequests.Rejected))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["status is open, accepted or rejected"] });
        }

        var list = await requests.ListAsync(ScopeOf(CurrentUser.From(http.User)), status, cancellationToken: cancellationToken);
        // The requests carry values of the records they correct: the read is audited like any other.
        foreach (var entity in list.GroupBy(r => r.Entity))
        {
            await access.AuditedViewOf(http.User.ToViewer(), entity.Key).AuditAsync(entity.Select(r => r.PoolId).OfType<long>().Distinct().ToList(),
                entity.Select(r => r.Field).Distinct().ToList(), "GET /api/corrections", cancellationToken);
        }

        return TypedResults.Ok(list);
    }

    private static async Task<Results<Ok<CorrectionRequest>, ProblemHttpResult>> AcceptAsync(long id, HttpContext http, CorrectionSources sources,
        CancellationToken cancellationToken)
    {
        var user = CurrentUser.From(http.User);
        var outcome = await sources.AcceptAsync(id, ScopeOf(user), user.Name, cancellationToken);
        if (outcome is CorrectionOutcome.Decided decided)
        {
            return TypedResults.Ok(decided.Request);
        }

        return Problem(outcome, id);
    }

    private static async Task<Results<Ok<CorrectionRequest>, ProblemHttpResult, ValidationProblem>> RejectAsync(long id, CorrectionRejection? body, HttpContext http,
        CorrectionSources sources, CancellationToken cancellationToken)
    {
        var reason = body?.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > MaxReasonLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = [$"请填写驳回理由（不超过{MaxReasonLength}个字符）"] });
        }

        var user = CurrentUser.From(http.User);
        var outcome = await sources.RejectAsync(id, ScopeOf(user), user.Name, reason, cancellationToken);
        if (outcome is CorrectionOutcome.Decided decided)
        {
            return TypedResults.Ok(decided.Request);
        }

        return Problem(outcome, id);
    }

    private static ProblemHttpResult Problem(CorrectionOutcome outcome, long id) => outcome switch
    {
        CorrectionOutcome.NotFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "没有该纠错申请", detail: $"no correction request {id}"),
        CorrectionOutcome.AlreadyDecided decided => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "该纠错申请已处理",
            detail: $"correction request {id} is already {decided.Status}"),
        CorrectionOutcome.Failed failed => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "纠错未能应用", detail: failed.Message),
        _ => throw new InvalidOperationException(outcome.GetType().Name),
    };
}
