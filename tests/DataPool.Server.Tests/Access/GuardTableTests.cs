using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DataPool.Core.Access;
using DataPool.Core.Reports;
using DataPool.Core.Store;
using DataPool.Server.Identity;
using DataPool.Server.Tests.Changes;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Server.Tests.Access;

/// <summary>How a field of a resident reaches a viewer on a route.</summary>
public enum Seen
{
    /// <summary>The value as stored.</summary>
    Unmasked,

    /// <summary>The masked form (an ID number: region and check character).</summary>
    Masked,

    /// <summary>Answered, but the value is not in the answer (the field or the record is not the viewer's).</summary>
    Hidden,

    /// <summary>403 or 404: the route refuses the viewer, or answers as if the record did not exist.</summary>
    Refused,
}

/// <summary>
/// The one read guard, as a table: for each role, each route that returns personal data and a field of one
/// resident, whether the value is shown as stored, masked, left out or refused, and whether the read was audited
/// (every answer that shows the resident leaves an access-log entry for them; a refusal or an answer without them,
/// none). Run against a real server over a register synced through the pipeline, so history, the change feed,
/// explain, the household's members and search, a certificate and a report's trace all have something to show.
/// </summary>
public sealed class GuardTableTests
{
    private const string Admin = "admin";
    private const string Worker = "worker of the community";
    private const string OtherWorker = "worker of another community";
    private const string CivilAffairs = "analyst, civil affairs";
    private const string HumanResources = "analyst, human resources";

    private static readonly Registered Head = Registered.Born("1957-03-02", 1, "张三", "1000010001", "02", "多福巷社区1号楼1单元101", ChangeServer.Community);
    private static readonly Registered Wife = Registered.Born("1960-05-06", 2, "王丽", "1000010001", "12", "多福巷社区1号楼1单元101", ChangeServer.Community);
    private static readonly Registered Neighbour = Registered.Born("1970-01-01", 3, "赵六", "2000020002", "02", "西城区西长安街4号", ChangeServer.OtherCommunity);

    private ServerHost _server = null!;
    private long _person;
    private long _household;
    private string _cell = null!;

    /// <summary>Role, route, field of the resident, what the viewer sees of it, whether the read of the resident was audited.</summary>
    private static readonly (string Role, string Route, string Field, Seen Seen, bool Audited)[] Table =
    [
        (Admin, "query", "id_number", Seen.Unmasked, true),
        (Admin, "query", "address", Seen.Unmasked, true),
        (Worker, "query", "id_number", Seen.Unmasked, true),
        (Worker, "query", "name", Seen.Unmasked, true),
        (OtherWorker, "query", "name", Seen.Hidden, false),
        (CivilAffairs, "query", "id_number", Seen.Unmasked, true),
        (HumanResources, "query", "id_number", Seen.Masked, true),
        (HumanResources, "query", "name", Seen.Unmasked, true),
        (HumanResources, "query", "address", Seen.Hidden, true),

        (Admin, "record", "id_number", Seen.Unmasked, true),
        (Worker, "record", "address", Seen.Unmasked, true),
        (OtherWorker, "record", "name", Seen.Refused, false),
        (CivilAffairs, "record", "address", Seen.Unmasked, true),
        (HumanResources, "record", "id_number", Seen.Masked, true),
        (HumanResources, "record", "address", Seen.Hidden, true),

        (Admin, "export", "id_number", Seen.Unmasked, true),
        (Worker, "export", "id_number", Seen.Unmasked, true),
        (OtherWorker, "export", "name", Seen.Hidden, false),
        (HumanResources, "export", "id_number", Seen.Masked, true),
        (HumanResources, "export", "address", Seen.Hidden, true),

        (Admin, "explain", "id_number", Seen.Unmasked, true),
        (Worker, "explain", "name", Seen.Unmasked, true),
        (OtherWorker, "explain", "name", Seen.Refused, false),
        (HumanResources, "explain", "id_number", Seen.Masked, true),
        (HumanResources, "explain", "address", Seen.Hidden, true),

        (Admin, "history", "id_number", Seen.Unmasked, true),
        (Worker, "history", "address", Seen.Unmasked, true),
        (OtherWorker, "history", "name", Seen.Refused, false),
        (HumanResources, "history", "id_number", Seen.Masked, true),
        (HumanResources, "history", "address", Seen.Hidden, true),

        (Admin, "change feed", "id_number", Seen.Unmasked, true),
        (Worker, "change feed", "id_number", Seen.Unmasked, true),
        (OtherWorker, "change feed", "name", Seen.Hidden, false),
        (HumanResources, "change feed", "id_number", Seen.Masked, true),
        (HumanResources, "change feed", "address", Seen.Hidden, true),

        (Admin, "household members", "name", Seen.Unmasked, true),
        (Worker, "household members", "name", Seen.Unmasked, true),
        (OtherWorker, "household members", "name", Seen.Refused, false),
        (CivilAffairs, "household members", "name", Seen.Unmasked, true),
        (HumanResources, "household members", "name", Seen.Refused, false),

        (Admin, "certificate", "id_number", Seen.Unmasked, true),
        (Worker, "certificate", "name", Seen.Unmasked, true),
        (OtherWorker, "certificate", "name", Seen.Refused, false),
        (HumanResources, "certificate", "name", Seen.Refused, false),

        (Admin, "household search", "address", Seen.Unmasked, true),
        (Worker, "household search", "address", Seen.Unmasked, true),
        (OtherWorker, "household search", "address", Seen.Hidden, false),
        (HumanResources, "household search", "address", Seen.Refused, false),

        (Admin, "report trace", "pool_id", Seen.Unmasked, true),
        (CivilAffairs, "report trace", "pool_id", Seen.Unmasked, true),
        (HumanResources, "report trace", "pool_id", Seen.Unmasked, true),
        (Worker, "report trace", "pool_id", Seen.Refused, false),
    ];

