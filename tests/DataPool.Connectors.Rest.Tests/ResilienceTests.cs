using System.Text.Json.Nodes;
using DataPool.Abstractions;
using DataPool.Demo.Simulator;
using Microsoft.Extensions.DependencyInjection;
using static DataPool.Connectors.Rest.Tests.RestTestKit;

namespace DataPool.Connectors.Rest.Tests;

/// <summary>Retries, give-up, timeouts, the rate limit and the Authorization header, against injected faults.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ResilienceTests
{
    private const int Records = 25;
    private SimulatorHandle _simulator = null!;
    private ServiceProvider _services = null!;
    private IConnector Reader => RestTestKit.Connector(_services); // owned by _services
    private string _seeds = null!;

    [OneTimeSetUp]
    public async Task StartSimulator()
    {
        _seeds = SmallSeeds(Records);
        _simulator = await LegacySimulator.StartAsync(_seeds, "http://127.0.0.1:0", SimulatorFaults.None, "s3cret-token-value");
        _services = Services();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _simulator.DisposeAsync();
        await _services.DisposeAsync();
        Directory.Delete(_seeds, recursive: true);
    }

    [SetUp]
    public void Reset()
    {
        _simulator.Faults = SimulatorFaults.None;
        _simulator.ClearRequests();
    }

    private ConnectorContext Paged(int size = 10, Action<JsonObject>? tweak = null)
    {
        var settings = Settings(_simulator, "/api/contracts", "$.data", new JsonObject { ["style"] = "page", ["size"] = size });
        tweak?.Invoke(settings);
        return Context(settings);
    }

    [Test]
    public async Task A_500_is_retried_and_every_record_still_read_once()
    {
        _simulator.Faults = new SimulatorFaults { FailFirst = 2 };
        var rows = await ReadAllAsync(Reader, Paged());

        Assert.That(rows.Select(r => r["contract_no"]), Is.EqualTo(Enumerable.Range(1, Records).Select(i => $"C{i:D4}")));
        Assert.That(_simulator.Requests.Select(r => r.Status), Is.EqualTo(new[] { 500, 500, 200, 200, 200, 200 }));
    }

    [Test]
    public async Task A_429_waits_for_its_Retry_After()
    {
        _simulator.Faults = new SimulatorFaults { ThrottleFirst = 1, RetryAfterSeconds = 1 };
        var rows = await ReadAllAsync(Reader, Paged(size: 50));

        Assert.That(rows, Has.Count.EqualTo(Records));
        var requests = _simulator.Requests;
        Assert.That(requests.Select(r => r.Status), Is.EqualTo(new[] { 429, 200, 200 }));
        Assert.That(requests[1].Elapsed - requests[0].Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(950)),
            "the retry waited for Retry-After: 1 and not the 10 ms backoff");
    }

    [Test]
    public void A_source_that_stays_down_gives_up_with_a_clear_error()
    {
        _simulator.Faults = new SimulatorFaults { ErrorRate = 1, ErrorStatus = 503 };
        var error = Assert.ThrowsAsync<ConnectorException>(() => ReadAllAsync(Reader, Paged()));

        Assert.That(error!.Message, Is.EqualTo($"GET {_simulator.BaseUrl}/api/contracts: 503 after 4 attempts"));
        Assert.That(error.Message, Does.Not.Contain("s3cret"));
        Assert.That(_simulator.Requests, Has.Count.EqualTo(4));
    }

    [Test]
    public void Retries_back_off_exponentially()
    {
        _simulator.Faults = new SimulatorFaults { ErrorRate = 1 };
        var context = Paged(tweak: s => s["retry"] = new JsonObject { ["maxAttempts"] = 4, ["baseDelayMs"] = 100 });
        Assert.ThrowsAsync<ConnectorException>(() => ReadAllAsync(Reader, context));

        var at = _simulator.Requests.Select(r => r.Elapsed).ToList();
        var gaps = at.Zip(at.Skip(1), (a, b) => (b - a).TotalMilliseconds).ToList();
        Assert.That(gaps, Has.Count.EqualTo(3));
        // 100, 200, 400 ms each ±25% jitter.
        Assert.That(gaps[0], Is.InRange(70, 200));
        Assert.That(gaps[1], Is.InRange(145, 330));
        Assert.That(gaps[2], Is.InRange(295, 600));
    }

    [Test]
    public void A_slow_answer_times_out_per_attempt_and_is_retried()
    {
        _simulator.Faults = new SimulatorFaults { Latency = TimeSpan.FromSeconds(2) };
        var context = Paged(tweak: s =>
        {
            s["timeoutSeconds"] = 0.2;
            s["retry"] = new JsonObject { ["maxAttempts"] = 2, ["baseDelayMs"] = 10 };
        });
        var started = DateTime.UtcNow;
        var error = Assert.ThrowsAsync<ConnectorException>(() => ReadAllAsync(Reader, context));

        Assert.That(error!.Message, Is.EqualTo($"GET {_simulator.BaseUrl}/api/contracts: timed out (no answer within 0.2 s) after 2 attempts"));
        Assert.That(DateTime.UtcNow - started, Is.LessThan(TimeSpan.FromSeconds(1.5)));
        Assert.That(_simulator.Requests, Has.Count.EqualTo(2));
    }

    [Test]
    public void The_total_timeout_bounds_one_request_with_its_retries()
    {
        _simulator.Faults = new SimulatorFaults { ErrorRate = 1 };
        var context = Paged(tweak: s =>
        {
            s["totalTimeoutSeconds"] = 0.5;
            s["retry"] = new JsonObject { ["maxAttempts"] = 10, ["baseDelayMs"] = 200 };
        });
        var error = Assert.ThrowsAsync<ConnectorException>(() => ReadAllAsync(Reader, context));
        Assert.That(error!.Message, Does.StartWith($"GET {_simulator.BaseUrl}/api/contracts: no answer within the total timeout of 0.5 s"));
    }

    [Test]
    public async Task The_rate_limit_spaces_requests()
    {
        var context = Paged(size: 5, tweak: s => s["rateLimit"] = new JsonObject { ["perSecond"] = 10 });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var rows = await ReadAllAsync(Reader, context);
        clock.Stop();

        Assert.That(rows, Has.Count.EqualTo(Records));
        var at = _simulator.Requests.Select(r => r.Elapsed).ToList();
        Assert.That(at, Has.Count.EqualTo(6));
        // 10 per second: the sixth request is not sent before 500 ms. Measured where the limiter acts (the client) and
        // cumulatively, because on a busy machine a request may reach the server late and the next on time: the gap
        // between two arrivals can shrink, the time to send six cannot (without the limit they go out within a few ms).
        Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(450)));
        for (var i = 1; i < at.Count; i++)
        {
            Assert.That(at[i], Is.GreaterThanOrEqualTo(at[i - 1]), "requests go one after another");
        }

        Assert.That(at[^1] - at[0], Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(200)), "the arrivals are spread, not a burst");
    }

    [Test]
    public async Task The_authorization_header_is_sent_with_every_request()
    {
        await ReadAllAsync(Reader, Paged());
        Assert.That(_simulator.Requests.Select(r => r.Authorization), Has.All.EqualTo("Bearer s3cret-token-value"));
    }

    [Test]
    public void A_refused_token_is_reported_without_any_header_value()
    {
        var context = Context(Settings(_simulator, "/api/contracts", "$.data", new JsonObject { ["style"] = "page" }, token: "wrong-s3cret"));
        var error = Assert.ThrowsAsync<ConnectorException>(() => ReadAllAsync(Reader, context));

        Assert.That(error!.Message, Does.StartWith($"GET {_simulator.BaseUrl}/api/contracts: 401 Unauthorized"));
        Assert.That(error.Message, Does.Not.Contain("s3cret").And.Not.Contain("Bearer"));
        Assert.That(_simulator.Requests, Has.Count.EqualTo(1), "a 401 is not retried");
    }

    [Test]
    public void A_source_that_is_not_listening_fails_after_its_attempts()
    {
        var context = Context(new JsonObject
        {
            ["baseUrl"] = "http://127.0.0.1:1",
            ["headers"] = new JsonObject { ["Authorization"] = "Bearer s3cret" },
            ["path"] = "/api/contracts",
            ["retry"] = new JsonObject { ["maxAttempts"] = 2, ["baseDelayMs"] = 10 },
        });
        var error = Assert.ThrowsAsync<ConnectorException>(() => ReadAllAsync(Reader, context));
        Assert.That(error!.Message, Does.StartWith("GET http://127.0.0.1:1/api/contracts: ").And.EndWith("after 2 attempts"));
        Assert.That(error.Message, Does.Not.Contain("s3cret"));
    }

    [Test]
    public void An_empty_full_stream_fails_unless_allowed()
    {
        var context = Context(Settings(_simulator, "/api/contracts?page=99", "$.data", null));
        var error = Assert.ThrowsAsync<ConnectorException>(() => ReadAllAsync(Reader, context));
        Assert.That(error!.Message, Does.Contain("refuses an empty answer"));

        var allowed = Settings(_simulator, "/api/contracts?page=99", "$.data", null);
        allowed["allowEmpty"] = true;
        Assert.DoesNotThrowAsync(() => ReadAllAsync(Reader, Context(allowed)));
    }

    [TestCase("ftp://127.0.0.1/x", "settings.baseUrl: the scheme 'ftp' is not allowed; only http and https")]
    [TestCase("file:///etc/passwd", "settings.baseUrl: the scheme 'file' is not allowed; only http and https")]
    [TestCase("api.example.org", "settings.baseUrl: an absolute http or https URL is required")]
    [TestCase("http://user:pw@127.0.0.1", "settings.baseUrl: credentials in the URL are not allowed; send them in settings.headers")]
    public void Only_http_and_https_urls(string baseUrl, string message)
    {
        var context = Context(new JsonObject { ["baseUrl"] = baseUrl, ["path"] = "/x" });
        var error = Assert.ThrowsAsync<ConnectorException>(() => ReadAllAsync(Reader, context));
        Assert.That(error!.Message, Is.EqualTo(message));
    }
}
