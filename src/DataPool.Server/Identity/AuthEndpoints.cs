using System.Globalization;
using System.Security.Claims;
using DataPool.Core.Households;
using DataPool.Core.Identity;
using DataPool.Core.Store;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataPool.Server.Identity;

public sealed record LoginRequest(string? Name, string? Password);

/// <summary><c>/api/auth</c>: sign in (anyone, rate-limited), sign out and who-am-I (any signed-in user).</summary>
public static class AuthEndpoints
{
    public static RouteGroupBuilder MapIdentityEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Identity").RequireAuthorization(Policies.Authenticated);
        group.MapPost("/login", LoginAsync)
            .AllowAnonymous()
            .RequireRateLimiting(RateLimits.Login)
            .WithSummary("Anyone (rate-limited per address; an account locks after repeated wrong passwords): sign in with name and password; sets the session cookie");
        group.MapPost("/logout", LogoutAsync).WithSummary("Any signed-in user: ends the session on the server (every cookie of the user stops working) and clears the cookie");
        group.MapGet("/me", MeAsync).WithSummary("Any signed-in user, by cookie or API key: who the caller is and what they are bound to");
        return group;
    }

    private static async Task<Results<Ok<CurrentUser>, ValidationProblem, ProblemHttpResult>> LoginAsync(
        LoginRequest request, AccountSecurity security, PoolDatabase database, HttpContext context, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Name) || string.IsNullOrEmpty(request.Password))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["credentials"] = ["give a name and a password"] });
        }

        var signedIn = await security.SignInAsync(request.Name, request.Password, cancellationToken);
        if (signedIn is null)
        {
            // One answer for an unknown name, a wrong password, a disabled and a locked account: it must not tell which.
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed", detail: "The name or the password is not right.");
        }

        var principal = signedIn.User.ToPrincipal(IdentitySetup.CookieScheme, stamp: signedIn.Stamp);
        await context.SignInAsync(IdentitySetup.CookieScheme, principal, new AuthenticationProperties { IsPersistent = false });
        return TypedResults.Ok(await NamedAsync(CurrentUser.From(principal), database, cancellationToken));
    }

    private static async Task<NoContent> LogoutAsync(HttpContext context, IAuthenticationService authentication, AccountSecurity security)
    {
        // Clearing the cookie alone leaves a copy of it valid until it expires; a new stamp revokes it on the server.
        if (long.TryParse(context.User.FindFirstValue(ClaimTypes.NameIdentifier), CultureInfo.InvariantCulture, out var userId))
        {
            await security.RevokeSessionsAsync(userId, context.RequestAborted);
        }

        await authentication.SignOutAsync(context, IdentitySetup.CookieScheme, null);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<CurrentUser>> MeAsync(HttpContext context, PoolDatabase database, CancellationToken cancellationToken) =>
        TypedResults.Ok(await NamedAsync(CurrentUser.From(context.User), database, cancellationToken));

    /// <summary>The caller with their community's name, so no screen shows the code alone.</summary>
    private static async Task<CurrentUser> NamedAsync(CurrentUser user, PoolDatabase database, CancellationToken cancellationToken) =>
        user with { CommunityName = await CommunityNames.OfAsync(database, user.Community, cancellationToken) };
}
