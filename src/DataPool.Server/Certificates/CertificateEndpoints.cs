using System.Globalization;
using DataPool.Core.Access;
using DataPool.Core.Certificates;
using DataPool.Core.Store;
using DataPool.Server.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataPool.Server.Certificates;

/// <summary>
/// <c>/api/certificates</c>: the certificates a community still issues — <c>residence</c> (居住证明) and
/// <c>household-composition</c> (家庭成员关系证明) — as a printable page generated from the pool for a worker of the
/// resident's community (or an admin). Every issue is recorded in <c>dp_certificates</c> with a serial number and
/// audited before the page leaves; another community's resident answers 404 exactly as one who does not exist.
/// </summary>
public static class CertificateEndpoints
{
    private const string Person = "person";

    public static IServiceCollection AddCertificates(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IStoreInitializer, CertificateTables>();
        services.AddSingleton<CertificateRegister>();
        return services;
    }

    public static RouteGroupBuilder MapCertificateEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/certificates").RequireAuthorization(Policies.Worker).WithTags("Certificates");
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.Admin).WithName("ListCertificates").WithSummary("Admin: every certificate issued, newest first");
        group.MapGet("/{kind}/{poolId:long}", IssueAsync).WithName("IssueCertificate")
            .WithSummary("A printable certificate (residence | household-composition) for one resident, generated from the pool and audited");
        return group;
    }

    private static async Task<Ok<List<CertificateIssue>>> ListAsync(CertificateRegister register, CancellationToken cancellationToken) =>
        TypedResults.Ok(await register.ListAsync(cancellationToken));

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> IssueAsync(string kind, long poolId, HttpContext http, PoolDatabase database,
        CertificateRegister register, IPoolAccess access, Core.Schema.SchemaCatalog schema, CancellationToken cancellationToken)
    {
        if (!CertificatePage.Kinds.ContainsKey(kind))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "没有该类证明",
                detail: $"'{kind}' is not a certificate; kinds: {string.Join(", ", CertificatePage.Kinds.Keys)}");
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var person = await CertificateData.PersonAsync(connection, poolId, cancellationToken);
        // A resident of another community answers exactly as one who does not exist: the same 404, the same body.
        if (person is null || access.ViewOf(http.User.ToViewer(), Person) is not { } view || !view.InCommunity(person.GetValueOrDefault("community_code")))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "没有该居民", detail: "no such person among the residents you serve");
        }

        var user = CurrentUser.From(http.User);
        var members = kind == "household-composition" && person.GetValueOrDefault("household_no") is { } household
            ? await CertificateData.MembersAsync(connection, household, cancellationToken)
            : [];
        var community = await CertificateData.CommunityAsync(connection, person.GetValueOrDefault("community_code"), cancellationToken);
        var issuedAt = DateTimeOffset.UtcNow;
        var serial = await register.RecordAsync(kind, poolId, person.GetValueOrDefault("community_code"), user.Name, issuedAt, cancellationToken);
        await view.AuditAsync([poolId, .. members.Select(m => long.Parse(m["pool_id"]!, CultureInfo.InvariantCulture))],
            ["name", "id_number", "gender", "birth_date", "address", "household_no", "relation_to_head"], $"certificate {kind} {serial}", cancellationToken);
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Content(CertificatePage.Render(schema, kind, serial, person, members, community, issuedAt), "text/html; charset=utf-8");
    }
}
