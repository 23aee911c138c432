using System.Net;
using System.Net.Http.Json;
using DataPool.Core.Store;
using DataPool.Server.Identity;
using DataPool.Server.Sources;
using Microsoft.AspNetCore.Http;
using static DataPool.Server.Tests.Sources.ApiSources;
using static DataPool.Server.Tests.TestSource;

namespace DataPool.Server.Tests.Sources;

/// <summary>The dry run: <c>POST /api/sources/{id}/check</c> and <c>POST /api/sources/check</c> show rows and errors and write nothing.</summary>
[TestFixture(StoreOptions.Sqlite)]
[TestFixture(StoreOptions.Postgres)]
public sealed class SourceCheckTests(string store) : AdminServerTests(store)
{

    [SetUp]
    public async Task StartAsync()
    {
        WriteCsv(Root(Server), [Good[0], Good[1], BadCheck, Good[2], Good[3]]);
    }

    [Test]
    public async Task Check_of_a_registered_source_shows_mapped_rows_and_every_error_and_writes_nothing()
    {
        await AddAsync(Admin, Definition());

        using var response = await Admin.PostAsync($"/api/sources/{Id}/check?rows=2", null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var report = (await response.Content.ReadFromJsonAsync<CheckReport>())!;
        Assert.Multiple(() =>
        {
            Assert.That(report.Passed, Is.True, report.Failure);
            Assert.That((report.Read, report.Ok, report.Bad), Is.EqualTo((5L, 4L, 1L)));
            Assert.That(report.Rows, Has.Count.EqualTo(2));
            Assert.That(report.Rows[0].Values["id_number"], Is.EqualTo(Good[0].IdNumber));
            Assert.That(report.Rows[0].Values["gender"], Is.EqualTo("1"));
            Assert.That(report.Errors.Single().Reasons, Is.Not.Empty);
            Assert.That(report.Errors.Single().Location, Is.Not.Empty);
        });
        Assert.That(await CountAsync(Server, "dp_runs"), Is.Zero);
        Assert.That(await CountAsync(Server, "dp_quarantine"), Is.Zero);
        Assert.That(await CountAsync(Server, "pool_person"), Is.Zero);
    }

    [Test]
    public async Task Check_of_an_unsaved_definition_registers_nothing()
    {
        using var response = await Admin.PostAsync("/api/sources/check", JsonBody(Definition()));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var report = (await response.Content.ReadFromJsonAsync<CheckReport>())!;
        Assert.That(report.Rows, Has.Count.EqualTo(5));
        Assert.That(report.Bad, Is.EqualTo(1));
        Assert.That(await Admin.GetFromJsonAsync<List<SourceSummary>>("/api/sources"), Is.Empty);
        Assert.That(await CountAsync(Server, "dp_runs"), Is.Zero);
    }

    [Test]
    public async Task Check_of_an_invalid_unsaved_definition_names_the_json_path()
    {
        using var response = await Admin.PostAsync("/api/sources/check", JsonBody(Definition().Replace("\"mode\": \"full\"", "\"mode\": \"sometimes\"", StringComparison.Ordinal)));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>();
        Assert.That(problem!.Errors.Keys, Does.Contain("$.streams[0].mode"));
    }

    [Test]
    public async Task A_path_leaving_the_sources_root_fails_the_check_and_a_missing_file_says_so()
    {
        File.WriteAllText(Path.Combine(Server.Folder, "outside.csv"), Title + "\r\n" + Header + "\r\n");

        var escaping = await (await Admin.PostAsync("/api/sources/check", JsonBody(Definition(settings: """{ "path": "../outside.csv", "headerRow": 2 }""")))).Content.ReadFromJsonAsync<CheckReport>();
        var missing = await (await Admin.PostAsync("/api/sources/check", JsonBody(Definition(settings: """{ "path": "nothere.csv", "headerRow": 2 }""")))).Content.ReadFromJsonAsync<CheckReport>();

        Assert.That(escaping!.Passed, Is.False);
        Assert.That(escaping.Failure, Does.Contain("outside the source's folder"));
        Assert.That(missing!.Passed, Is.False);
        Assert.That(missing.Failure, Does.Contain("nothere.csv"));
    }

    [Test]
    public async Task Rows_out_of_range_and_an_unknown_source_are_problems()
    {
        using var negative = await Admin.PostAsync("/api/sources/cli-hukou/check?rows=-1", null);
        using var unknown = await Admin.PostAsync("/api/sources/nobody/check", null);

        Assert.That(negative.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await negative.Content.ReadFromJsonAsync<HttpValidationProblemDetails>())!.Errors.Keys, Is.EqualTo(new[] { "rows" }));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
