using System.Globalization;
using System.Threading.RateLimiting;
using DataPool.Core.Identity;
using Microsoft.AspNetCore.RateLimiting;

namespace DataPool.Server.Identity;

/// <summary>
/// How many sign-ins one client address may make per minute, and how many failed API-key attempts one key prefix
/// (or, for keys naming no key, one address) may make (configuration <c>DataPool:RateLimits:LoginPerMinute</c> and
/// <c>…:FailedKeysPerMinute</c>). Both slow down guessing; behind a reverse proxy, forward the client address or
/// every client shares one budget. Wrong passwords also lock the account itself (<see cref="LockoutPolicy"/>).
/// </summary>
public sealed record RateLimits(int LoginPerMinute, int FailedKeysPerMinute)
{
    /// <summary>The rate-limiting policy of the login endpoint.</summary>
    public const string Login = "login";

    public static readonly TimeSpan Window = Api.MinuteBudget.Window;

    public static RateLimits From(IConfiguration configuration) => new(
        configuration.GetValue("DataPool:RateLimits:LoginPerMinute", 10),
        configuration.GetValue("DataPool:RateLimits:FailedKeysPerMinute", 20));

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
