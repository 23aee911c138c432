using System.Net;
using System.Security.Claims;
using DataPool.Server.Identity;
using DataPool.Server.Scheduling;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Server.Tests.Scheduling;

/// <summary>Hangfire's dashboard at <c>/hangfire</c>: administrators only, never anonymous.</summary>
[TestFixture]
public sealed class DashboardTests
{
    private ServerHost server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => server = await ServerHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await server.DisposeAsync();

    [TestCase("/hangfire")]
    [TestCase("/hangfire/recurring")]
    [TestCase("/hangfire/jobs/failed")]
    public async Task The_dashboard_refuses_an_anonymous_request(string path)
    {
        using var response = await server.Anonymous().GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task The_dashboard_refuses_anonymous_commands()
    {
        using var response = await server.Anonymous().PostAsync("/hangfire/recurring/trigger", new FormUrlEncodedContent([new("jobs[]", "sync:x")]));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCase(Roles.Worker, false)]
    [TestCase(Roles.Analyst, false)]
    [TestCase(Roles.Analyst, true)]
    public async Task The_dashboard_refuses_signed_in_users_who_are_not_admins(string role, bool cookie)
    {
        using var response = await (await server.ClientAsync(role, cookie: cookie)).GetAsync("/hangfire");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task The_dashboard_opens_for_an_admin(bool cookie)
    {
        var admin = await server.ClientAsync(Roles.Admin, cookie: cookie);

        using var page = await admin.GetAsync("/hangfire/recurring");

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var html = await page.Content.ReadAsStringAsync();
        Assert.That(html, Does.Contain("DataPool jobs"));
        Assert.That(html, Does.Not.Contain(server.Folder), "the storage's location stays off the page");
    }

    /// <summary>The dashboard's own check, behind the route's policy: the same rule, whatever reaches it.</summary>
    [Test]
    public async Task The_dashboard_filter_admits_admins_only()
    {
        var filter = new AdminDashboardFilter();

        Assert.Multiple(async () =>
        {
            Assert.That(await filter.AuthorizeAsync(Context(User(Roles.Admin))), Is.True, "admin");
            Assert.That(await filter.AuthorizeAsync(Context(User(Roles.Worker))), Is.False, "worker");
            Assert.That(await filter.AuthorizeAsync(Context(User(Roles.Analyst))), Is.False, "analyst");
            Assert.That(await filter.AuthorizeAsync(Context(new ClaimsPrincipal(new ClaimsIdentity()))), Is.False, "anonymous");
        });
    }

    private static ClaimsPrincipal User(string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "someone"), new Claim(ClaimTypes.Role, role)], authenticationType: "test"));

    private AspNetCoreDashboardContext Context(ClaimsPrincipal user) =>
        new(server.Services.GetRequiredService<JobStorage>(), new DashboardOptions(), new DefaultHttpContext { User = user, RequestServices = server.Services });
}
