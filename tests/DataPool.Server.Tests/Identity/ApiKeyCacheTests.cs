using System.Diagnostics;
using System.Net;
using DataPool.Core.Identity;
using DataPool.Core.Store;
using DataPool.Server.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Server.Tests.Identity;

/// <summary>
/// Matched API keys are remembered for <see cref="ApiKeys.CacheLifetime"/>: a key just used must still stop working
/// at once when this server revokes it or disables its user, within the lifetime when another process does, and the
/// remembered key must not let a forged secret with the same prefix through.
/// </summary>
[TestFixture]
public sealed class ApiKeyCacheTests
{
    private ServerHost _server = null!;

    [OneTimeSetUp]
    public async Task Start() => _server = await ServerHost.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    [Test]
    public async Task A_key_just_used_is_refused_at_once_when_its_user_is_disabled()
    {
        await _server.CreateUserAsync("busy-leaver", Roles.Analyst);
        var client = _server.WithKey(await _server.CreateKeyAsync("busy-leaver"));
        await AssertStatusAsync(client, HttpStatusCode.OK, "before");

        await _server.Users.SetDisabledAsync("busy-leaver", disabled: true);

        await AssertStatusAsync(client, HttpStatusCode.Unauthorized, "the next request after disabling");
    }

    [Test]
    public async Task A_key_just_used_is_refused_at_once_when_revoked_here()
    {
        await _server.CreateUserAsync("busy-revokee", Roles.Analyst);
        var key = await _server.CreateKeyAsync("busy-revokee");
        var client = _server.WithKey(key);
        await AssertStatusAsync(client, HttpStatusCode.OK, "before");

        Assert.That(await _server.Keys.RevokeAsync("busy-revokee", key[3..11]), Is.True);

        await AssertStatusAsync(client, HttpStatusCode.Unauthorized, "the next request after revoking");
    }

    [Test]
    public async Task A_key_revoked_by_another_process_is_refused_within_the_cache_lifetime()
    {
        await _server.CreateUserAsync("remote-revokee", Roles.Analyst);
        var key = await _server.CreateKeyAsync("remote-revokee");
        var client = _server.WithKey(key);
        await AssertStatusAsync(client, HttpStatusCode.OK, "before");

        // As the command line or another node would: straight in the store, unseen by this server's ApiKeys.
        await using (var connection = await _server.Services.GetRequiredService<PoolDatabase>().OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE dp_api_keys SET revoked_at = '2020-01-01T00:00:00Z' WHERE prefix = @p", null, default, ("@p", key[3..11]));
        }

        var (status, elapsed) = await UntilRefusedAsync(client);

        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized), "the revocation never applied");
        Assert.That(elapsed, Is.LessThan(ApiKeys.CacheLifetime + TimeSpan.FromSeconds(2)), "applied only after the cache lifetime");
    }

    /// <summary>
    /// Calls as the key until it is refused, for at most three cache lifetimes: a revocation made by another process
    /// reaches this server's cache within one. Returns the last status and how long it took.
    /// </summary>
    internal static async Task<(HttpStatusCode Status, TimeSpan Elapsed)> UntilRefusedAsync(HttpClient client)
    {
        var clock = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            using var response = await client.GetAsync("/api/auth/me");
            status = response.StatusCode;
            if (status == HttpStatusCode.OK)
            {
                await Task.Delay(100);
            }
        }
        while (status == HttpStatusCode.OK && clock.Elapsed < ApiKeys.CacheLifetime * 3);

        return (status, clock.Elapsed);
    }

    [Test]
    public async Task A_forged_secret_is_refused_while_the_real_key_is_remembered()
    {
        await _server.CreateUserAsync("cached-owner", Roles.Admin);
        var key = await _server.CreateKeyAsync("cached-owner");
        await AssertStatusAsync(_server.WithKey(key), HttpStatusCode.OK, "the real key");

        var forged = key[..^1] + (key[^1] == 'A' ? 'B' : 'A');

        await AssertStatusAsync(_server.WithKey(forged), HttpStatusCode.Unauthorized, "same prefix, another secret");
        await AssertStatusAsync(_server.WithKey(key), HttpStatusCode.OK, "the real key still works");
    }

    private static async Task AssertStatusAsync(HttpClient client, HttpStatusCode expected, string what)
    {
        using var response = await client.GetAsync("/api/auth/me");
        Assert.That(response.StatusCode, Is.EqualTo(expected), what);
    }
}
