using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DataPool.Demo.Simulator;

/// <summary>
/// A stand-in for the health commission's legacy REST API (family doctor contracts), served from
/// <c>seeds/health/contracts.json</c> so <c>demo</c> and the tests have a real paginated JSON API on loopback:
/// <code>
/// GET /api/contracts?page=1&amp;size=100            {"page":1,"size":100,"total":N,"data":[…]}
/// GET /api/contracts/offset?offset=0&amp;limit=100   {"result":{"offset":0,"limit":100,"total":N,"items":[…]}}
/// GET /api/contracts/cursor?cursor=…&amp;limit=100   {"data":[…],"next_cursor":"…"|null}
/// GET /api/contracts/link?page=1&amp;size=100        {"data":[…],"links":{"next":"/api/contracts/link?page=2&amp;size=100"|null}} + Link: &lt;…&gt;; rel="next"
/// </code>
/// Every request needs <c>Authorization: Bearer &lt;token&gt;</c>; sizes are capped at 500 like real APIs do.
/// </summary>
public static class LegacySimulator
{
    /// <summary>The token used when none is given and HEALTH_TOKEN is not set.</summary>
    public const string DemoToken = "demo-health-token";

    /// <summary>The environment variable the demo's health.source.json reads the token from.</summary>
    public const string TokenVariable = "HEALTH_TOKEN";

    /// <summary>The largest page the API hands out, whatever size is asked.</summary>
    public const int MaxPageSize = 500;

    /// <summary>
    /// Starts the simulator on <paramref name="urls"/> (e.g. <c>http://127.0.0.1:0</c> for any free port) with
    /// the records of <c>{seedsFolder}/health/contracts.json</c>. The token is <paramref name="token"/>, else the
    /// HEALTH_TOKEN environment variable, else <see cref="DemoToken"/>.
    /// </summary>
    public static SimulatorHandle Start(string seedsFolder, string urls, SimulatorFaults faults, string? token = null) =>
        StartAsync(seedsFolder, urls, faults, token).GetAwaiter().GetResult();

    public static async Task<SimulatorHandle> StartAsync(string seedsFolder, string urls, SimulatorFaults faults, string? token = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(seedsFolder);
        ArgumentException.ThrowIfNullOrWhiteSpace(urls);
        ArgumentNullException.ThrowIfNull(faults);
        var file = Path.Combine(Path.GetFullPath(seedsFolder), "health", "contracts.json");
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"the simulator serves {file}, which is not there", file);
        }

        JsonElement[] records;
        await using (var stream = File.OpenRead(file))
        {
            using var document = await JsonDocument.ParseAsync(stream, default, cancellationToken);
            records = document.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
        }

        token ??= Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : DemoToken;
        var state = new SimulatorState(records, token, faults);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = Path.GetDirectoryName(file), Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(urls);
        var app = builder.Build();
        app.Use(state.GuardAsync);
        app.MapGet("/api/contracts", (HttpContext c) => state.PageAsync(c));
        app.MapGet("/api/contracts/offset", (HttpContext c) => state.OffsetAsync(c));
        app.MapGet("/api/contracts/cursor", (HttpContext c) => state.CursorAsync(c));
        app.MapGet("/api/contracts/link", (HttpContext c) => state.LinkAsync(c));
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("the simulator has no address");
        return new SimulatorHandle(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)), state);
    }
}

/// <summary>A running simulator: its address, its token, the requests it saw; dispose to stop it.</summary>
public sealed class SimulatorHandle : IAsyncDisposable, IDisposable
{
    private readonly WebApplication _app;
    private readonly SimulatorState _state;

    internal SimulatorHandle(WebApplication app, Uri address, SimulatorState state)
    {
        _app = app;
        Address = address;
        _state = state;
    }

    /// <summary>The bound address, e.g. <c>http://127.0.0.1:5099</c> (no trailing slash).</summary>
    public Uri Address { get; }

    /// <summary><see cref="Address"/> as a base URL string without a trailing slash.</summary>
    public string BaseUrl => Address.GetLeftPart(UriPartial.Authority);

    /// <summary>The bearer token the simulator accepts.</summary>
    public string Token => _state.Token;

    /// <summary>How many records it serves.</summary>
    public int RecordCount => _state.Records.Length;

    /// <summary>The faults in force; setting them resets the FailFirst/ThrottleFirst counters.</summary>
    public SimulatorFaults Faults
    {
        get => _state.Faults;
        set => _state.SetFaults(value);
    }

    /// <summary>Every request received, in order of arrival.</summary>
    public IReadOnlyList<SimulatorRequest> Requests => _state.Log.ToArray();

    public void ClearRequests() => _state.Log.Clear();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}

/// <summary>One request the simulator received.</summary>
/// <param name="Elapsed">Time since the simulator started, when the request arrived.</param>
/// <param name="PathAndQuery">e.g. <c>/api/contracts?page=2&amp;size=100</c>.</param>
/// <param name="Authorization">The Authorization header as received (tests check it was sent), null when absent.</param>
public sealed record SimulatorRequest(TimeSpan Elapsed, string PathAndQuery, string? Authorization)
{
    /// <summary>The status answered (0 while still being answered).</summary>
    public int Status { get; internal set; }
}

internal sealed class SimulatorState(JsonElement[] records, string token, SimulatorFaults faults)
{
    private static readonly JsonWriterOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private Random _random = new(faults.Seed);
    private int _passed;

    public JsonElement[] Records { get; } = records;

