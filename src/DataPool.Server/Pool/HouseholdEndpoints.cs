using DataPool.Core.Access;
using DataPool.Core.Households;
using DataPool.Core.Query;
using DataPool.Server.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataPool.Server.Pool;

/// <summary>A household's members as the viewer may see them: names only where the person grant shows them.</summary>
public sealed record HouseholdMembersPage(long HouseholdId, string? HouseholdNo, DateTimeOffset? AsOf, IReadOnlyList<HouseholdMember> Members);

/// <summary>
/// <c>GET /api/pool/household/{id}/members</c>: who lives in a household (head first, GB/T 4761 relation codes),
/// now or <c>?asOf=</c> a past moment. Any signed-in user the household grant allows; a worker only in their community.
/// </summary>
public static class HouseholdEndpoints
{
    public const string Purpose = "household members";
    private const string Household = "household", Person = "person", Name = "name", Relation = "relation_to_head";

    public static RouteGroupBuilder MapHouseholdEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/pool/household").RequireAuthorization(Policies.Authenticated).WithTags("Households");
        group.MapGet("/{id:long}/members", MembersAsync).WithName("HouseholdMembers")
            .WithSummary("The members of a household (head first, relation codes per GB/T 4761), now or as of a moment")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Ok<HouseholdMembersPage>, ProblemHttpResult>> MembersAsync(
        long id, HttpContext http, HouseholdMembers households, IPoolAccess access, CancellationToken cancellationToken, DateTimeOffset? asOf = null)
    {
        var viewer = http.User.ToViewer();
        if (access.ViewOf(viewer, Household) is not { } view)
        {
            return TypedResults.Problem(title: "households are not granted to you", statusCode: StatusCodes.Status403Forbidden);
        }

        // Absent, or in another community: one answer for both (as the record routes give), so nothing leaks.
        if (await households.HouseholdAsync(id, cancellationToken) is not { } household || !view.InCommunity(household.CommunityCode))
        {
            return QueryProblem.NoRecord(Household, id, view.Grant).ToResult();
        }

        // The members are person records: a viewer not granted persons learns not even their pool ids.
        List<HouseholdMember> members = [];
        if (access.ViewOf(viewer, Person) is { } people)
        {
            members = (await households.ForHouseholdAsync(household.HouseholdNo, asOf, cancellationToken))
                .Select(m => m with { Name = people.Present(Name, m.Name), RelationCode = people.Present(Relation, m.RelationCode) })
                .ToList();
            await people.AuditAsync(members.Select(m => m.PoolId).ToList(), [Name, Relation], Purpose, cancellationToken);
        }

        return TypedResults.Ok(new HouseholdMembersPage(id, view.Present("household_no", household.HouseholdNo), asOf, members));
    }
}
