using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using DataPool.Core.Identity;
using DataPool.Core.Store;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DataPool.Server.Identity;

/// <summary>
/// Who may call what: people sign in with a password and get a cookie (the web UI); programs send <c>X-Api-Key</c>.
/// Every route names a policy; a route that names none still requires a signed-in user (the fallback policy).
/// </summary>
public static class IdentitySetup
{
    /// <summary>The default scheme: the API-key scheme when the header is present, else the cookie.</summary>
    public const string Scheme = "DataPool";

    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;

    /// <summary>The users and keys tables and their stores: what the CLI verbs and the server both need.</summary>
    public static IServiceCollection AddDataPoolIdentity(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStoreInitializer, IdentityTables>());
        services.TryAddSingleton<CredentialChanges>();
        services.TryAddSingleton<UserAccounts>();
        services.TryAddSingleton<ApiKeys>();
        services.TryAddSingleton(LockoutPolicy.Default);
        services.TryAddSingleton<AccountSecurity>();
        return services;
    }

    /// <summary>Authentication (cookie, API key), the authorization policies, the rate limits and the sign-in lockout.</summary>
    public static IServiceCollection AddPoolIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimits>().BindConfiguration(RateLimits.Section)
            .Validate(o => o.LoginPerMinute >= 1, $"{RateLimits.Section}:LoginPerMinute must be at least 1 (sign-ins per address a minute)")
            .Validate(o => o.FailedKeysPerMinute >= 1, $"{RateLimits.Section}:FailedKeysPerMinute must be at least 1 (failed API keys per key a minute)")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<RateLimits>>().Value);
        services.AddOptions<LockoutOptions>().BindConfiguration(LockoutOptions.Section)
            .Validate(o => o.LockoutFailures >= 1, $"{LockoutOptions.Section}:LockoutFailures must be at least 1 (wrong passwords in a row that lock an account)")
            .Validate(o => o.LockoutMinutes > 0, $"{LockoutOptions.Section}:LockoutMinutes must be more than 0")
            .ValidateOnStart();
        // Before the identity's own default policy, which is only added when none is.
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<LockoutOptions>>().Value.Policy);
        services.AddDataPoolIdentity();
        // Failed API-key attempts per key prefix (or address): counted after the key was checked, consulted before.
        services.AddKeyedSingleton(Api.MinuteBudget.FailedApiKeys, (sp, _) => new Api.MinuteBudget(sp.GetRequiredService<RateLimits>().FailedKeysPerMinute));

        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Cookie or API key", options => options.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.Header) ? ApiKeyAuthenticationHandler.SchemeName : CookieScheme)
            .AddCookie(CookieScheme, options =>
            {
                options.Cookie.Name = "datapool.session";
                options.Cookie.HttpOnly = true;
                // Strict: the browser never sends the session on a cross-site request, which is the CSRF defence.
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                // The web UI is a single page calling the API: it wants status codes it can act on, not redirects.
                options.Events.OnRedirectToLogin = context => Status(context.Response, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => Status(context.Response, StatusCodes.Status403Forbidden);
                options.Events.OnValidatePrincipal = RefreshAsync;
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, "API key", null);

        var signedIn = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Authenticated, signedIn)
            .AddPolicy(Policies.Admin, policy => policy.RequireAuthenticatedUser().RequireRole(Roles.Admin))
            .AddPolicy(Policies.Worker, policy => policy.RequireAuthenticatedUser().RequireRole(Roles.Worker, Roles.Admin))
            .AddPolicy(Policies.Analyst, policy => policy.RequireAuthenticatedUser().RequireRole(Roles.Analyst, Roles.Admin))
            .SetDefaultPolicy(signedIn)
            .SetFallbackPolicy(signedIn);

        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<RateLimits>((options, limits) => limits.Configure(options));
        return services;
    }

    /// <summary>The middleware, in order: who is calling, how often, then may they.</summary>
    public static WebApplication UsePoolIdentity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }

    /// <summary>
    /// Each request re-reads the user behind the cookie, so disabling a user ends their sessions at once
    /// and a changed community or department applies without signing in again. The cookie's security stamp must
    /// equal the stored one: logout and disabling change it, so a copied cookie replayed later is refused.
    /// </summary>
    private static async Task RefreshAsync(CookieValidatePrincipalContext context)
    {
        var name = context.Principal?.Identity?.Name;
        var id = context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var stamp = context.Principal?.FindFirstValue(Claims.SecurityStamp);
        var session = name is null || stamp is null
            ? null
            : await context.HttpContext.RequestServices.GetRequiredService<AccountSecurity>().SessionAsync(name, context.HttpContext.RequestAborted);
        var user = session?.User;
        if (user is null || user.Disabled || user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) != id
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(session!.Stamp), Encoding.UTF8.GetBytes(stamp!)))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme);
            return;
        }

        context.ReplacePrincipal(user.ToPrincipal(CookieScheme, stamp: session.Stamp));
    }

    private static Task Status(HttpResponse response, int status)
    {
        response.Headers.Location = default;
        response.StatusCode = status;
        return Task.CompletedTask;
    }
}
