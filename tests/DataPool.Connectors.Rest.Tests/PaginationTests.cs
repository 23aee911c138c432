using System.Text.Json;
using System.Text.Json.Nodes;
using DataPool.Abstractions;
using DataPool.Demo.Simulator;
using Microsoft.Extensions.DependencyInjection;
using static DataPool.Connectors.Rest.Tests.RestTestKit;

namespace DataPool.Connectors.Rest.Tests;

/// <summary>Every pagination style against the simulator serving the demo's contracts: every record exactly once.</summary>
[TestFixture]
public sealed class PaginationTests
{
    private SimulatorHandle _simulator = null!;
    private ServiceProvider _services = null!;
    private IConnector Reader => RestTestKit.Connector(_services); // owned by _services
    private List<string> _expected = null!;

    [OneTimeSetUp]
    public async Task StartSimulator()
    {
        var seeds = RepoSeeds();
        _simulator = await LegacySimulator.StartAsync(seeds, "http://127.0.0.1:0", SimulatorFaults.None, "pagination-token");
        _services = Services();
        using var file = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(seeds, "health", "contracts.json")));
        _expected = file.RootElement.EnumerateArray().Select(r => r.GetProperty("contract_no").GetString()!).ToList();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _simulator.DisposeAsync();
        await _services.DisposeAsync();
    }

    private static IEnumerable<TestCaseData> Styles()
    {
        yield return new TestCaseData("/api/contracts", "$.data", new JsonObject { ["style"] = "page", ["pageParam"] = "page", ["sizeParam"] = "size", ["size"] = 150, ["firstPage"] = 1 }).SetName("page");
        yield return new TestCaseData("/api/contracts/offset", "$.result.items", new JsonObject { ["style"] = "offset", ["offsetParam"] = "offset", ["limitParam"] = "limit", ["limit"] = 300 }).SetName("offset");
        yield return new TestCaseData("/api/contracts/cursor", "$.data", new JsonObject { ["style"] = "cursor", ["cursorParam"] = "cursor", ["cursorPath"] = "$.next_cursor" }).SetName("cursor");
        yield return new TestCaseData("/api/contracts/link?size=250", "$.data", new JsonObject { ["style"] = "link", ["nextPath"] = "$.links.next" }).SetName("link body");
        yield return new TestCaseData("/api/contracts/link?size=400", "$['data']", new JsonObject { ["style"] = "link" }).SetName("link header");
    }

    [TestCaseSource(nameof(Styles))]
    public async Task Every_record_is_read_exactly_once(string path, string recordsPath, JsonObject pagination)
    {
        _simulator.ClearRequests();
        var rows = await ReadAllAsync(Reader, Context(Settings(_simulator, path, recordsPath, pagination)));

        Assert.That(rows.Select(r => r["contract_no"]).ToList(), Is.EqualTo(_expected));
        Assert.That(rows.Select(r => r.Number), Is.EqualTo(Enumerable.Range(1, rows.Count).Select(n => (long)n)));
        Assert.That(rows.All(r => r.Problem is null));
        Assert.That(_simulator.Requests.Select(r => r.Status), Has.All.EqualTo(200));
    }

    [Test]
    public async Task Records_are_flattened_nested_objects_dotted_arrays_as_json()
    {
        var rows = await ReadAllAsync(Reader, Context(Settings(_simulator, "/api/contracts", "$.data", new JsonObject { ["style"] = "page", ["size"] = 500 })));
        var first = rows[0];
        Assert.That(first.Header.Columns, Is.SupersetOf(Mapped.Concat(["team.name", "team.phone", "services"])));
        Assert.That(first["team.name"], Does.EndWith("家庭医生团队"));
        Assert.That(first["services"], Does.StartWith("[\"基本公共卫生服务\""));
        Assert.That(rows.Any(r => r["chronic_conditions"] is null), Is.True, "JSON null is an empty value");
        Assert.That(first.Location, Is.EqualTo("/api/contracts page 1 record 1"));
    }

    [Test]
    public async Task Rows_stream_page_by_page()
    {
        _simulator.ClearRequests();
        var context = Context(Settings(_simulator, "/api/contracts", "$.data", new JsonObject { ["style"] = "page", ["size"] = 100 }));
        await using var rows = Reader.ReadAsync(context, CancellationToken.None).GetAsyncEnumerator();
        for (var i = 0; i < 150; i++)
        {
            Assert.That(await rows.MoveNextAsync(), Is.True);
        }

        Assert.That(_simulator.Requests, Has.Count.EqualTo(2), "150 rows need two pages of 100, not the whole API");
    }

    [Test]
    public void A_page_size_the_api_caps_fails_instead_of_skipping_records()
    {
        var context = Context(Settings(_simulator, "/api/contracts", "$.data", new JsonObject { ["style"] = "page", ["size"] = LegacySimulator.MaxPageSize + 200 }));
        var error = Assert.ThrowsAsync<ConnectorException>(() => ReadAllAsync(Reader, context));
        Assert.That(error!.Message, Does.Contain("caps its page size").And.Contain($"at most {LegacySimulator.MaxPageSize}"));
    }

    [Test]
    public void A_records_path_that_is_not_there_is_named()
    {
        var context = Context(Settings(_simulator, "/api/contracts", "$.items", new JsonObject { ["style"] = "page" }));
        var error = Assert.ThrowsAsync<ConnectorException>(() => ReadAllAsync(Reader, context));
        Assert.That(error!.Message, Is.EqualTo($"GET {_simulator.BaseUrl}/api/contracts page 1: the answer has nothing at $.items (settings.recordsPath)"));
    }

    [Test]
    public void A_mapped_column_no_record_has_fails_the_stream()
    {
        var settings = Settings(_simulator, "/api/contracts", "$.data", new JsonObject { ["style"] = "page", ["size"] = 500 });
        var context = Context(settings);
        var fields = context.Stream.Fields.ToDictionary(f => f.Key, f => f.Value);
        fields["doctor_name"] = new FieldMapping { From = ["doctr_name"] };
        context = context with { Stream = context.Stream with { Fields = fields } };
        var error = Assert.ThrowsAsync<ConnectorException>(() => ReadAllAsync(Reader, context));
        Assert.That(error!.Message, Does.Contain("no record has 'doctr_name'"));
    }

    [Test]
    public async Task A_total_stated_by_the_first_page_is_the_progress_total()
    {
        var context = Context(Settings(_simulator, "/api/contracts", "$.data",
            new JsonObject { ["style"] = "page", ["size"] = 150, ["totalPath"] = "$.total" }));

        var rows = await ReadAllAsync(Reader, context);

        Assert.That((context.Progress.Total, context.Progress.Unit), Is.EqualTo(((long?)_expected.Count, ProgressUnit.Rows)));
        Assert.That(rows, Has.Count.EqualTo(_expected.Count));
    }

    [Test]
    public async Task Without_a_total_path_the_total_stays_unknown()
    {
        var context = Context(Settings(_simulator, "/api/contracts", "$.data", new JsonObject { ["style"] = "page", ["size"] = 500 }));

        await ReadAllAsync(Reader, context);

        Assert.That((context.Progress.Total, context.Progress.Unit), Is.EqualTo(((long?)null, ProgressUnit.Unknown)));
    }
}
