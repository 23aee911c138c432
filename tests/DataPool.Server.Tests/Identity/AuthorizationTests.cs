using System.Net;
using System.Text.RegularExpressions;
using DataPool.Server.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Server.Tests.Identity;

/// <summary>Nothing is open by default: no credentials 401, the wrong role 403, and every route names who may call it.</summary>
[TestFixture]
public sealed partial class AuthorizationTests
{
    /// <summary>The only routes anyone may call.</summary>
    /// <summary>Open to anyone: health, the login, and the web UI's page shell on its client routes (a static page, no data).</summary>
    /// <summary>Open to anyone: health, signing in, the page shell, and checking a certificate's serial (valid or revoked, nothing personal).</summary>
    private static readonly string[] Open = ["/health", "/api/auth/login", "/api/certificates/verify/{serial}", .. DataPool.Server.WebUi.WebUiEndpoints.ClientRoutes];

    private ServerHost server = null!;

    [OneTimeSetUp]
    public async Task Start() => server = await ServerHost.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await server.DisposeAsync();

    [TestCase("GET", "/api/auth/me")]
    [TestCase("POST", "/api/auth/logout")]
    [TestCase("GET", "/api/users")]
    [TestCase("POST", "/api/users/admin/keys")]
    [TestCase("GET", "/no/such/route")]
    [TestCase("POST", "/api/sources/editor/samples")]
    [TestCase("POST", "/api/sources/editor/preview")]
    [TestCase("POST", "/api/sources/editor/suggestions")]
    [TestCase("GET", "/api/sources/editor/fields")]
    public async Task Without_credentials_every_route_but_the_open_ones_is_401(string method, string path)
    {
        using var response = await server.Anonymous().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.Location, Is.Null, "an API answers 401, it does not redirect");
        await ServerHost.ProblemAsync(response);
    }

    [Test]
    public async Task Health_is_open()
    {
        using var response = await server.Anonymous().GetAsync("/health");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase(Roles.Worker, false)]
    [TestCase(Roles.Worker, true)]
    [TestCase(Roles.Analyst, false)]
    [TestCase(Roles.Analyst, true)]
    public async Task Workers_and_analysts_get_403_from_admin_routes(string role, bool cookie)
    {
        var client = await server.ClientAsync(role, cookie: cookie);
        using var list = await client.GetAsync("/api/users");
        Assert.That(list.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(list.Headers.Location, Is.Null, "an API answers 403, it does not redirect");
        await ServerHost.ProblemAsync(list);

        using var key = await client.PostAsync("/api/users/t-admin/keys", null);
        Assert.That(key.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task An_admin_may_call_admin_routes(bool cookie)
    {
        var client = await server.ClientAsync(Roles.Admin, cookie: cookie);
        using var response = await client.GetAsync("/api/users");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public void Every_route_states_who_may_call_it()
    {
        var endpoints = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.That(endpoints, Is.Not.Empty);
        var silent = endpoints
            .Where(e => e.Metadata.GetMetadata<IAuthorizeData>() is null && e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .Select(e => $"{e.DisplayName} ({e.RoutePattern.RawText})")
            .ToList();
        Assert.That(silent, Is.Empty, "routes must name a policy (RequireAuthorization(Policies.X)) or be AllowAnonymous");

        // Static files (the API reference page's scripts and icon) carry no data and may be open.
        var open = endpoints
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(path => !StaticFile().IsMatch(path))
            .Distinct()
            .ToList();
        Assert.That(open, Is.SubsetOf(Open), "only /health, the login, the serial check and the web UI's page shell are open to anyone");
    }

    [Test]
    public async Task Policies_follow_the_roles()
    {
        var provider = server.Services.GetRequiredService<IAuthorizationPolicyProvider>();
        var admin = RolesOf(await provider.GetPolicyAsync(Policies.Admin));
        var worker = RolesOf(await provider.GetPolicyAsync(Policies.Worker));
        var analyst = RolesOf(await provider.GetPolicyAsync(Policies.Analyst));
        var fallback = await provider.GetFallbackPolicyAsync();
        Assert.Multiple(() =>
        {
            Assert.That(admin, Is.EquivalentTo(new[] { "admin" }));
            Assert.That(worker, Is.EquivalentTo(new[] { "worker", "admin" }));
            Assert.That(analyst, Is.EquivalentTo(new[] { "analyst", "admin" }));
            Assert.That(fallback, Is.Not.Null, "a route naming no policy still needs a signed-in user");
        });
    }

    [GeneratedRegex(@"^/[a-z0-9/_.-]+\.(js|css|svg|png|ico|woff2?)$")]
    private static partial Regex StaticFile();

    private static List<string> RolesOf(AuthorizationPolicy? policy) =>
        policy!.Requirements.OfType<Microsoft.AspNetCore.Authorization.Infrastructure.RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles).ToList();
}
