using System.Text;
using System.Text.Json.Nodes;
using DataPool.Abstractions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static DataPool.Connectors.Rest.Tests.RestTestKit;

namespace DataPool.Connectors.Rest.Tests;

/// <summary>
/// APIs that answer too much or never stop (issue 13): a 200 MB page took 1.5 GB, and an API answering the same
/// page forever was requested 5,001 times. Each now fails the run with a message naming the setting.
/// </summary>
[TestFixture]
public sealed class HostileApiTests
{
    private const long PageBytes = 200L * 1024 * 1024;

    private WebApplication _api = null!;
    private string _baseUrl = null!;
    private ServiceProvider _services = null!;
    private int _requests;

    private IConnector Reader => RestTestKit.Connector(_services); // owned by _services

    [OneTimeSetUp]
    public async Task StartApi()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _api = builder.Build();
        _api.Use((context, next) =>
        {
            Interlocked.Increment(ref _requests);
            return next(context);
        });
        _api.MapGet("/huge", (bool declared, HttpResponse response, CancellationToken token) => HugePageAsync(response, declared, token));
        _api.MapGet("/same", () => Results.Text("""{"data":[{"id_number":"ID1","contract_no":"C1"}],"next":"/same?page=2"}""", "application/json"));
        _api.MapGet("/endless", (int? n) => Results.Json(new
        {
            data = new[] { new { id_number = $"ID{n ?? 0}", contract_no = $"C{n ?? 0}" } },
            next = $"/endless?n={(n ?? 0) + 1}",
        }));
        _api.MapGet("/three", (int offset) => Results.Json(new
        {
            data = Enumerable.Range(offset, Math.Max(0, Math.Min(1, 3 - offset))).Select(Record),
        }));
        await _api.StartAsync();
        _baseUrl = _api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _services = Services();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _api.DisposeAsync();
        await _services.DisposeAsync();
    }

    [SetUp]
    public void ResetCount() => Interlocked.Exchange(ref _requests, 0);

    [TestCase(false, TestName = "A 200 MB chunked page fails with the size message without being buffered")]
    [TestCase(true, TestName = "A 200 MB page with its Content-Length is refused before its body is read")]
    public void Page_of_200_MB_fails_with_the_size_message_without_allocating_it(bool declared)
    {
        var settings = Api($"/huge?declared={declared}", new JsonObject { ["style"] = "page" });

        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var error = Assert.ThrowsAsync<ConnectorException>(() => ReadAllAsync(Reader, Context(settings)));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.That(error!.Message, Does.StartWith($"GET {_baseUrl}/huge page 1: the page is larger than settings.maxPageBytes ("));
        Assert.That(error.Message, Does.Contain(declared ? "209,715,200 bytes declared, limit 67,108,864" : "more than 67,108,864 bytes read, limit 67,108,864"));
        Assert.That(error.Message, Does.EndWith("ask for smaller pages (settings.pagination) or raise settings.maxPageBytes"));
        Assert.That(_requests, Is.EqualTo(1), "a page too large is not retried");
        Assert.That(allocated, Is.LessThan(declared ? 16 * 1024 * 1024 : PageBytes), $"allocated {allocated / 1024 / 1024} MB");
    }

    [Test]
    public void Api_answering_the_same_page_forever_is_requested_twice()
    {
        var settings = Api("/same", new JsonObject { ["style"] = "page", ["size"] = 1 });

        var error = Assert.ThrowsAsync<ConnectorException>(() => ReadAllAsync(Reader, Context(settings)));

        Assert.That(error!.Message, Is.EqualTo(
            $"GET {_baseUrl}/same page 2: the same page as page 1 again — the API ignores the paging parameters (check settings.pagination); paging would never end"));
        Assert.That(_requests, Is.EqualTo(2));
    }

    [Test]
    public void Api_paging_without_end_stops_at_maxPages()
    {
        var settings = Api("/endless", new JsonObject { ["style"] = "link", ["nextPath"] = "$.next" });
        settings["maxPages"] = 5;

        var error = Assert.ThrowsAsync<ConnectorException>(() => ReadAllAsync(Reader, Context(settings)));

        Assert.That(error!.Message, Is.EqualTo(
            $"GET {_baseUrl}/endless: more than 5 pages (settings.maxPages) and the API still offers another; raise settings.maxPages if it really holds more"));
        Assert.That(_requests, Is.EqualTo(5));
    }

    [TestCase(4, TestName = "Three records and the empty page that ends them are read with maxPages 4")]
    public async Task Paging_that_ends_within_maxPages_reads_every_record(int maxPages)
    {
        var settings = Api("/three", new JsonObject { ["style"] = "offset", ["limit"] = 1 });
        settings["maxPages"] = maxPages;

        var rows = await ReadAllAsync(Reader, Context(settings));

        Assert.That(rows.Select(r => r["contract_no"]), Is.EqualTo(new[] { "contract_no-0", "contract_no-1", "contract_no-2" }));
        Assert.That(_requests, Is.EqualTo(4));
    }

    /// <summary>A record with every column the kit's stream maps (a mapped column no record has fails the stream).</summary>
    private static Dictionary<string, string> Record(int i) => Mapped.ToDictionary(c => c, c => $"{c}-{i}");

    private JsonObject Api(string path, JsonObject pagination) => new()
    {
        ["baseUrl"] = _baseUrl,
        ["path"] = path,
        ["recordsPath"] = "$.data",
        ["retry"] = new JsonObject { ["maxAttempts"] = 3, ["baseDelayMs"] = 10 },
        ["timeoutSeconds"] = 60,
        ["pagination"] = pagination,
    };

    /// <summary>A record array that never closes, written 64 KB at a time: the server never holds the page either.</summary>
    private static async Task HugePageAsync(HttpResponse response, bool declared, CancellationToken token)
    {
        response.ContentType = "application/json";
        if (declared)
        {
            response.ContentLength = PageBytes;
        }

        var chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("""{"id_number":"ID1","contract_no":"C1"},""", 1600)));
        await response.Body.WriteAsync(Encoding.ASCII.GetBytes("""{"data":["""), token);
        try
        {
            for (long written = 0; written < PageBytes - chunk.Length; written += chunk.Length)
            {
                await response.Body.WriteAsync(chunk, token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The client hung up, as it should.
        }
    }
}
