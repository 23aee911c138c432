using System.Net;
using System.Text;
using DataPool.Server.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Server.Tests.Identity;

/// <summary>
/// Every route × every role, allowed and denied, driven by one table: who may call each route family
/// (the contract), checked against what each route declares and against what the running server does.
/// A route added without an entry in the table fails here until someone decides who may call it.
/// </summary>
public sealed class RouteRoleTableTests
{
    private const string Anonymous = "anonymous";

    /// <summary>Route prefix → the roles allowed (most specific prefix wins).</summary>
    private static readonly (string Prefix, string[] Allowed)[] Table =
    [
        ("/health", [Anonymous, Roles.Worker, Roles.Analyst, Roles.Admin]),
        ("/api/auth/login", [Anonymous, Roles.Worker, Roles.Analyst, Roles.Admin]),
        ("/api/auth", [Roles.Worker, Roles.Analyst, Roles.Admin]),
        ("/api/users", [Roles.Admin]),
        ("/api/sources", [Roles.Admin]),
        ("/api/runs", [Roles.Admin]),
        ("/api/quarantine", [Roles.Admin]),
        ("/api/matches", [Roles.Admin]),
        // The query API, one record, export and explain: any role; the grant (schemas/access) and the worker's community decide what is shown.
        ("/api/pool", [Roles.Worker, Roles.Analyst, Roles.Admin]),
        ("/api/pool/person/999999/access-log", [Roles.Admin]),
        // GET /api/pool/{entity}/changes and /api/pool/household/{id}/members: any role; the grant and the community decide what is shown.
        ("/api/pool/no-such-thing/changes", [Roles.Worker, Roles.Analyst, Roles.Admin]),
        ("/api/pool/household/999999/members", [Roles.Worker, Roles.Analyst, Roles.Admin]),
        // Reports: analysts and admins; a roster is further limited to its department inside the handler.
        ("/api/reports", [Roles.Analyst, Roles.Admin]),
        // Data quality: admins every department; an analyst only their own department's sources (refused another inside the handler).
        ("/api/quality", [Roles.Analyst, Roles.Admin]),
        ("/api/forms", [Roles.Worker, Roles.Admin]),
        // Correction requests: listed for every role (scoped to the department, the community, or all); decided by the owning department's analysts and admins.
        ("/api/corrections", [Roles.Worker, Roles.Analyst, Roles.Admin]),
        ("/api/corrections/999999/accept", [Roles.Analyst, Roles.Admin]),
        ("/api/corrections/999999/reject", [Roles.Analyst, Roles.Admin]),
        ("/api/burden", [Roles.Worker, Roles.Analyst, Roles.Admin]),
        ("/api/form-requests", [Roles.Analyst, Roles.Admin]),
        // Approving a form request (adding fields to the unified form) is the admin's alone.
        ("/api/form-requests/999999/approve", [Roles.Admin]),
        // The list of issued certificates is the audit trail (admin); issuing one is a worker's job.
        ("/api/certificates", [Roles.Admin]),
        ("/api/certificates/", [Roles.Worker, Roles.Admin]),
        // Anyone holding a certificate can check its serial (valid or revoked; nothing personal); only an admin revokes one.
        ("/api/certificates/verify", [Anonymous, Roles.Worker, Roles.Analyst, Roles.Admin]),
        ("/api/certificates/no-such-thing/revoke", [Roles.Admin]),
        // Verification instead of certificates: a department's analysts (and admins) ask yes/no questions within their grant.
        ("/api/verify", [Roles.Analyst, Roles.Admin]),
        // The web UI's page shell on its client routes: a static page with no data; every value comes from the API.
        ("/login", [Anonymous, Roles.Worker, Roles.Analyst, Roles.Admin]),
        ("/dashboard", [Anonymous, Roles.Worker, Roles.Analyst, Roles.Admin]),
        ("/sources", [Anonymous, Roles.Worker, Roles.Analyst, Roles.Admin]),
        ("/runs/", [Anonymous, Roles.Worker, Roles.Analyst, Roles.Admin]),
        ("/quarantine", [Anonymous, Roles.Worker, Roles.Analyst, Roles.Admin]),
        ("/matches", [Anonymous, Roles.Worker, Roles.Analyst, Roles.Admin]),
        ("/reports", [Anonymous, Roles.Worker, Roles.Analyst, Roles.Admin]),
        ("/query", [Anonymous, Roles.Worker, Roles.Analyst, Roles.Admin]),
        ("/quality", [Anonymous, Roles.Worker, Roles.Analyst, Roles.Admin]),
        ("/hangfire", [Roles.Admin]),
        ("/openapi", [Roles.Worker, Roles.Analyst, Roles.Admin]),
        ("/scalar", [Roles.Worker, Roles.Analyst, Roles.Admin]),
    ];

