using System.Net;
using System.Net.Http.Json;
using DataPool.Server.Identity;

namespace DataPool.Server.Tests.Identity;

/// <summary>People sign in with name and password and get a session cookie; a failure never says which part was wrong.</summary>
[TestFixture]
public sealed class SignInTests
{
    private ServerHost server = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        server = await ServerHost.StartAsync();
        await server.CreateUserAsync("amy", Roles.Analyst, department: "health-commission");
    }

    [OneTimeTearDown]
    public async Task Stop() => await server.DisposeAsync();

    [Test]
    public async Task Login_sets_an_http_only_strict_cookie_and_answers_who_signed_in()
    {
        var client = server.CookieClient();
        using var response = await client.PostAsJsonAsync("/api/auth/login", new LoginRequest("amy", ServerHost.Password));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var me = await response.Content.ReadFromJsonAsync<CurrentUser>();
        Assert.That(me, Is.EqualTo(new CurrentUser("amy", "amy", Roles.Analyst, null, "health-commission", null)));
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("datapool.session=", StringComparison.Ordinal));
        Assert.That(cookie, Does.Contain("httponly").IgnoreCase.And.Contain("samesite=strict").IgnoreCase);
        Assert.That(cookie, Does.Not.Contain("secure;").IgnoreCase, "over plain http the cookie follows the request (SameAsRequest)");
    }

    [Test]
    public async Task The_cookie_identifies_the_caller_until_logout()
    {
        var client = await server.LoginAsync("amy");

        var me = await client.GetFromJsonAsync<CurrentUser>("/api/auth/me");
        Assert.That(me!.Name, Is.EqualTo("amy"));
        Assert.That(me.Department, Is.EqualTo("health-commission"));
        Assert.That(me.ApiKey, Is.Null);

        using var logout = await client.PostAsync("/api/auth/logout", null);
        Assert.That(logout.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        using var after = await client.GetAsync("/api/auth/me");
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCase("amy", "wrong-password")]
    [TestCase("nobody", ServerHost.Password)]
    public async Task A_failed_login_is_401_and_does_not_say_which_part_was_wrong(string name, string password)
    {
        var client = server.CookieClient();
        using var response = await client.PostAsJsonAsync("/api/auth/login", new LoginRequest(name, password));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var problem = await ServerHost.ProblemAsync(response);
        Assert.That(problem.Detail, Is.EqualTo("The name or the password is not right."));
        Assert.That(response.Headers.Contains("Set-Cookie"), Is.False);
    }

    [Test]
    public async Task A_login_without_a_password_is_a_validation_problem()
    {
        using var response = await server.Anonymous().PostAsJsonAsync("/api/auth/login", new LoginRequest("amy", null));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        await ServerHost.ProblemAsync(response);
    }

    [Test]
    public async Task A_forged_cookie_is_not_a_session()
    {
        var client = server.Anonymous();
        client.DefaultRequestHeaders.Add("Cookie", "datapool.session=CfDJ8forged");
        using var response = await client.GetAsync("/api/auth/me");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
