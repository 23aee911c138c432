using System.Net;
using DataPool.Server.Api;
using DataPool.Server.Identity;
using static DataPool.Server.Tests.Sources.ApiSources;

namespace DataPool.Server.Tests.Sources;

/// <summary>Who may call the admin routes, errors as ProblemDetails, size limits, the OpenAPI document and the Scalar page.</summary>
[TestFixture]
public sealed class ApiPlatformTests
{
    private ServerHost _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await ServerHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [TestCase("GET", "/api/sources")]
    [TestCase("POST", "/api/sources")]
    [TestCase("GET", "/api/sources/cli-hukou")]
    [TestCase("POST", "/api/sources/cli-hukou/sync")]
    [TestCase("POST", "/api/sources/check")]
    [TestCase("GET", "/api/runs/1")]
    [TestCase("GET", "/api/quarantine")]
    [TestCase("POST", "/api/quarantine/1/dismiss")]
    public async Task Admin_routes_refuse_workers_and_analysts_and_ask_strangers_to_sign_in(string method, string path)
    {
        foreach (var role in new[] { Roles.Worker, Roles.Analyst })
        {
            var client = await _server.ClientAsync(role);
            using var forbidden = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonBody("{}") });
            Assert.That(forbidden.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), $"{role}: {method} {path}");
            await ServerHost.ProblemAsync(forbidden);
        }

        using var anonymous = await _server.Anonymous().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        await ServerHost.ProblemAsync(anonymous);
    }

    [Test]
    public async Task A_body_over_the_limit_is_refused_with_413()
    {
        var admin = await _server.ClientAsync(Roles.Admin);
        var huge = "{ \"id\": \"" + new string('a', (int)ApiPlatform.MaxJsonBodyBytes + 10) + "\" }";

        using var response = await admin.PostAsync("/api/sources", JsonBody(huge));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        await ServerHost.ProblemAsync(response);
    }

    [Test]
    public async Task Unreadable_json_is_a_problem_that_says_why()
    {
        var admin = await _server.ClientAsync(Roles.Admin);

        using var response = await admin.PostAsync("/api/quarantine/1/dismiss", JsonBody("{ reason: "));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await ServerHost.ProblemAsync(response)).Detail, Does.Contain("JSON"));
    }

    [Test]
    public async Task The_openapi_document_lists_the_routes_and_the_scalar_page_is_served_to_signed_in_users()
    {
        var analyst = await _server.ClientAsync(Roles.Analyst);

        var document = await analyst.GetStringAsync("/openapi/v1.json");
        using var scalar = await analyst.GetAsync("/scalar/");
        using var anonymous = await _server.Anonymous().GetAsync("/openapi/v1.json");

        Assert.That(document, Does.Contain("\"/api/sources/{id}/check\"").And.Contain("\"/api/quarantine/{id}/replay\"").And.Contain("\"/api/runs/{id}\""));
        Assert.That(document, Does.Contain("X-Api-Key"));
        Assert.That(scalar.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(scalar.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
