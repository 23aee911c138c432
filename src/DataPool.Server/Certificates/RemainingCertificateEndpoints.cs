using System.Globalization;
using DataPool.Core.Access;
using DataPool.Core.Certificates;
using DataPool.Core.Store;
using DataPool.Server.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataPool.Server.Certificates;

/// <summary>Anyone holding a serial can check it: valid or revoked, the kind, the issuing community and the date; nothing personal.</summary>
public sealed record SerialCheck(string Serial, string Status, string Kind, string Title, string? Community, string IssuedAt, string? RevokedAt, string? RevocationReason);

/// <summary>Why an admin revokes a certificate.</summary>
public sealed record Revocation(string Reason);

/// <summary>
/// The four certificates communities still issue (<c>/api/certificates/{deceased-relationship|inheritance-kinship|guardianship|land-contract}/{poolId}</c>,
/// a worker of the resident's community or an admin), generated from the pool with a serial and audited, refused with the
/// reason where the pool cannot support them; <c>GET /api/certificates/verify/{serial}</c> (anyone) checks a serial and
/// <c>POST /api/certificates/{serial}/revoke</c> (admin) revokes one.
/// </summary>
public static class RemainingCertificateEndpoints
{
    public static IServiceCollection AddRemainingCertificates(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<RemainingCertificates>();
        return services;
    }

    public static void MapRemainingCertificateEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/certificates").RequireAuthorization(Policies.Worker).WithTags("Certificates");
        foreach (var kind in RemainingCertificates.Titles.Keys)
        {
            group.MapGet($"/{kind}/{{poolId:long}}", (long poolId, long? other, HttpContext http, RemainingCertificates certificates, PoolDatabase database,
                    CertificateRegister register, IPoolAccess access, CancellationToken ct) => IssueAsync(kind, poolId, other, http, certificates, database, register, access, ct))
                .WithName($"Issue-{kind}")
                .WithSummary($"{RemainingCertificates.Titles[kind]}: printable, generated from the pool, with a serial; refused with the reason where the pool cannot support it");
        }

