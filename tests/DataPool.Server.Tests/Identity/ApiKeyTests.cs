using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using DataPool.Server.Identity;

namespace DataPool.Server.Tests.Identity;

/// <summary>Programs send <c>X-Api-Key</c>: a per-user key, stored hashed, revocable, dead with its user.</summary>
[TestFixture]
public sealed partial class ApiKeyTests
{
    private ServerHost server = null!;

    [GeneratedRegex("^dp_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$")]
    private static partial Regex KeyShape();

    [OneTimeSetUp]
    public async Task Start() => server = await ServerHost.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await server.DisposeAsync();

    [Test]
    public async Task A_key_calls_as_its_user_with_the_users_binding()
    {
        await server.CreateUserAsync("wang", Roles.Worker, community: "110101001002");
        var key = await server.CreateKeyAsync("wang");
        Assert.That(key, Does.Match(KeyShape()));

        var me = await server.WithKey(key).GetFromJsonAsync<CurrentUser>("/api/auth/me");

        Assert.That(me, Is.EqualTo(new CurrentUser("wang", "wang", Roles.Worker, "110101001002", null, key[3..11])));
    }

    [Test]
    public async Task Only_a_hash_of_the_key_is_stored()
    {
        await server.CreateUserAsync("hash-check", Roles.Admin);
        var key = await server.CreateKeyAsync("hash-check");
        var secret = key[12..];

        var stored = PoolDb.Column(server.Folder, "dp_api_keys", "key_hash");
        Assert.That(stored, Has.None.Contains(secret));
        Assert.That(stored, Has.All.Match("^[0-9a-f]{64}$"));
    }

    [Test]
    public async Task A_revoked_key_is_refused()
    {
        await server.CreateUserAsync("revokee", Roles.Analyst);
        var key = await server.CreateKeyAsync("revokee");
        var client = server.WithKey(key);
        using (var before = await client.GetAsync("/api/auth/me"))
        {
            Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        Assert.That(await server.Keys.RevokeAsync("revokee", key[3..11]), Is.True);

        using var after = await client.GetAsync("/api/auth/me");
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        await ServerHost.ProblemAsync(after);
        Assert.That(await server.Keys.RevokeAsync("revokee", key[3..11]), Is.False, "a key is revoked once");
    }

    [TestCase("dp_00000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [TestCase("not-a-key")]
    [TestCase("")]
    public async Task An_unknown_or_malformed_key_is_refused(string key)
    {
        using var response = await server.WithKey(key).GetAsync("/api/auth/me");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task A_key_with_a_changed_secret_is_refused()
    {
        await server.CreateUserAsync("tamper", Roles.Admin);
        var key = await server.CreateKeyAsync("tamper");
        var forged = key[..^1] + (key[^1] == 'A' ? 'B' : 'A');

        using var response = await server.WithKey(forged).GetAsync("/api/auth/me");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task A_disabled_user_can_neither_sign_in_nor_use_a_key_nor_keep_a_session()
    {
        await server.CreateUserAsync("leaver", Roles.Worker);
        var key = await server.CreateKeyAsync("leaver");
        var session = await server.LoginAsync("leaver");

        await server.Users.SetDisabledAsync("leaver", disabled: true);

        using (var byKey = await server.WithKey(key).GetAsync("/api/auth/me"))
        {
            Assert.That(byKey.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "key");
        }

        using (var bySession = await session.GetAsync("/api/auth/me"))
        {
            Assert.That(bySession.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "existing session");
        }

        using var login = await server.CookieClient().PostAsJsonAsync("/api/auth/login", new LoginRequest("leaver", ServerHost.Password));
        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "new sign-in");

        await server.Users.SetDisabledAsync("leaver", disabled: false);
        using var again = await server.WithKey(key).GetAsync("/api/auth/me");
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK), "enabled again, the key works again");
    }

    [Test]
    public async Task Using_a_key_records_when_it_was_last_used()
    {
        await server.CreateUserAsync("user-of-keys", Roles.Admin);
        var key = await server.CreateKeyAsync("user-of-keys");
        Assert.That((await server.Keys.ListAsync("user-of-keys"))!.Single().LastUsedAt, Is.Null);

        using var response = await server.WithKey(key).GetAsync("/api/auth/me");

        // Recorded off the request path: give it a moment.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        DateTimeOffset? lastUsed = null;
        while (lastUsed is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            lastUsed = (await server.Keys.ListAsync("user-of-keys"))!.Single().LastUsedAt;
        }

        Assert.That(lastUsed, Is.Not.Null.And.GreaterThan(DateTimeOffset.UtcNow.AddMinutes(-1)));
    }

    [Test]
    public async Task The_key_header_wins_over_a_session_cookie()
    {
        await server.CreateUserAsync("both-a", Roles.Admin);
        await server.CreateUserAsync("both-b", Roles.Analyst);
        var client = await server.LoginAsync("both-a");
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, await server.CreateKeyAsync("both-b"));

        var me = await client.GetFromJsonAsync<CurrentUser>("/api/auth/me");
        Assert.That(me!.Name, Is.EqualTo("both-b"));
    }
}