    private static IEnumerable<TestCaseData> Rows() =>
        Table.Select(r => new TestCaseData(r.Role, r.Route, r.Field, r.Seen, r.Audited)
            .SetName($"{r.Role}, {r.Route}, {r.Field}: {r.Seen}{(r.Audited ? ", audited" : "")}"));

    [OneTimeSetUp]
    public async Task Start()
    {
        _server = await ServerHost.StartAsync();
        await ChangeServer.SyncRegisterAsync(_server, Head, Wife, Neighbour);
        _person = await ChangeServer.PoolIdAsync(_server, "person", "id_number", Head.Id);
        _household = await ChangeServer.PoolIdAsync(_server, "household", "household_no", Head.HouseholdNo);

        // A cell of a report whose records include the resident: the men of their community (gender is personal: audited).
        var admin = await ClientAsync(Admin);
        using var started = await admin.PostAsync("/api/reports/population-monthly/run", null);
        Assert.That(started.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await started.Content.ReadAsStringAsync());
        var run = (await started.Content.ReadFromJsonAsync<ReportRun>())!;
        for (var clock = System.Diagnostics.Stopwatch.StartNew(); run.Status == ReportRuns.Running && clock.Elapsed < TimeSpan.FromMinutes(2);)
        {
            await Task.Delay(100);
            run = (await admin.GetFromJsonAsync<ReportRun>($"/api/reports/runs/{run.Id}"))!;
        }

        Assert.That(run.Succeeded, Is.True, run.Error ?? run.Status);
        for (var row = ReportSheet.FirstDataRow; row < ReportSheet.FirstDataRow + run.Rows && _cell is null; row++)
        {
            var cell = $"runs/{run.Id}/cells/D{row.ToString(CultureInfo.InvariantCulture)}";
            if ((await admin.GetFromJsonAsync<CellTrace>($"/api/reports/{cell}"))!.PoolIds.Contains(_person))
            {
                _cell = cell;
            }
        }

        Assert.That(_cell, Is.Not.Null, "a cell of the report counts the resident");
    }

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    [TestCaseSource(nameof(Rows))]
    public async Task The_guard_decides_what_the_viewer_sees_and_audits_what_it_shows(string role, string route, string field, Seen seen, bool audited)
    {
        var client = await ClientAsync(role);
        var (path, purpose) = Route(route);
        var (entity, id) = route == "household search" ? ("household", _household) : ("person", _person);
        var before = await AuditedAsync(role, purpose, entity, id);

        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        var actual = response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound ? Seen.Refused : Shown(field, Texts(response, body));

        Assert.That(response.StatusCode, Is.AnyOf(HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.NotFound), body);
        Assert.That(actual, Is.EqualTo(seen), body);
        var entries = await AuditedAsync(role, purpose, entity, id) - before;
        Assert.That(entries, audited ? Is.Positive : Is.Zero, "the read of the resident is audited exactly when it shows them");
    }

