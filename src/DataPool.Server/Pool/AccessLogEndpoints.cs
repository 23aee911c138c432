using DataPool.Core.Access;
using DataPool.Server.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataPool.Server.Pool;

/// <summary>Who looked at a resident's record: reads of the person and of the records keyed by their ID number.</summary>
public sealed record PersonAccessLog(long PersonId, IReadOnlyList<AccessEntry> Entries);

/// <summary><c>GET /api/pool/person/{id}/access-log</c>: the audit trail of one resident, for administrators.</summary>
public static class AccessLogEndpoints
{
    public const int MaxEntries = 1000;

    public static RouteGroupBuilder MapAccessLogEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/pool/person").RequireAuthorization(Policies.Admin).WithTags("Audit");
        group.MapGet("/{id:long}/access-log", ReadAsync).WithName("PersonAccessLog")
            .WithSummary("Admin: who read this resident's data (the person and every record keyed by their ID number), newest first")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Ok<PersonAccessLog>, ProblemHttpResult>> ReadAsync(
        long id, AccessLog log, CancellationToken cancellationToken, int limit = 200) =>
        await log.ForPersonAsync(id, Math.Clamp(limit, 1, MaxEntries), cancellationToken) is { } entries
            ? TypedResults.Ok(new PersonAccessLog(id, entries))
            : TypedResults.Problem(title: $"no person {id}", statusCode: StatusCodes.Status404NotFound);
}
