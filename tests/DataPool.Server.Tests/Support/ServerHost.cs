using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net;
using DataPool.Core.Identity;
using DataPool.Core.Store;
using DataPool.Server.Hosting;
using DataPool.Server.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Server.Tests;

/// <summary>
/// The real server (Kestrel on a free loopback port) in the test process, over a fresh pool of its own, with
/// helpers to make users and keys directly in the store and HTTP clients that call as them.
/// <code>
/// await using var server = await ServerHost.StartAsync();
/// using var response = await (await server.ClientAsync(Roles.Worker)).GetAsync("/api/users");   // 403
/// </code>
/// The rate limits are lifted (tests sign in often from one address) unless a setting says otherwise, and the
/// node runs no Hangfire workers (web-only) unless <c>--DataPool:Scheduling:Workers=N</c> is given.
/// </summary>
public sealed class ServerHost : IAsyncDisposable
{
    /// <summary>The password of every user the helper creates unless told otherwise.</summary>
    public const string Password = "test-password";

    /// <summary>The community and department the role clients are bound to unless told otherwise (the demo world's first community).</summary>
    public const string Community = "110101001001";
    public const string Department = "civil-affairs";

    private readonly List<HttpClient> _clients = [];
    private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal);
    private readonly string? _postgresDatabase;

    private ServerHost(WebApplication app, Uri baseAddress, string folder, string? postgresDatabase)
    {
        App = app;
        BaseAddress = baseAddress;
        Folder = folder;
        _postgresDatabase = postgresDatabase;
    }

    public WebApplication App { get; }

    /// <summary>Where the server listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A temporary folder of this server's own: the embedded pool's <c>--data</c> folder, removed on dispose.</summary>
    public string Folder { get; }

    public IServiceProvider Services => App.Services;

    public StoreOptions Store => Services.GetRequiredService<StoreOptions>();

    public UserAccounts Users => Services.GetRequiredService<UserAccounts>();

    public ApiKeys Keys => Services.GetRequiredService<ApiKeys>();

    /// <summary>
    /// Starts a server over a fresh pool: embedded SQLite, or with <paramref name="store"/> <c>postgres</c> a new
    /// database on the test PostgreSQL server. <paramref name="settings"/> are configuration arguments
    /// (<c>--DataPool:RateLimits:LoginPerMinute=3</c>) and win over the helper's own.
    /// </summary>
    public static async Task<ServerHost> StartAsync(string store = StoreOptions.Sqlite, params string[] settings)
    {
        var folder = Path.Combine(Path.GetTempPath(), "datapool-server-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var database = store == StoreOptions.Postgres ? await DataPool.Testing.PostgresServer.CreateDatabaseAsync() : null;
        return await StartInAsync(folder, store, database, settings);
    }

    /// <summary>Starts a server over the embedded pool an earlier command (<c>demo</c>) left in <paramref name="folder"/>; disposing it deletes the folder.</summary>
    public static Task<ServerHost> StartOverAsync(string folder, params string[] settings) => StartInAsync(folder, StoreOptions.Sqlite, null, settings);

    private static async Task<ServerHost> StartInAsync(string folder, string store, string? database, string[] settings)
    {
        var options = new StoreOptions { Provider = store, Connection = database, DataDirectory = folder };
        string[] args =
        [
            "--Logging:LogLevel:Default=Warning",
            "--DataPool:RateLimits:LoginPerMinute=100000",
            "--DataPool:RateLimits:FailedKeysPerMinute=100000",
            "--DataPool:Scheduling:Workers=0",
            .. settings,
        ];
        var app = ServerApp.Build(options, null, "http://127.0.0.1:0", args);
        await ServerApp.InitialiseAsync(app, CancellationToken.None);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new ServerHost(app, new Uri(address.TrimEnd('/') + "/"), folder, database);
    }

    /// <summary>Creates a user in the store (no HTTP); the binding defaults to the role's usual one.</summary>
    public async Task<UserAccount> CreateUserAsync(string name, string role, string? community = null, string? department = null, string password = Password)
    {
        var user = new NewUser(name, null, role, role == Roles.Worker ? community ?? Community : community,
            role == Roles.Analyst ? department ?? Department : department, password);
        var errors = user.Validate(Services.GetRequiredService<DataPool.Core.Access.AccessGrants>());
        Assert.That(errors, Is.Empty, $"test user '{name}' is not valid");
        return await Users.CreateAsync(user) ?? throw new InvalidOperationException($"user '{name}' exists already");
    }

    /// <summary>A new API key for the user, made in the store.</summary>
    public async Task<string> CreateKeyAsync(string userName) =>
        (await Keys.CreateAsync(userName) ?? throw new InvalidOperationException($"no user '{userName}'")).Key;

    /// <summary>A client without credentials.</summary>
    public HttpClient Anonymous() => Track(new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = BaseAddress });

    /// <summary>A client sending <c>X-Api-Key</c> on every request.</summary>
    public HttpClient WithKey(string key)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.Header, key);
        return client;
    }

    /// <summary>A client with a cookie jar of its own, not signed in yet.</summary>
    public HttpClient CookieClient() =>
        Track(new HttpClient(new HttpClientHandler { UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = BaseAddress });

    /// <summary>A cookie client signed in through <c>POST /api/auth/login</c>; fails the test when the sign-in does.</summary>
    public async Task<HttpClient> LoginAsync(string name, string password = Password)
    {
        var client = CookieClient();
        using var response = await client.PostAsJsonAsync("/api/auth/login", new LoginRequest(name, password));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"sign-in as '{name}': {await response.Content.ReadAsStringAsync()}");
        return client;
    }

    /// <summary>
    /// A client calling as a user of the role, bound to <paramref name="binding"/> (a worker's community, an analyst's
    /// department; defaults <see cref="Community"/>, <see cref="Department"/>). The user (<c>t-admin</c>,
    /// <c>t-worker-110101001001</c>, <c>t-analyst-civil-affairs</c>, …) is created on first use. By API key, or by
    /// session cookie when <paramref name="cookie"/> is set.
    /// </summary>
    public async Task<HttpClient> ClientAsync(string role, string? binding = null, bool cookie = false)
    {
        binding ??= role switch { Roles.Worker => Community, Roles.Analyst => Department, _ => null };
        var name = binding is null ? $"t-{role}" : $"t-{role}-{binding}";
        if (!_keys.TryGetValue(name, out var key))
        {
            await CreateUserAsync(name, role, role == Roles.Worker ? binding : null, role == Roles.Analyst ? binding : null);
            _keys[name] = key = await CreateKeyAsync(name);
        }

        return cookie ? await LoginAsync(name) : WithKey(key);
    }

    /// <summary>The ProblemDetails body of an error response.</summary>
    public static async Task<ProblemDetails> ProblemAsync(HttpResponseMessage response)
    {
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<ProblemDetails>())!;
    }

    /// <summary>An error body without its per-request trace id: what two answers must share to be indistinguishable.</summary>
    public static async Task<string> BodyWithoutTraceAsync(HttpResponseMessage response)
    {
        var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        body.Remove("traceId");
        return body.ToJsonString();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await App.StopAsync();
        await App.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (_postgresDatabase is not null)
        {
            await DataPool.Testing.PostgresServer.DropDatabaseAsync(_postgresDatabase);
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a background task; the temp folder is cleaned by the system.
        }
    }

    private HttpClient Track(HttpClient client)
    {
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _clients.Add(client);
        return client;
    }
}
