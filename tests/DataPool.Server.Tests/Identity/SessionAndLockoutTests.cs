using System.Net.Http.Json;
using System.Net;
using DataPool.Core.Identity;
using DataPool.Core.Store;
using DataPool.Server.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Server.Tests.Identity;

/// <summary>
/// Sessions end on the server (a security stamp), wrong passwords lock the account whatever address they come
/// from, and an administrator lifts the lock; on both stores.
/// </summary>
[TestFixture(StoreOptions.Sqlite)]
[TestFixture(StoreOptions.Postgres)]
public sealed class SessionAndLockoutTests(string store)
{
    private ServerHost server = null!;

    [OneTimeSetUp]
    public async Task Start() => server = await ServerHost.StartAsync(store);

    [OneTimeTearDown]
    public async Task Stop() => await server.DisposeAsync();

    [Test]
    public async Task Logout_revokes_the_cookie_server_side()
    {
        await server.CreateUserAsync("replayed", Roles.Analyst);
        var client = server.CookieClient();
        using var login = await client.PostAsJsonAsync("/api/auth/login", new LoginRequest("replayed", ServerHost.Password));
        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("datapool.session=", StringComparison.Ordinal)).Split(';')[0];
        var thief = server.Anonymous();
        thief.DefaultRequestHeaders.Add("Cookie", cookie);
        using (var before = await thief.GetAsync("/api/auth/me"))
        {
            Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a copy of the cookie works while the session lasts");
        }

        using (var logout = await client.PostAsync("/api/auth/logout", null))
        {
            Assert.That(logout.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }

        using var replay = await thief.GetAsync("/api/auth/me");
        Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the copy replayed after logout");
        await server.LoginAsync("replayed");
    }

    [Test]
    public async Task Disabling_a_user_revokes_their_cookie_for_good()
    {
        await server.CreateUserAsync("paused", Roles.Analyst);
        var client = await server.LoginAsync("paused");
        var admin = await server.ClientAsync(Roles.Admin);
        (await admin.PostAsync("/api/users/paused/disable", null)).Dispose();
        (await admin.PostAsync("/api/users/paused/enable", null)).Dispose();

        using var after = await client.GetAsync("/api/auth/me");
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "re-enabling does not revive old sessions");
    }

    [Test]
    public async Task Account_locks_after_repeated_failures_and_admin_unlocks()
    {
        await server.CreateUserAsync("guessed", Roles.Analyst);
        // Each guess from a client of its own: the lock is the account's, not an address's or a cookie jar's.
        for (var i = 0; i < LockoutPolicy.Default.Failures; i++)
        {
            using var wrong = await server.CookieClient().PostAsJsonAsync("/api/auth/login", new LoginRequest("guessed", "guess-" + i));
            Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        using (var locked = await server.CookieClient().PostAsJsonAsync("/api/auth/login", new LoginRequest("guessed", ServerHost.Password)))
        {
            Assert.That(locked.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the right password during the lock");
            Assert.That((await ServerHost.ProblemAsync(locked)).Detail, Is.EqualTo("The name or the password is not right."), "a lock does not tell that the name exists");
            Assert.That(locked.Headers.Contains("Set-Cookie"), Is.False);
        }

        Assert.That(await server.Services.GetRequiredService<AccountSecurity>().LockedUntilAsync("guessed"), Is.GreaterThan(DateTimeOffset.UtcNow.AddMinutes(14)));
        var worker = await server.ClientAsync(Roles.Worker);
        using (var refused = await worker.PostAsync("/api/users/guessed/unlock", null))
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "only an administrator unlocks");
        }

        var admin = await server.ClientAsync(Roles.Admin);
        using (var unlock = await admin.PostAsync("/api/users/guessed/unlock", null))
        {
            Assert.That(unlock.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        await server.LoginAsync("guessed");
        using var unknown = await admin.PostAsync("/api/users/nobody/unlock", null);
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task A_right_password_before_the_limit_clears_the_failures()
    {
        await server.CreateUserAsync("typo", Roles.Analyst);
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < LockoutPolicy.Default.Failures - 1; i++)
            {
                using var wrong = await server.CookieClient().PostAsJsonAsync("/api/auth/login", new LoginRequest("typo", "typo-" + i));
                Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            }

            await server.LoginAsync("typo");
        }
    }
}
