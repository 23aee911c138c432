using System.Net.Http.Json;
using System.Net;
using DataPool.Core.Identity;
using DataPool.Server.Identity;
using Microsoft.AspNetCore.Http;

namespace DataPool.Server.Tests.Identity;

/// <summary><c>/api/users</c>: an administrator creates users, disables them, and manages their keys.</summary>
[TestFixture]
public sealed class UserApiTests
{
    private ServerHost server = null!;
    private HttpClient admin = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        server = await ServerHost.StartAsync();
        admin = await server.ClientAsync(Roles.Admin, cookie: true);
    }

    [OneTimeTearDown]
    public async Task Stop() => await server.DisposeAsync();

    [Test]
    public async Task Create_a_worker_then_sign_in_as_them()
    {
        using var created = await admin.PostAsJsonAsync("/api/users",
            new NewUser("li-worker", "李工作者", Roles.Worker, "110101001003", null, "a-long-password"));

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        Assert.That(created.Headers.Location?.OriginalString, Is.EqualTo("/api/users/li-worker"));
        var user = await created.Content.ReadFromJsonAsync<UserAccount>();
        Assert.That((user!.Name, user.DisplayName, user.Role, user.Community, user.Disabled), Is.EqualTo(("li-worker", "李工作者", "worker", "110101001003", false)));
        Assert.That(await created.Content.ReadAsStringAsync(), Does.Not.Contain("password").IgnoreCase);

        var me = await (await server.LoginAsync("li-worker", "a-long-password")).GetFromJsonAsync<CurrentUser>("/api/auth/me");
        Assert.That(me!.Community, Is.EqualTo("110101001003"));
    }

    [Test]
    public async Task An_invalid_user_is_a_validation_problem_naming_each_field()
    {
        using var response = await admin.PostAsJsonAsync("/api/users", new NewUser("Bad Name", null, Roles.Worker, null, "civil-affairs", "short"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>();
        Assert.That(problem!.Errors.Keys, Is.EquivalentTo(new[] { "name", "community", "department", "password" }));
    }

    [Test]
    public async Task Analyst_with_department_community_worker_is_refused()
    {
        using var response = await admin.PostAsJsonAsync("/api/users", new NewUser("fake-worker", null, Roles.Analyst, null, "community-worker", "a-long-password"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>();
        Assert.That(problem!.Errors.Keys, Is.EquivalentTo(new[] { "department" }));
        Assert.That(problem.Errors["department"][0], Does.Contain("not a department"));
        Assert.That(await server.Users.FindAsync("fake-worker"), Is.Null);
    }

    [Test]
    public async Task An_analyst_of_an_unknown_department_is_refused_naming_the_departments()
    {
        using var response = await admin.PostAsJsonAsync("/api/users", new NewUser("tax-man", null, Roles.Analyst, null, "tax-bureau", "a-long-password"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>();
        Assert.That(problem!.Errors["department"][0], Does.Contain("civil-affairs").And.Not.Contain("community-worker,"));
    }

    [Test]
    public async Task A_taken_name_is_409()
    {
        await server.CreateUserAsync("taken", Roles.Admin);
        using var response = await admin.PostAsJsonAsync("/api/users", new NewUser("taken", null, Roles.Admin, null, null, "a-long-password"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        await ServerHost.ProblemAsync(response);
    }

    [Test]
    public async Task List_and_get_show_users_without_secrets()
    {
        await server.CreateUserAsync("listed", Roles.Analyst, department: "veterans-affairs");
        var users = await admin.GetFromJsonAsync<List<UserAccount>>("/api/users");
        Assert.That(users!.Select(u => u.Name), Does.Contain("listed"));
        Assert.That(await admin.GetStringAsync("/api/users"), Does.Not.Contain("hash").IgnoreCase);

        var one = await admin.GetFromJsonAsync<UserAccount>("/api/users/listed");
        Assert.That(one!.Department, Is.EqualTo("veterans-affairs"));
        using var missing = await admin.GetAsync("/api/users/nobody");
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Disable_stops_a_user_and_enable_lets_them_back()
    {
        await server.CreateUserAsync("toggled", Roles.Worker);
        using (var disabled = await admin.PostAsync("/api/users/toggled/disable", null))
        {
            Assert.That((await disabled.Content.ReadFromJsonAsync<UserAccount>())!.Disabled, Is.True);
        }

        using (var login = await server.CookieClient().PostAsJsonAsync("/api/auth/login", new LoginRequest("toggled", ServerHost.Password)))
        {
            Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        using (var enabled = await admin.PostAsync("/api/users/toggled/enable", null))
        {
            Assert.That((await enabled.Content.ReadFromJsonAsync<UserAccount>())!.Disabled, Is.False);
        }

        await server.LoginAsync("toggled");
    }

    [Test]
    public async Task An_admin_cannot_disable_themselves()
    {
        using var response = await admin.PostAsync("/api/users/t-admin/disable", null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
    }

    [Test]
    public async Task Keys_are_created_once_listed_by_prefix_and_revoked()
    {
        await server.CreateUserAsync("program", Roles.Analyst);
        using var created = await admin.PostAsync("/api/users/program/keys", null);
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var key = (await created.Content.ReadFromJsonAsync<NewApiKey>())!;
        Assert.That(key.Key, Does.StartWith($"dp_{key.Prefix}_"));

        var me = await server.WithKey(key.Key).GetFromJsonAsync<CurrentUser>("/api/auth/me");
        Assert.That(me!.Name, Is.EqualTo("program"));

        var listed = await admin.GetStringAsync("/api/users/program/keys");
        Assert.That(listed, Does.Contain(key.Prefix).And.Not.Contain(key.Key[12..]));
        var keys = await admin.GetFromJsonAsync<List<ApiKeyInfo>>("/api/users/program/keys");
        Assert.That(keys!.Single().RevokedAt, Is.Null);

        using var revoked = await admin.DeleteAsync($"/api/users/program/keys/{key.Prefix}");
        Assert.That(revoked.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        using var after = await server.WithKey(key.Key).GetAsync("/api/auth/me");
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        using var again = await admin.DeleteAsync($"/api/users/program/keys/{key.Prefix}");
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Keys_of_an_unknown_user_are_404()
    {
        using var response = await admin.PostAsync("/api/users/nobody/keys", null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        await ServerHost.ProblemAsync(response);
    }
}
