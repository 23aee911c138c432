using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace DataPool.Server.Identity;

/// <summary>
/// How many sign-ins one client address may make per minute, and how many failed API-key attempts one key prefix
/// (or, for keys naming no key, one address) may make: options bound from <c>DataPool:RateLimits</c>
/// (<c>LoginPerMinute</c>, <c>FailedKeysPerMinute</c>; environment <c>DataPool__RateLimits__…</c>), each at least 1.
/// Both slow down guessing; behind a reverse proxy, forward the client address or every client shares one budget.
/// Wrong passwords also lock the account itself (<see cref="LockoutOptions"/>).
/// </summary>
public sealed class RateLimits
{
    public const string Section = "DataPool:RateLimits";

    /// <summary>The rate-limiting policy of the login endpoint.</summary>
    public const string Login = "login";

    public static readonly TimeSpan Window = Api.MinuteBudget.Window;

    /// <summary>Sign-ins one client address may make per minute.</summary>
    public int LoginPerMinute { get; set; } = 10;

    /// <summary>Failed API-key attempts one key prefix (or address) may make per minute.</summary>
    public int FailedKeysPerMinute { get; set; } = 20;

    public void Configure(RateLimiterOptions options)
    {
        options.AddPolicy(Login, context => RateLimitPartition.GetFixedWindowLimiter(ClientAddress(context), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = LoginPerMinute,
            Window = Window,
            QueueLimit = 0,
        }));
        options.OnRejected = (rejected, _) => TooManyAsync(
            rejected.HttpContext,
            rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : Window,
            "Too many requests of this kind from this address; wait and try again.");
    }

    public static string ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>429 with Retry-After and a ProblemDetails body.</summary>
    public static async ValueTask TooManyAsync(HttpContext context, TimeSpan retryAfter, string detail)
    {
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests", Detail = detail },
        });
    }
}
