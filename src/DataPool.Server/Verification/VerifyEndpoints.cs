using DataPool.Core.Certificates;
using DataPool.Server.Api;
using DataPool.Server.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace DataPool.Server.Verification;

/// <summary>
/// <c>POST /api/verify</c> (analysts, admins): a department asks a yes/no question about a resident instead of asking
/// the community for a certificate. Answers carry no personal value; every question is audited with its purpose; a
/// user may ask <see cref="VerifyOptions.PerUserPerMinute"/> questions a minute, so the route cannot be used to sweep the
/// pool for who exists.
/// </summary>
public static class VerifyEndpoints
{
    public static IServiceCollection AddVerification(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ClaimVerifier>();
        services.AddOptions<VerifyOptions>().BindConfiguration(VerifyOptions.Section)
            .Validate(o => o.PerUserPerMinute >= 1, $"{VerifyOptions.Section}:PerUserPerMinute must be at least 1 (verification questions per user a minute)")
            .Validate(o => o.SerialChecksPerMinute >= 1, $"{VerifyOptions.Section}:SerialChecksPerMinute must be at least 1 (serial checks per address a minute)")
            .ValidateOnStart();
        services.AddKeyedSingleton(MinuteBudget.VerifyQuestions, (sp, _) => new MinuteBudget(sp.GetRequiredService<IOptions<VerifyOptions>>().Value.PerUserPerMinute));
        // A certificate serial is checked by anyone: a budget per client address keeps the check from being a serial scanner.
        services.AddKeyedSingleton(MinuteBudget.SerialChecks, (sp, _) => new MinuteBudget(sp.GetRequiredService<IOptions<VerifyOptions>>().Value.SerialChecksPerMinute));
        return services;
    }

    public static RouteGroupBuilder MapVerifyEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/verify").RequireAuthorization(Policies.Analyst).WithTags("Verification");
        group.MapPost("/", VerifyAsync).WithName("VerifyClaim")
            .WithSummary("A yes/no/unknown answer to a claim about a resident (lives in a community, is alive, child/spouse/parent of, receives 低保, disability grade at most G, registered unemployed, special-care recipient), with its as-of time and source; audited");
        group.MapGet("/claims", () => TypedResults.Ok(ClaimVerifier.Deciding.Select(c => new { claim = c.Key, entity = c.Value.Entity, fields = c.Value.Fields })))
            .WithName("ListClaims").WithSummary("The claims a department may ask, each with the pool fields its grant must cover");
        return group;
    }

    private static async Task<Results<Ok<ClaimAnswer>, ProblemHttpResult>> VerifyAsync(ClaimQuestion question, HttpContext http, ClaimVerifier verifier,
        [FromKeyedServices(MinuteBudget.VerifyQuestions)] MinuteBudget budget, CancellationToken cancellationToken)
    {
        var viewer = http.User.ToViewer();
        if (!budget.TryTake(viewer.Name))
        {
            http.Response.Headers.RetryAfter = "60";
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "提问过于频繁",
                detail: "too many verification questions this minute; wait and try again");
        }

        try
        {
            return TypedResults.Ok(await verifier.VerifyAsync(viewer, question, cancellationToken));
        }
        catch (ClaimRefusedException e)
        {
            return TypedResults.Problem(statusCode: e.Forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest,
                title: e.Forbidden ? "无权核验该事项" : "核验请求有误", detail: e.Message);
        }
    }
}
