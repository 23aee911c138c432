using System.Text.Encodings.Web;
using DataPool.Core.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace DataPool.Server.Identity;

/// <summary>
/// Authenticates programs by the <c>X-Api-Key</c> header. An unknown, malformed or revoked key, or the key of a
/// disabled user, fails (401). Failures are counted per key prefix when the prefix names a key, else per address;
/// over the limit they answer 429 until the window passes. A valid key always works: failures of others, from
/// the same address or against the same prefix, never lock it out (its 32-byte secret is not guessable anyway).
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeys keys,
    [FromKeyedServices(Api.MinuteBudget.FailedApiKeys)] Api.MinuteBudget failures,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    /// <summary>Recording every use would write on every request; once a minute is enough to tell live keys from dead.</summary>
    private static readonly TimeSpan UseRecordingInterval = TimeSpan.FromMinutes(1);

    private static readonly object Blocked = new();

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values))
        {
            return AuthenticateResult.NoResult();
        }

        var attempt = values.Count == 1 ? await keys.AuthenticateAsync(values[0]!, Context.RequestAborted) : ApiKeyAttempt.Unknown;
        if (attempt.Match is not { } match)
        {
            var bucket = attempt.KnownPrefix is { } prefix ? "key:" + prefix : "address:" + RateLimits.ClientAddress(Context);
            if (failures.IsSpent(bucket))
            {
                Context.Items[Blocked] = true;
                return AuthenticateResult.Fail("too many failed API-key attempts");
            }

            failures.TryTake(bucket);
            return AuthenticateResult.Fail("unknown or revoked API key");
        }

        if (match.LastUsedAt is not { } last || clock.GetUtcNow() - last >= UseRecordingInterval)
        {
            // Off the request: on the embedded store a long sync holds the write lock, and the caller must not wait
            // for it (SQLite's async calls run synchronously, hence Task.Run).
            _ = Task.Run(() => RecordUseAsync(match.Prefix));
        }

        return AuthenticateResult.Success(new AuthenticationTicket(match.User.ToPrincipal(SchemeName, match.Prefix), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items.ContainsKey(Blocked))
        {
            await RateLimits.TooManyAsync(Context, RateLimits.Window, "Too many failed API-key attempts for this key or from this address; wait and try again.");
            return;
        }

        await base.HandleChallengeAsync(properties);
    }

    private async Task RecordUseAsync(string prefix)
    {
        try
        {
            await keys.RecordUseAsync(prefix);
        }
        catch (Exception e)
        {
            Logger.LogWarning(e, "could not record the use of API key {Prefix}", prefix);
        }
    }
}