    private static readonly string[] Everyone = [Anonymous, Roles.Worker, Roles.Analyst, Roles.Admin];

    private ServerHost _server = null!;
    private readonly Dictionary<string, HttpClient> _clients = [];

    [OneTimeSetUp]
    public async Task Start()
    {
        _server = await ServerHost.StartAsync();
        _clients[Anonymous] = _server.Anonymous();
        foreach (var role in new[] { Roles.Worker, Roles.Analyst, Roles.Admin })
        {
            _clients[role] = await _server.ClientAsync(role);
        }
    }

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    private static string[] AllowedFor(string path) =>
        Table.Where(t => path.StartsWith(t.Prefix, StringComparison.Ordinal)).OrderByDescending(t => t.Prefix.Length).Select(t => t.Allowed).FirstOrDefault()
        ?? throw new AssertionException($"route {path} is not in the route × role table: decide who may call it");

    private List<(string Method, string Path, RouteEndpoint Endpoint)> Routes() =>
        _server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => !StaticAsset(e.RoutePattern.RawText!))
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (m, Concrete(e.RoutePattern.RawText!), e)))
            .ToList();

    [Test]
    public void Every_route_declares_exactly_the_roles_of_the_table()
    {
        var provider = _server.Services.GetRequiredService<IAuthorizationPolicyProvider>();
        var mismatches = new List<string>();
        foreach (var (method, path, endpoint) in Routes())
        {
            var declared = Declared(endpoint, provider);
            var expected = AllowedFor(path).Order().ToArray();
            if (!declared.SequenceEqual(expected))
            {
                mismatches.Add($"{method} {endpoint.RoutePattern.RawText}: declares [{string.Join(", ", declared)}], the table says [{string.Join(", ", expected)}]");
            }
        }

        Assert.That(mismatches, Is.Empty);
    }

    [Test]
    public async Task Every_route_answers_every_role_as_the_table_says()
    {
        var routes = Routes();
        Assert.That(routes.Select(r => $"{r.Method} {r.Path}"), Does.Contain("POST /api/sources").And.Contain("POST /api/quarantine/999999/replay").And.Contain("GET /hangfire"));
        Assert.That(routes, Has.Count.GreaterThan(25), string.Join("\n", routes.Select(r => $"{r.Method} {r.Path} <- {r.Endpoint.RoutePattern.RawText}")));
        var wrong = new List<string>();
        foreach (var (method, path, _) in routes)
        {
            var allowed = AllowedFor(path);
            foreach (var role in Everyone)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT")
                {
                    request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                }

                using var response = await _clients[role].SendAsync(request);
                var denied = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
                var expectedDenial = role == Anonymous ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
                if (allowed.Contains(role) == denied || (denied && response.StatusCode != expectedDenial))
                {
                    wrong.Add($"{role,-9} {method} {path}: {(int)response.StatusCode} (should be {(allowed.Contains(role) ? "allowed" : ((int)expectedDenial).ToString())})");
                }
            }
        }

        Assert.That(wrong, Is.Empty);
    }

    /// <summary>The roles an endpoint lets in, from its metadata: AllowAnonymous, its policies, or the fallback (any signed-in user).</summary>
    private static string[] Declared(RouteEndpoint endpoint, IAuthorizationPolicyProvider provider)
    {
        if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return Everyone.Order().ToArray();
        }

        var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).Where(p => p is not null).ToList();
        var roles = new HashSet<string> { Roles.Worker, Roles.Analyst, Roles.Admin };
        foreach (var name in policies)
        {
            var policy = provider.GetPolicyAsync(name!).GetAwaiter().GetResult()!;
            var required = policy.Requirements.OfType<Microsoft.AspNetCore.Authorization.Infrastructure.RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles).ToHashSet();
            if (required.Count > 0)
            {
                roles.IntersectWith(required);
            }
        }

        return roles.Order().ToArray();
    }

    /// <summary>The API reference page's scripts and icons: files, no data.</summary>
    private static bool StaticAsset(string pattern)
    {
        pattern = pattern.TrimStart('/');
        return (pattern.Contains('.') && !pattern.Contains('{')) || (pattern.EndsWith("{**path}", StringComparison.Ordinal) && !pattern.StartsWith("hangfire", StringComparison.Ordinal));
    }

    /// <summary>A request path for a route pattern: route values become harmless placeholders.</summary>
    private static string Concrete(string pattern)
    {
        var path = "/" + pattern.TrimStart('/');
        path = System.Text.RegularExpressions.Regex.Replace(path, @"\{\*\*[^}]+\}", "");
        path = System.Text.RegularExpressions.Regex.Replace(path, @"\{[^}:]+:long\}|\{id:long\}", "999999");
        path = System.Text.RegularExpressions.Regex.Replace(path, @"\{[^}]+\}", "no-such-thing");
        return path.Length > 1 ? path.TrimEnd('/') : path;
    }
}
