using System.Net.Http.Json;
using System.Net;
using DataPool.Core.Identity;
using DataPool.Server.Identity;

namespace DataPool.Server.Tests.Identity;

/// <summary>
/// <c>users add</c> and <c>keys create|list|revoke</c>, run as the real executable against the pool a running
/// server uses: a key printed by <c>keys create</c> works at once.
/// </summary>
[TestFixture]
public sealed class CommandLineTests
{
    private ServerHost server = null!;

    [OneTimeSetUp]
    public async Task Start() => server = await ServerHost.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await server.DisposeAsync();

    private Task<CliResult> RunAsync(params string[] args) => Cli.RunAsync([.. args, "--data", server.Folder]);

    [Test]
    public async Task Keys_create_prints_a_key_once_that_works()
    {
        await server.CreateUserAsync("cli-bot", Roles.Analyst, department: "human-resources");

        var result = await RunAsync("keys", "create", "--user", "cli-bot");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines, Has.Count.EqualTo(1), "the key alone on standard output");
        var key = result.StdoutLines[0];
        var me = await server.WithKey(key).GetFromJsonAsync<CurrentUser>("/api/auth/me");
        Assert.That((me!.Name, me.Department), Is.EqualTo(("cli-bot", "human-resources")));

        var list = await RunAsync("keys", "list", "--user", "cli-bot");
        Assert.That(list.ExitCode, Is.EqualTo(0), list.ToString());
        Assert.That(list.Stdout, Does.Contain(key[3..11]).And.Not.Contain(key[12..]), "listed by prefix, never the secret");

        var revoke = await RunAsync("keys", "revoke", "--user", "cli-bot", "--prefix", key[3..11]);
        Assert.That(revoke.ExitCode, Is.EqualTo(0), revoke.ToString());
        // Revoked by another process: the server's cache of matched keys lets it go within its lifetime.
        var (status, elapsed) = await ApiKeyCacheTests.UntilRefusedAsync(server.WithKey(key));
        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(elapsed, Is.LessThan(DataPool.Core.Identity.ApiKeys.CacheLifetime + TimeSpan.FromSeconds(2)));
    }

    [Test]
    public async Task Keys_create_for_an_unknown_user_exits_1()
    {
        var result = await RunAsync("keys", "create", "--user", "nobody");
        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stdout, Is.Empty);
        Assert.That(result.Stderr, Does.Contain("nobody"));
    }

    [Test]
    public async Task Keys_create_without_a_user_is_bad_usage()
    {
        var result = await RunAsync("keys", "create");
        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
    }

    [Test]
    public async Task Users_add_creates_a_user_who_can_sign_in()
    {
        var result = await RunAsync("users", "add", "--name", "cli-worker", "--role", "worker", "--community", "110101001002", "--password", "cli-password");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var me = await (await server.LoginAsync("cli-worker", "cli-password")).GetFromJsonAsync<CurrentUser>("/api/auth/me");
        Assert.That((me!.Role, me.Community), Is.EqualTo(("worker", "110101001002")));

        var again = await RunAsync("users", "add", "--name", "cli-worker", "--role", "worker", "--community", "110101001002", "--password", "cli-password");
        Assert.That(again.ExitCode, Is.EqualTo(1), "the name is taken: " + again);
    }

    [TestCase("--role", "worker", "--password", "long-enough")]                                // a worker without a community
    [TestCase("--role", "analyst", "--community", "110101001001", "--password", "long-enough")] // an analyst bound to a community
    [TestCase("--role", "boss", "--password", "long-enough")]                                  // no such role
    [TestCase("--role", "admin", "--password", "short")]                                       // too short a password
    [TestCase("--role", "admin")]                                                              // no password at all
    public async Task Users_add_with_a_bad_field_exits_2_naming_it(params string[] args)
    {
        var result = await RunAsync(["users", "add", "--name", "cli-bad", .. args]);
        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("--"), "the message names the option");
        Assert.That(await server.Users.FindAsync("cli-bad"), Is.Null);
    }

    [TestCase("community-worker", "grant of community workers")]
    [TestCase("tax-bureau", "civil-affairs")]
    public async Task Users_add_refuses_an_analyst_of_a_department_that_is_not_one(string department, string named)
    {
        var result = await RunAsync("users", "add", "--name", "cli-fake-dept", "--role", "analyst", "--department", department, "--password", "long-enough");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("--department").And.Contain(named));
        Assert.That(await server.Users.FindAsync("cli-fake-dept"), Is.Null);
    }

    [Test]
    public async Task Users_unlock_lifts_a_lock()
    {
        await server.CreateUserAsync("cli-locked", Roles.Analyst);
        for (var i = 0; i < LockoutPolicy.Default.Failures; i++)
        {
            (await server.CookieClient().PostAsJsonAsync("/api/auth/login", new LoginRequest("cli-locked", "wrong-" + i))).Dispose();
        }

        using (var locked = await server.CookieClient().PostAsJsonAsync("/api/auth/login", new LoginRequest("cli-locked", ServerHost.Password)))
        {
            Assert.That(locked.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        var result = await RunAsync("users", "unlock", "cli-locked");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        await server.LoginAsync("cli-locked");
        Assert.That((await RunAsync("users", "unlock", "nobody")).ExitCode, Is.EqualTo(1));
    }
}
