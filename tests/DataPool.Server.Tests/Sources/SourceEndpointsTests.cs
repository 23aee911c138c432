using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using DataPool.Server.Identity;
using DataPool.Server.Sync;
using DataPool.Server.Sources;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using static DataPool.Server.Tests.Sources.ApiSources;
using static DataPool.Server.Tests.TestSource;

namespace DataPool.Server.Tests.Sources;

/// <summary><c>/api/sources</c> on the real server: add, validate, show without secrets, edit, remove.</summary>
[TestFixture(StoreOptions.Sqlite)]
[TestFixture(StoreOptions.Postgres)]
public sealed class SourceEndpointsTests(string store) : AdminServerTests(store, "--DataPool:Scheduling:Workers=1")
{

    [Test]
    public async Task Add_registers_the_source_and_the_list_shows_it()
    {
        using var response = await Admin.PostAsync("/api/sources", JsonBody(Definition()));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo("/api/sources/cli-hukou"));
        var list = await Admin.GetFromJsonAsync<List<SourceSummary>>("/api/sources");
        Assert.That(list, Has.Count.EqualTo(1));
        Assert.Multiple(() =>
        {
            Assert.That(list![0].Id, Is.EqualTo(Id));
            Assert.That(list[0].Kind, Is.EqualTo("csv"));
            Assert.That(list[0].File, Is.Null, "added through the API: no file");
            Assert.That(list[0].LastRun, Is.Null);
        });
    }

    [Test]
    public async Task An_invalid_definition_is_a_validation_problem_keyed_by_json_path()
    {
        var invalid = Definition().Replace("\"name\":       { \"from\": \"姓名\" }", "\"x\": { \"from\": \"姓名\" }", StringComparison.Ordinal);
        Assert.That(invalid, Does.Contain("\"x\""));

        using var response = await Admin.PostAsync("/api/sources", JsonBody(invalid));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>();
        Assert.That(problem!.Errors.Keys, Does.Contain("$.streams[0].fields.x"), JsonSerializer.Serialize(problem.Errors));
        Assert.That(await Admin.GetFromJsonAsync<List<SourceSummary>>("/api/sources"), Is.Empty, "nothing registered");
    }

    [Test]
    public async Task Malformed_json_names_the_line_and_an_existing_id_is_a_conflict()
    {
        using var malformed = await Admin.PostAsync("/api/sources", JsonBody("{ \"id\": "));
        Assert.That(malformed.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await malformed.Content.ReadFromJsonAsync<HttpValidationProblemDetails>();
        Assert.That(problem!.Errors["$"].Single(), Does.Contain("line 1"));

        await AddAsync(Admin, Definition());
        using var again = await Admin.PostAsync("/api/sources", JsonBody(Definition()));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await ServerHost.ProblemAsync(again)).Detail, Does.Contain("PUT /api/sources/cli-hukou"));
    }

    [Test]
    public async Task Get_masks_secrets_and_keeps_environment_references()
    {
        await AddAsync(Admin, Definition(settings: """
            { "path": "persons.csv", "encoding": "GB18030", "headerRow": 2, "password": "hunter2",
              "apiToken": "${env:HR_API_TOKEN}", "connection": "Host=db;Username=pool;Password=s3cret;" }
            """));

        using var response = await Admin.GetAsync($"/api/sources/{Id}");
        var text = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(text, Does.Not.Contain("hunter2").And.Not.Contain("s3cret"));
        var settings = JsonNode.Parse(text)!["definition"]!["settings"]!;
        Assert.Multiple(() =>
        {
            Assert.That(settings["password"]!.GetValue<string>(), Is.EqualTo("***"));
            Assert.That(settings["apiToken"]!.GetValue<string>(), Is.EqualTo("${env:HR_API_TOKEN}"));
            Assert.That(settings["connection"]!.GetValue<string>(), Is.EqualTo("Host=db;Username=pool;Password=***;"));
        });
        using var created = await Admin.PostAsync("/api/sources", JsonBody(Definition("other", """{ "path": "p.csv", "password": "hunter2" }""")));
        Assert.That(await created.Content.ReadAsStringAsync(), Does.Not.Contain("hunter2"), "the 201 body is masked too");
    }

    [Test]
    public async Task Edit_replaces_the_definition_and_a_masked_secret_keeps_its_stored_value()
    {
        await AddAsync(Admin, Definition(settings: """{ "path": "persons.csv", "encoding": "GB18030", "headerRow": 2, "password": "hunter2" }"""));
        var shown = JsonNode.Parse(await Admin.GetStringAsync($"/api/sources/{Id}"))!["definition"]!;
        shown["name"] = "户籍系统（新）";
        shown["schedule"] = "0 3 * * *";

        using var response = await Admin.PutAsync($"/api/sources/{Id}", JsonBody(shown.ToJsonString()));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var list = await Admin.GetFromJsonAsync<List<SourceSummary>>("/api/sources");
        Assert.That(list!.Single().Name, Is.EqualTo("户籍系统（新）"));
        Assert.That(list!.Single().Schedule, Is.EqualTo("0 3 * * *"));
        var stored = (await ColumnAsync(Server, "dp_sources", "definition")).Single();
        Assert.That(stored, Does.Contain("hunter2"), "the masked value sent back kept the stored secret");
    }

    [Test]
    public async Task Edit_refuses_a_renamed_id_and_an_unknown_source()
    {
        await AddAsync(Admin, Definition());

        using var renamed = await Admin.PutAsync($"/api/sources/{Id}", JsonBody(Definition("renamed")));
        using var unknown = await Admin.PutAsync("/api/sources/nobody", JsonBody(Definition("nobody")));

        Assert.That(renamed.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await renamed.Content.ReadFromJsonAsync<HttpValidationProblemDetails>())!.Errors.Keys, Is.EqualTo(new[] { "$.id" }));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await ServerHost.ProblemAsync(unknown)).Detail, Does.Contain("nobody"));
    }

    [Test]
    public async Task Remove_unregisters_the_source()
    {
        await AddAsync(Admin, Definition());

        using var removed = await Admin.DeleteAsync($"/api/sources/{Id}");
        using var get = await Admin.GetAsync($"/api/sources/{Id}");
        using var again = await Admin.DeleteAsync($"/api/sources/{Id}");

        Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await Admin.GetFromJsonAsync<List<SourceSummary>>("/api/sources"), Is.Empty);
    }

    [Test]
    public async Task Sync_now_queues_a_run_whose_counts_the_history_shows()
    {
        WriteCsv(Root(Server), [Good[0], Good[1], BadCheck, Good[2], Good[3]]);
        await AddAsync(Admin, Definition());

        using var response = await Admin.PostAsync($"/api/sources/{Id}/sync", null);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        var queued = await response.Content.ReadFromJsonAsync<SyncQueued>();
        Assert.That(queued!.JobId, Is.Not.Empty);
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/runs/{queued.RunId}"));
        Assert.That((queued.Run, queued.Runs), Is.EqualTo(($"/api/runs/{queued.RunId}", $"/api/sources/{Id}/runs")));
        var run = await WaitForRunAsync(Admin, Id);
        Assert.That(run.Id, Is.EqualTo(queued.RunId), "the run answered is the run that syncs");
        Assert.That(run.Status, Is.EqualTo("succeeded"), run.Error);
        Assert.That(run.Counts, Is.EqualTo(new RunCounts(Read: 5, Accepted: 4, Quarantined: 1, New: 4, Updated: 0, Unchanged: 0, Deleted: 0)));
        Assert.That(await ColumnAsync(Server, "pool_person", "id_number"), Is.EquivalentTo(Good.Select(p => p.IdNumber)));

        var detail = await Admin.GetFromJsonAsync<RunDetail>($"/api/runs/{run.Id}");
        Assert.That(detail!.Seconds, Is.Not.Null);
        Assert.That(detail.Streams?.GetProperty("persons").GetProperty("read").GetInt64(), Is.EqualTo(5), detail.Streams?.ToString());
        var list = await Admin.GetFromJsonAsync<List<SourceSummary>>("/api/sources");
        Assert.That(list!.Single().LastRun?.Id, Is.EqualTo(run.Id));
    }

    [Test]
    public async Task Without_a_scheduler_a_sync_runs_in_the_background_of_theServer()
    {
        WriteCsv(Root(Server), Good);
        await AddAsync(Admin, Definition());
        // A provider without ISourceSchedule: a host where the scheduling feature is absent.
        var jobs = new SourceJobs(new ServiceCollection().BuildServiceProvider(), Server.Services.GetRequiredService<SyncRunner>(), Server.Services.GetRequiredService<RunBook>(),
            Server.Services.GetRequiredService<IHostApplicationLifetime>(), NullLogger<SourceJobs>.Instance);

        var (runId, job) = await jobs.EnqueueAsync(Id);

        Assert.That(job, Does.StartWith("local-"));
        var run = await WaitForRunAsync(Admin, Id);
        Assert.That(run.Id, Is.EqualTo(runId));
        Assert.That((run.Status, run.Trigger, run.Counts.New), Is.EqualTo(("succeeded", "api", 4L)), run.Error);
    }

    [Test]
    public async Task Runs_are_listed_newest_first_and_unknown_ones_are_not_found()
    {
        WriteCsv(Root(Server), Good);
        await AddAsync(Admin, Definition());
        RunSummary first;
        using (await Admin.PostAsync($"/api/sources/{Id}/sync", null))
        {
            first = await WaitForRunAsync(Admin, Id);
        }

        using (await Admin.PostAsync($"/api/sources/{Id}/sync", null))
        {
            var second = await WaitForRunAsync(Admin, Id, after: first.Id);
            Assert.That(second.Counts.Unchanged, Is.EqualTo(4), second.Error);
        }

        var runs = await Admin.GetFromJsonAsync<List<RunSummary>>($"/api/sources/{Id}/runs");
        Assert.That(runs!.Select(r => r.Id), Is.Ordered.Descending);
        Assert.That(runs, Has.Count.EqualTo(2));
        var paged = await Admin.GetFromJsonAsync<List<RunSummary>>($"/api/sources/{Id}/runs?before={runs[0].Id}");
        Assert.That(paged!.Select(r => r.Id), Is.EqualTo(new[] { runs[1].Id }));

        using var noSource = await Admin.GetAsync("/api/sources/nobody/runs");
        using var noRun = await Admin.GetAsync("/api/runs/999999");
        using var noSync = await Admin.PostAsync("/api/sources/nobody/sync", null);
        Assert.That(new[] { noSource.StatusCode, noRun.StatusCode, noSync.StatusCode }, Is.All.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await ServerHost.ProblemAsync(noRun)).Title, Is.EqualTo("No such run"));
    }
}