        group.MapGet("/household/{householdNo}", HouseholdAsync).WithName("CertificateHousehold")
            .WithSummary("The household's present and former members a worker can issue the remaining certificates for");
        group.MapGet("/{kind}/{poolId:long}/check", CheckAsync).WithName("CheckCertificate")
            .WithSummary("Whether the pool supports a certificate, with the reason if not; issues nothing");
        group.MapPost("/{serial}/revoke", RevokeAsync).RequireAuthorization(Policies.Admin).WithName("RevokeCertificate").WithSummary("Admin: revoke an issued certificate, with the reason");
        app.MapGet("/api/certificates/verify/{serial}", VerifyAsync).AllowAnonymous().WithTags("Certificates")
            .WithName("VerifyCertificateSerial").WithSummary("Anyone: whether a certificate serial is valid or revoked, with its kind, community and issue date; nothing personal");
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> IssueAsync(string kind, long poolId, long? other, HttpContext http,
        RemainingCertificates certificates, PoolDatabase database, CertificateRegister register, IPoolAccess access, CancellationToken cancellationToken)
    {
        var viewer = http.User.ToViewer();
        if (access.ViewOf(viewer, CertificateData.Person) is not { } view || !await InScopeAsync(view, certificates, poolId, other, cancellationToken))
        {
            return NoSuchResident();
        }

        CertificateContent content;
        try
        {
            content = await certificates.BuildAsync(kind, poolId, other, cancellationToken);
        }
        catch (KeyNotFoundException)
        {
            return NoSuchResident();
        }
        catch (CertificateRefusedException refused)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "数据池无法支持该证明", detail: refused.Message);
        }

        var issuedAt = DateTimeOffset.UtcNow;
        var serial = await register.RecordAsync(kind, content.PoolId, content.CommunityCode, viewer.Name, issuedAt, cancellationToken);
        await view.AuditAsync(content.PersonIds, ["name", "id_number", "household_no", "relation_to_head"], $"certificate {kind} {serial}", cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        var communityName = (await CertificateData.CommunityAsync(connection, content.CommunityCode, cancellationToken))?.GetValueOrDefault("name");
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Content(CertificatePage.RenderContent(content, serial, communityName ?? content.CommunityCode ?? "", issuedAt), "text/html; charset=utf-8");
    }

    /// <summary>What a certificate check answers: whether it can be issued, and why not.</summary>
    public sealed record CertificateCheck(string Kind, bool Ok, string? Reason);

    private static async Task<Results<Ok<CertificateCheck>, ProblemHttpResult>> CheckAsync(string kind, long poolId, long? other, HttpContext http,
        RemainingCertificates certificates, IPoolAccess access, CancellationToken cancellationToken)
    {
        if (!RemainingCertificates.Titles.ContainsKey(kind))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "没有该类证明", detail: $"kinds: {string.Join(", ", RemainingCertificates.Titles.Keys)}");
        }

        if (access.ViewOf(http.User.ToViewer(), CertificateData.Person) is not { } view || !await InScopeAsync(view, certificates, poolId, other, cancellationToken))
        {
            return NoSuchResident();
        }

        try
        {
            await certificates.BuildAsync(kind, poolId, other, cancellationToken);
            return TypedResults.Ok(new CertificateCheck(kind, true, null));
        }
        catch (KeyNotFoundException)
        {
            return NoSuchResident();
        }
        catch (CertificateRefusedException refused)
        {
            return TypedResults.Ok(new CertificateCheck(kind, false, refused.Message));
        }
    }

    private static async Task<Results<Ok<List<HouseholdMember>>, ProblemHttpResult>> HouseholdAsync(string householdNo, HttpContext http,
        RemainingCertificates certificates, IPoolAccess access, CancellationToken cancellationToken)
    {
        if (await certificates.HouseholdAsync(householdNo, cancellationToken) is not { } household
            || access.ViewOf(http.User.ToViewer(), CertificateData.Person) is not { } view || !view.InCommunity(household.Community))
        {
            return NoSuchResident();
        }

        await view.AuditAsync(household.Members.Select(m => m.PoolId).ToList(), ["name", "relation_to_head"],
            $"certificates of household {householdNo}", cancellationToken);
        return TypedResults.Ok(household.Members);
    }

    /// <summary>
    /// Both persons a certificate names exist and belong to the viewer's community, checked before the certificate is
    /// built: another community's resident answers exactly like one who does not exist, and no refusal names them.
    /// </summary>
    private static async Task<bool> InScopeAsync(PoolView view, RemainingCertificates certificates, long poolId, long? other, CancellationToken cancellationToken)
    {
        foreach (var id in other is { } o ? new[] { poolId, o } : [poolId])
        {
            var (exists, community) = await certificates.CommunityOfAsync(id, cancellationToken);
            if (!exists || !view.InCommunity(community))
            {
                return false;
            }
        }

        return true;
    }

    private static ProblemHttpResult NoSuchResident() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "没有该居民", detail: "no such person among the residents you serve");

    private static async Task<Results<Ok<SerialCheck>, NotFound<Microsoft.AspNetCore.Mvc.ProblemDetails>, ProblemHttpResult>> VerifyAsync(string serial, HttpContext http,
        [FromKeyedServices(Api.MinuteBudget.SerialChecks)] Api.MinuteBudget budget, CertificateRegister register, CancellationToken cancellationToken)
    {
        if (!budget.TryTake(RateLimits.ClientAddress(http)))
        {
            http.Response.Headers.RetryAfter = "60";
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "核验过于频繁", detail: "too many serial checks from this address this minute");
        }

        if (await register.FindAsync(serial, cancellationToken) is not { } found)
        {
            return TypedResults.NotFound(new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = 404, Title = "没有该编号的证明", Detail = $"no certificate has the serial '{serial}'" });
        }

        return TypedResults.Ok(new SerialCheck(found.Serial, found.RevokedAt is null ? "valid" : "revoked", found.Kind,
            RemainingCertificates.Titles.GetValueOrDefault(found.Kind) ?? CertificatePage.Kinds.GetValueOrDefault(found.Kind) ?? found.Kind,
            found.CommunityName, Beijing(found.IssuedAt), found.RevokedAt is null ? null : Beijing(found.RevokedAt), found.RevocationReason));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string serial, Revocation revocation, HttpContext http, CertificateRegister register, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(revocation.Reason))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "请说明撤销原因", detail: "a revocation states its reason");
        }

        if (!await register.RevokeAsync(serial, CurrentUser.From(http.User).Name, revocation.Reason.Trim(), DateTimeOffset.UtcNow, cancellationToken))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "没有该编号的证明", detail: $"no certificate has the serial '{serial}'");
        }

        return TypedResults.NoContent();
    }

    /// <summary>Times shown to people are Beijing time.</summary>
    private static string Beijing(string utc) =>
        DateTimeOffset.Parse(utc, CultureInfo.InvariantCulture).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm (北京时间)", CultureInfo.InvariantCulture);
}