    /// <summary>The route's path for the resident, and the purpose its audit entries carry.</summary>
    private (string Path, string Purpose) Route(string route) => route switch
    {
        "query" => ($"/api/pool/person?name={Uri.EscapeDataString(Head.Name)}", "query"),
        "record" => ($"/api/pool/person/{_person}", "record"),
        "export" => ($"/api/pool/person/export?format=csv&name={Uri.EscapeDataString(Head.Name)}", "export csv"),
        "explain" => ($"/api/pool/person/{_person}/explain", "explain"),
        "history" => ($"/api/pool/person/{_person}/history", "history"),
        "change feed" => ("/api/pool/person/changes?limit=1000", "change feed"),
        "household members" => ($"/api/pool/household/{_household}/members", "household members"),
        "certificate" => ($"/api/certificates/residence/{_person}", "certificate residence %"),
        "report trace" => ($"/api/reports/{_cell}?limit=1000", "report population-monthly %"),
        "household search" => ($"/api/forms/households?q={Uri.EscapeDataString(Head.Name)}", "GET /api/forms/households?q"),
        _ => throw new ArgumentOutOfRangeException(nameof(route), route, null),
    };

    private Seen Shown(string field, IReadOnlyList<string> texts)
    {
        var value = field switch
        {
            "id_number" => Head.Id,
            "name" => Head.Name,
            "address" => Head.Address,
            "pool_id" => _person.ToString(CultureInfo.InvariantCulture),
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
        };
        var masked = field == "id_number" ? Masking.MaskIdNumber(value) : Masking.Hidden;
        return texts.Any(t => t.Contains(value, StringComparison.Ordinal)) ? Seen.Unmasked
            : field == "id_number" && texts.Any(t => t.Contains(masked, StringComparison.Ordinal)) ? Seen.Masked
            : Seen.Hidden;
    }

    /// <summary>Every text of the answer: a JSON answer's strings and numbers (decoded), else the body (CSV, HTML).</summary>
    private static List<string> Texts(HttpResponseMessage response, string body)
    {
        if (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) != true)
        {
            return [body];
        }

        var texts = new List<string>();
        void Walk(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        Walk(property.Value);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        Walk(item);
                    }

                    break;
                case JsonValueKind.String:
                    texts.Add(element.GetString()!);
                    break;
                case JsonValueKind.Number:
                    texts.Add(element.GetRawText());
                    break;
            }
        }

        using var document = JsonDocument.Parse(body);
        Walk(document.RootElement);
        return texts;
    }

    private Task<HttpClient> ClientAsync(string role) => role switch
    {
        Admin => _server.ClientAsync(Roles.Admin),
        Worker => _server.ClientAsync(Roles.Worker, ChangeServer.Community),
        OtherWorker => _server.ClientAsync(Roles.Worker, ChangeServer.OtherCommunity),
        CivilAffairs => _server.ClientAsync(Roles.Analyst, "civil-affairs"),
        HumanResources => _server.ClientAsync(Roles.Analyst, "human-resources"),
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    private static string UserOf(string role) => role switch
    {
        Admin => "t-admin",
        Worker => $"t-worker-{ChangeServer.Community}",
        OtherWorker => $"t-worker-{ChangeServer.OtherCommunity}",
        CivilAffairs => "t-analyst-civil-affairs",
        HumanResources => "t-analyst-human-resources",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    /// <summary>The access-log entries of the viewer's reads of the record (the resident, or their household) with the purpose.</summary>
    private async Task<long> AuditedAsync(string role, string purpose, string entity, long id)
    {
        const string sql = "SELECT COUNT(*) FROM dp_access_log WHERE viewer = @viewer AND entity = @entity AND pool_id = @id AND purpose LIKE @purpose";
        await using var connection = await StoreQueries.OpenAsync(_server.Services, sql);
        return await connection.ScalarAsync<long>(sql, null, default, ("@viewer", UserOf(role)), ("@entity", entity), ("@id", id), ("@purpose", purpose));
    }
}