    public string Token { get; } = token;

    public SimulatorFaults Faults { get; private set; } = faults;

    public ConcurrentQueue<SimulatorRequest> Log { get; } = new();

    public void SetFaults(SimulatorFaults value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            Faults = value;
            _random = new Random(value.Seed);
            _passed = 0;
        }
    }

    public async Task GuardAsync(HttpContext context, RequestDelegate next)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        var entry = new SimulatorRequest(_clock.Elapsed, context.Request.Path + context.Request.QueryString, authorization.Length == 0 ? null : authorization);
        Log.Enqueue(entry);
        var faults = Faults;
        if (faults.Latency > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(faults.Latency, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                entry.Status = 499;
                return;
            }
        }

        if (!string.Equals(authorization, "Bearer " + Token, StringComparison.Ordinal))
        {
            entry.Status = 401;
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await context.Response.WriteAsJsonAsync(new { error = "unauthorized", message = "a valid Bearer token is required" });
            return;
        }

        int? fault = null;
        lock (_gate)
        {
            var n = ++_passed;
            if (n <= faults.FailFirst)
            {
                fault = faults.ErrorStatus;
            }
            else if (n <= faults.FailFirst + faults.ThrottleFirst)
            {
                fault = 429;
            }
            else if (faults.ErrorRate > 0 && _random.NextDouble() < faults.ErrorRate)
            {
                fault = faults.ErrorStatus;
            }
            else if (faults.TooManyRate > 0 && _random.NextDouble() < faults.TooManyRate)
            {
                fault = 429;
            }
        }

        if (fault is { } status)
        {
            entry.Status = status;
            context.Response.StatusCode = status;
            if (status == 429)
            {
                context.Response.Headers.RetryAfter = faults.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            }

            await context.Response.WriteAsJsonAsync(new { error = status == 429 ? "too many requests" : "internal error" });
            return;
        }

        await next(context);
        entry.Status = context.Response.StatusCode;
    }

    public Task PageAsync(HttpContext c)
    {
        var size = Size(c, "size");
        var page = Math.Max(1, Int(c, "page", 1));
        var start = (long)(page - 1) * size;
        return WriteAsync(c, w =>
        {
            w.WriteNumber("page", page);
            w.WriteNumber("size", size);
            w.WriteNumber("total", Records.Length);
            Items(w, "data", start, size);
        });
    }

    public Task OffsetAsync(HttpContext c)
    {
        var limit = Size(c, "limit");
        var offset = Math.Max(0, Int(c, "offset", 0));
        return WriteAsync(c, w =>
        {
            w.WriteStartObject("result");
            w.WriteNumber("offset", offset);
            w.WriteNumber("limit", limit);
            w.WriteNumber("total", Records.Length);
            Items(w, "items", offset, limit);
            w.WriteEndObject();
        });
    }

    public Task CursorAsync(HttpContext c)
    {
        var limit = Size(c, "limit");
        var start = 0;
        if (c.Request.Query["cursor"].ToString() is { Length: > 0 } cursor)
        {
            try
            {
                var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
                start = text.StartsWith("after:", StringComparison.Ordinal) ? int.Parse(text[6..], CultureInfo.InvariantCulture) : throw new FormatException();
            }
            catch (FormatException)
            {
                c.Response.StatusCode = 400;
                return c.Response.WriteAsJsonAsync(new { error = "bad cursor" });
            }
        }

        var end = Math.Min(Records.Length, start + limit);
        return WriteAsync(c, w =>
        {
            Items(w, "data", start, limit);
            if (end < Records.Length)
            {
                w.WriteString("next_cursor", Convert.ToBase64String(Encoding.UTF8.GetBytes($"after:{end}")));
            }
            else
            {
                w.WriteNull("next_cursor");
            }
        });
    }

    public Task LinkAsync(HttpContext c)
    {
        var size = Size(c, "size");
        var page = Math.Max(1, Int(c, "page", 1));
        var start = (long)(page - 1) * size;
        string? next = start + size < Records.Length ? $"/api/contracts/link?page={page + 1}&size={size}" : null;
        if (next is not null)
        {
            c.Response.Headers.Append("Link", $"<{c.Request.Scheme}://{c.Request.Host}{next}>; rel=\"next\"");
        }

        return WriteAsync(c, w =>
        {
            Items(w, "data", start, size);
            w.WriteStartObject("links");
            w.WriteString("self", $"/api/contracts/link?page={page}&size={size}");
            if (next is null)
            {
                w.WriteNull("next");
            }
            else
            {
                w.WriteString("next", next);
            }

            w.WriteEndObject();
        });
    }

    private void Items(Utf8JsonWriter w, string name, long start, int count)
    {
        w.WriteStartArray(name);
        for (var i = start; i < Records.Length && i < start + count; i++)
        {
            Records[i].WriteTo(w);
        }

        w.WriteEndArray();
    }

    private static async Task WriteAsync(HttpContext c, Action<Utf8JsonWriter> body)
    {
        c.Response.ContentType = "application/json; charset=utf-8";
        using var buffer = new MemoryStream();
        await using (var w = new Utf8JsonWriter(buffer, Json))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(c.Response.Body, c.RequestAborted);
    }

    private static int Size(HttpContext c, string name) => Math.Clamp(Int(c, name, 100), 1, LegacySimulator.MaxPageSize);

    private static int Int(HttpContext c, string name, int fallback) =>
        int.TryParse(c.Request.Query[name].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
