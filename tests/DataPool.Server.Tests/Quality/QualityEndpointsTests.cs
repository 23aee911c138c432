using System.Net;
using System.Net.Http.Json;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using DataPool.Server.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Server.Tests.Quality;

/// <summary>
/// <c>GET /api/quality</c> on a small world whose measures are known by construction: a register of five rows (one with
/// a bad ID number, one without a phone) synced twice, the second time clean, and a civil-affairs list holding two of
/// the same residents, one with another phone number.
/// </summary>
[TestFixture(StoreOptions.Sqlite)]
[TestFixture(StoreOptions.Postgres)]
public sealed class QualityEndpointsTests(string store)
{
    private ServerHost _server = null!;

    private static readonly PersonRow[] Residents =
    [
        TestSource.Person("张伟", "19850312", 11),
        TestSource.Person("王芳", "19900725", 22),
        TestSource.Person("李娜", "20010101", 34),
        TestSource.Person("刘洋", "19561130", 45),
    ];

    [OneTimeSetUp]
    public async Task BuildTheWorld()
    {
        _server = await ServerHost.StartAsync(store);
        var folder = Path.Combine(_server.Folder, "quality-world");
        Directory.CreateDirectory(folder);
        string Line(PersonRow p, string phone) => $"{p.IdNumber},{p.Name},{p.Gender},{p.BirthDate},{phone}";
        var phones = new[] { "13900000001", "13900000002", "13900000003", "" };
        var register = Residents.Select((p, i) => Line(p, phones[i])).ToList();
        await File.WriteAllLinesAsync(Path.Combine(folder, "register.csv"),
            ["身份证号,姓名,性别,出生日期,电话", .. register, Line(TestSource.BadCheck, "13900000009")]);
        await File.WriteAllLinesAsync(Path.Combine(folder, "allowance.csv"),
            ["身份证号,姓名,性别,出生日期,电话", Line(Residents[0], "13900000001"), Line(Residents[1], "13911111111")]);
        await File.WriteAllTextAsync(Path.Combine(folder, "register.source.json"), Definition("qa-register", "public-security", "register.csv", 10));
        await File.WriteAllTextAsync(Path.Combine(folder, "allowance.source.json"), Definition("qa-allowance", "civil-affairs", "allowance.csv", 5));

        await SyncAsync(Path.Combine(folder, "register.source.json"));
        await SyncAsync(Path.Combine(folder, "allowance.source.json"));
        // The register's next export is clean: the quarantine rate over its runs goes 1/5, then 0/4.
        await File.WriteAllLinesAsync(Path.Combine(folder, "register.csv"), ["身份证号,姓名,性别,出生日期,电话", .. register]);
        await SyncAsync(Path.Combine(folder, "register.source.json"));
    }

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    private async Task SyncAsync(string file)
    {
        var source = _server.Services.GetRequiredService<SourceDefinitionLoader>().Load(file);
        await _server.Services.GetRequiredService<SourceRegistry>().UpsertAsync(source);
        var result = await _server.Services.GetRequiredService<SyncRunner>().RunAsync(source.Definition.Id);
        Assert.That(result.Succeeded, Is.True, result.SummaryLine);
    }

    private static string Definition(string id, string department, string path, int priority) => $$"""
        {
          "id": "{{id}}", "name": "{{id}}", "department": "{{department}}", "kind": "csv", "priority": {{priority}},
          "settings": { "path": "{{path}}", "encoding": "utf-8", "headerRow": 1 },
          "streams": [{
            "name": "persons", "entity": "person", "key": ["身份证号"], "mode": "full",
            "fields": {
              "id_number":  { "from": "身份证号", "parse": "id_number" },
              "name":       { "from": "姓名" },
              "gender":     { "from": "性别", "codes": { "男": "1", "女": "2" } },
              "birth_date": { "from": "出生日期", "parse": "date" },
              "phone":      { "from": "电话" }
            }
          }]
        }
        """;

    [Test]
    public async Task An_admin_sees_every_source_with_its_freshness_completeness_quarantine_rate_and_conflicts()
    {
        var admin = await _server.ClientAsync(Roles.Admin);
        var report = (await admin.GetFromJsonAsync<QualityReport>("/api/quality"))!;
        Assert.That(report.Sources.Select(s => s.Id), Is.EqualTo(new[] { "qa-allowance", "qa-register" }), "by department, then id");

        var register = report.Sources.Single(s => s.Id == "qa-register");
        Assert.That(register.Freshness.LastRunStatus, Is.EqualTo("succeeded"));
        Assert.That(register.Freshness.AgeHours, Is.Not.Null.And.InRange(0, 1), "synced moments ago");
        Assert.That(register.Runs.Select(r => (r.Read, r.Quarantined, r.Rate)), Is.EqualTo(new[] { (5L, 1L, 0.2), (4L, 0L, 0.0) }), "oldest run first");

        var stream = register.Streams.Single();
        Assert.That(stream.Records, Is.EqualTo(4));
        var completeness = stream.Fields.ToDictionary(f => f.Field, f => (f.Filled, f.Share));
        Assert.That(completeness["phone"], Is.EqualTo((3L, 0.75)));
        Assert.That(completeness["name"], Is.EqualTo((4L, 1.0)));
        Assert.That(stream.Fields.Single(f => f.Field == "phone").Labels.Zh, Is.EqualTo("联系电话"), "fields carry their labels");

        // One resident's phone differs between the two sources: one conflict, seen from both sides, lost by exactly one.
        var allowance = report.Sources.Single(s => s.Id == "qa-allowance");
        foreach (var (source, other) in new[] { (register, "qa-allowance"), (allowance, "qa-register") })
        {
            Assert.That(source.Conflicts.Records, Is.EqualTo(1), source.Id);
            Assert.That(source.Conflicts.Fields.Select(f => (f.Field, f.Records)), Is.EqualTo(new[] { ("phone", 1L) }), source.Id);
            Assert.That(source.Conflicts.With.Select(w => (w.Source, w.Records)), Is.EqualTo(new[] { (other, 1L) }), source.Id);
        }

        Assert.That(register.Conflicts.Fields[0].Overruled + allowance.Conflicts.Fields[0].Overruled, Is.EqualTo(1), "survivorship chose one of the two phones");
    }

    [Test]
    public async Task An_analyst_sees_only_the_sources_of_their_own_department()
    {
        var analyst = await _server.ClientAsync(Roles.Analyst, "civil-affairs");
        var own = (await analyst.GetFromJsonAsync<QualityReport>("/api/quality"))!;
        Assert.That(own.Sources.Select(s => s.Id), Is.EqualTo(new[] { "qa-allowance" }));
        Assert.That(own.Department, Is.EqualTo("civil-affairs"));

        using var other = await analyst.GetAsync("/api/quality?department=public-security");
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var stranger = await _server.ClientAsync(Roles.Analyst, "veterans-affairs");
        Assert.That((await stranger.GetFromJsonAsync<QualityReport>("/api/quality"))!.Sources, Is.Empty);
        using var worker = await (await _server.ClientAsync(Roles.Worker)).GetAsync("/api/quality");
        Assert.That(worker.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        var admin = await _server.ClientAsync(Roles.Admin);
        var filtered = (await admin.GetFromJsonAsync<QualityReport>("/api/quality?department=public-security"))!;
        Assert.That(filtered.Sources.Select(s => s.Id), Is.EqualTo(new[] { "qa-register" }));
    }

    private sealed record QualityReport(string AsOf, string? Department, int RecentRuns, List<SourceQuality> Sources);
}
