using System.Net;
using System.Net.Http.Json;
using DataPool.Server.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Server.Tests.Identity;

/// <summary>Sign-ins and failed API-key attempts are limited per client address; over the limit is 429 with Retry-After.</summary>
[TestFixture]
public sealed class RateLimitTests
{
    [Test]
    public async Task The_login_after_the_limit_is_429()
    {
        await using var server = await ServerHost.StartAsync(settings: "--DataPool:RateLimits:LoginPerMinute=3");
        await server.CreateUserAsync("eve", Roles.Admin);
        var client = server.CookieClient();
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await client.PostAsJsonAsync("/api/auth/login", new LoginRequest("eve", "guess-" + i));
            Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        using var limited = await client.PostAsJsonAsync("/api/auth/login", new LoginRequest("eve", ServerHost.Password));

        Assert.That(limited.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(limited.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
        Assert.That((await ServerHost.ProblemAsync(limited)).Status, Is.EqualTo(429));
        Assert.That(limited.Headers.Contains("Set-Cookie"), Is.False, "even the right password is not tried");
    }

    [Test]
    public void The_default_login_limit_is_ten_a_minute()
    {
        using var provider = Composition.Of([]);
        var limits = provider.GetRequiredService<RateLimits>();
        Assert.That((limits.LoginPerMinute, limits.FailedKeysPerMinute), Is.EqualTo((10, 20)));
    }

    [Test]
    public async Task Failed_keys_from_one_address_do_not_lock_out_a_valid_key()
    {
        await using var server = await ServerHost.StartAsync(settings: "--DataPool:RateLimits:FailedKeysPerMinute=3");
        await server.CreateUserAsync("busy-bot", Roles.Analyst);
        var good = await server.CreateKeyAsync("busy-bot");
        var prefix = good[3..11];
        for (var i = 0; i < 6; i++)
        {
            // Unknown keys, and the valid key's public prefix with a wrong secret, from the same address.
            (await server.WithKey($"dp_0000000{i}_guessguessguessguessguessguessguessguessgue").GetAsync("/api/auth/me")).Dispose();
            (await server.WithKey($"dp_{prefix}_guessguessguessguessguessguessguessguessgue").GetAsync("/api/auth/me")).Dispose();
        }

        using (var guessing = await server.WithKey($"dp_{prefix}_guessguessguessguessguessguessguessguessgue").GetAsync("/api/auth/me"))
        {
            Assert.That(guessing.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "wrong secrets for one prefix are limited");
        }

        using var valid = await server.WithKey(good).GetAsync("/api/auth/me");
        Assert.That(valid.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the valid key still works");
    }

    [Test]
    public async Task Failed_key_attempts_after_the_limit_are_429_and_other_routes_stay_limited()
    {
        await using var server = await ServerHost.StartAsync(settings: "--DataPool:RateLimits:FailedKeysPerMinute=3");
        await server.CreateUserAsync("bot", Roles.Analyst);
        var good = await server.CreateKeyAsync("bot");
        using (var ok = await server.WithKey(good).GetAsync("/api/auth/me"))
        {
            Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK), "successes do not count");
        }

        for (var i = 0; i < 3; i++)
        {
            using var bad = await server.WithKey($"dp_0000000{i}_guessguessguessguessguessguessguessguessgue").GetAsync("/api/auth/me");
            Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        using var limited = await server.WithKey("dp_00000009_guessguessguessguessguessguessguessguessgue").GetAsync("/api/users");

        Assert.That(limited.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(limited.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
        await ServerHost.ProblemAsync(limited);
        using var health = await server.Anonymous().GetAsync("/health");
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the address is not shut out of open routes");
    }
}
