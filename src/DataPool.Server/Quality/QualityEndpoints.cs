using System.Security.Claims;
using DataPool.Core.Store;
using DataPool.Server.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataPool.Server.Quality;

/// <summary>
/// <c>GET /api/quality</c>: per source, freshness, completeness of every mapped field, the quarantine rate over the
/// recent runs and the conflicts with other sources. Admins see every department (or one, <c>?department=</c>); an
/// analyst sees the sources of their own department only, and asking for another is refused. Counts only, nothing
/// personal, so no grant is consulted.
/// </summary>
public static class QualityEndpoints
{
    public static IServiceCollection AddQuality(this IServiceCollection services, IConfiguration configuration)
    {
        _ = configuration;
        services.AddSingleton<SourceQualityReader>();
        return services;
    }

    public static RouteGroupBuilder MapQualityEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/quality").RequireAuthorization(Policies.Analyst).WithTags("Quality");
        group.MapGet("/", ReadAsync).WithName("GetDataQuality")
            .WithSummary("Per source: freshness, completeness per mapped field, quarantine rate of recent runs, conflicts with other sources (admin: all or ?department=; analyst: own department)")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return group;
    }

    private static async Task<Results<Ok<QualityReport>, ProblemHttpResult>> ReadAsync(string? department, ClaimsPrincipal user, SourceQualityReader reader,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!user.IsInRole(Roles.Admin))
        {
            var own = user.FindFirstValue(Claims.Department);
            if (own is null || (department is not null && department != own))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Another department's sources",
                    detail: "an analyst sees the data quality of their own department's sources only");
            }

            department = own;
        }

        var sources = await reader.ReadAsync(department, cancellationToken);
        return TypedResults.Ok(new QualityReport(clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
            department, SourceQualityReader.RecentRuns, sources));
    }
}

/// <summary>The quality of the sources the caller may see, as of now (Beijing time).</summary>
public sealed record QualityReport(string AsOf, string? Department, int RecentRuns, IReadOnlyList<SourceQuality> Sources);
