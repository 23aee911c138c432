using System.Net;
using System.Net.Http.Json;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using DataPool.Server.Identity;
using DataPool.Server.Sync;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static DataPool.Server.Tests.Sources.ApiSources;
using static DataPool.Server.Tests.TestSource;

namespace DataPool.Server.Tests.Sync;

/// <summary><c>/api/quarantine</c>: list and filter bad rows, replay a corrected one, dismiss one with a reason.</summary>
[TestFixture(StoreOptions.Sqlite)]
[TestFixture(StoreOptions.Postgres)]
public sealed class QuarantineEndpointsTests(string store) : AdminServerTests(store)
{
    private const string IdColumn = "身份证号";
    private const string BirthColumn = "出生日期";

    /// <summary>A second bad row: a birth date that is no date.</summary>
    private static readonly PersonRow BadDate = Person("赵磊", "19920304", 61) with { BirthDate = "not a date" };


    [SetUp]
    public async Task StartAsync()
    {
        WriteCsv(Root(Server), [Good[0], BadCheck, Good[1], BadDate]);
        WriteCsv(Root(Server), [Good[2], BadCheck with { Name = "陈静静" }], file: "other.csv");
        await AddAsync(Admin, Definition());
        await AddAsync(Admin, Definition("other", """{ "path": "other.csv", "encoding": "GB18030", "headerRow": 2 }"""));
        var runner = Server.Services.GetRequiredService<SyncRunner>();
        Assert.That((await runner.RunAsync(Id)).Counts.Quarantined, Is.EqualTo(2));
        Assert.That((await runner.RunAsync("other")).Counts.Quarantined, Is.EqualTo(1));
    }

    [Test]
    public async Task The_list_shows_every_bad_row_with_its_raw_values_reasons_and_location()
    {
        var page = await ListAsync("");

        Assert.That(page.Items, Has.Count.EqualTo(3));
        Assert.That(page.NextAfter, Is.Null);
        var row = page.Items.Single(r => r.SourceId == Id && r.Raw[IdColumn] == BadCheck.IdNumber);
        Assert.Multiple(() =>
        {
            Assert.That(row.Stream, Is.EqualTo("persons"));
            Assert.That(row.Status, Is.EqualTo("open"));
            Assert.That(row.Raw["姓名"], Is.EqualTo(BadCheck.Name));
            Assert.That(row.Reasons, Is.Not.Empty);
            Assert.That(row.Location, Is.Not.Null.And.Not.Empty);
            Assert.That(row.RowNumber, Is.Not.Null);
        });
        var one = await Admin.GetFromJsonAsync<QuarantinedRow>($"/api/quarantine/{row.Id}");
        Assert.That(one!.Reasons, Is.EqualTo(row.Reasons));
    }

    [Test]
    public async Task Filters_narrow_the_list_and_pages_follow_each_other()
    {
        var all = (await ListAsync("")).Items;
        var dateRow = all.Single(r => r.Raw[BirthColumn] == "not a date");
        var reasonWord = dateRow.Reasons[0].Split(' ').Where(w => w.Length >= 4 && w.All(char.IsAsciiLetter)).OrderByDescending(w => w.Length).First();

        await Assert.MultipleAsync(async () =>
        {
            Assert.That((await ListAsync("?source=other")).Items.Select(r => r.SourceId), Is.EqualTo(new[] { "other" }));
            Assert.That((await ListAsync($"?source={Id}&stream=persons")).Items, Has.Count.EqualTo(2));
            Assert.That((await ListAsync("?stream=nothing")).Items, Is.Empty);
            Assert.That((await ListAsync("?status=open")).Items, Has.Count.EqualTo(3));
            Assert.That((await ListAsync("?status=dismissed")).Items, Is.Empty);
            Assert.That((await ListAsync($"?run={dateRow.LastRun}")).Items.Select(r => r.SourceId), Is.All.EqualTo(Id));
            Assert.That((await ListAsync($"?q={Uri.EscapeDataString(reasonWord.ToUpperInvariant())}")).Items.Select(r => r.Id), Does.Contain(dateRow.Id));
            Assert.That((await ListAsync("?q=no-such-reason%25")).Items, Is.Empty);
        });

        var first = await ListAsync("?limit=2");
        var second = await ListAsync($"?limit=2&after={first.NextAfter}");
        Assert.That(first.Items, Has.Count.EqualTo(2));
        Assert.That(first.NextAfter, Is.EqualTo(first.Items[1].Id));
        Assert.That(second.Items.Select(r => r.Id), Is.EqualTo(new[] { all[2].Id }));
        Assert.That(second.NextAfter, Is.Null);

        using var badStatus = await Admin.GetAsync("/api/quarantine?status=closed");
        Assert.That(badStatus.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await badStatus.Content.ReadFromJsonAsync<HttpValidationProblemDetails>())!.Errors.Keys, Is.EqualTo(new[] { "status" }));
    }

    [Test]
    public async Task A_corrected_row_replayed_is_accepted_and_the_pool_shows_the_corrected_value()
    {
        var row = (await ListAsync($"?source={Id}")).Items.Single(r => r.Raw[IdColumn] == BadCheck.IdNumber);
        var corrected = IdNumberOf("19770808", 57);

        using var response = await Admin.PostAsJsonAsync($"/api/quarantine/{row.Id}/replay", new ReplayRequest(new Dictionary<string, string?> { [IdColumn] = corrected }));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var outcome = (await response.Content.ReadFromJsonAsync<ReplayOutcome>())!;
        Assert.That(outcome.Accepted, Is.True, string.Join("; ", outcome.Reasons));
        Assert.That(outcome.Reasons, Is.Empty);
        Assert.That(outcome.Row.Status, Is.EqualTo("replayed"));
        Assert.That(await ColumnAsync(Server, "pool_person", "id_number"), Does.Contain(corrected));
        Assert.That(await ColumnAsync(Server, "pool_person", "name"), Does.Contain(BadCheck.Name));
        Assert.That((await ListAsync("?status=replayed")).Items.Select(r => r.Id), Is.EqualTo(new[] { row.Id }));

        using var again = await Admin.PostAsJsonAsync($"/api/quarantine/{row.Id}/replay", new ReplayRequest(null));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await ServerHost.ProblemAsync(again)).Detail, Does.Contain("replayed"));
    }

    [Test]
    public async Task A_replayed_row_still_bad_stays_open_as_the_source_delivered_it_and_its_attempt_has_the_new_reasons()
    {
        var row = (await ListAsync($"?source={Id}")).Items.Single(r => r.Raw[IdColumn] == BadCheck.IdNumber);
        // A valid ID now, but of a woman born on another day: the row is still bad, for other reasons.
        var otherPerson = IdNumberOf("19800101", 58);

        using var response = await Admin.PostAsJsonAsync($"/api/quarantine/{row.Id}/replay", new ReplayRequest(new Dictionary<string, string?> { [IdColumn] = otherPerson }));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var outcome = (await response.Content.ReadFromJsonAsync<ReplayOutcome>())!;
        Assert.That(outcome.Accepted, Is.False);
        Assert.That(outcome.Reasons, Is.Not.Empty.And.Not.EqualTo(row.Reasons));
        var stored = await Admin.GetFromJsonAsync<QuarantinedRow>($"/api/quarantine/{row.Id}");
        Assert.That(stored!.Status, Is.EqualTo("open"));
        Assert.That((stored.Raw[IdColumn], stored.Reasons), Is.EqualTo((BadCheck.IdNumber, row.Reasons)));
        var attempt = stored.Attempts!.Single();
        Assert.That((attempt.Accepted, attempt.Reasons, attempt.Row[IdColumn], attempt.By), Is.EqualTo((false, outcome.Reasons, otherPerson, "t-admin")));
        Assert.That(attempt.Corrections, Is.EqualTo(new Dictionary<string, string?> { [IdColumn] = otherPerson }));
        Assert.That(await ColumnAsync(Server, "pool_person", "id_number"), Does.Not.Contain(otherPerson));
    }

    [Test]
    public async Task A_replay_after_a_failed_replay_keeps_the_original_row_every_attempt_and_the_accepted_value()
    {
        var row = (await ListAsync($"?source={Id}")).Items.Single(r => r.Raw[IdColumn] == BadCheck.IdNumber);
        var corrected = IdNumberOf("19800101", 57);

        using var first = await Admin.PostAsJsonAsync($"/api/quarantine/{row.Id}/replay", new ReplayRequest(new Dictionary<string, string?> { [IdColumn] = corrected }));
        Assert.That((await first.Content.ReadFromJsonAsync<ReplayOutcome>())!.Accepted, Is.False, "the birth date still says 1977");
        // The second attempt builds on the first: only the birth date is corrected now.
        using var second = await Admin.PostAsJsonAsync($"/api/quarantine/{row.Id}/replay", new ReplayRequest(new Dictionary<string, string?> { [BirthColumn] = "1980-01-01" }));
        var outcome = (await second.Content.ReadFromJsonAsync<ReplayOutcome>())!;

        Assert.That(outcome.Accepted, Is.True, string.Join("; ", outcome.Reasons));
        var stored = (await Admin.GetFromJsonAsync<QuarantinedRow>($"/api/quarantine/{row.Id}"))!;
        Assert.Multiple(() =>
        {
            Assert.That(stored.Status, Is.EqualTo("replayed"));
            Assert.That(stored.Raw, Is.EqualTo(row.Raw), "the original row");
            Assert.That(stored.Reasons, Is.EqualTo(row.Reasons), "the original reasons");
            Assert.That(stored.Attempts!.Select(a => a.Accepted), Is.EqualTo(new[] { false, true }));
            Assert.That(stored.Attempts![0].Reasons.Select(r => QuarantineReasons.Classify(r).Code), Is.EqualTo(new[] { QuarantineReasons.BirthDateMismatch }));
            Assert.That(stored.Attempts![1].Reasons, Is.Empty);
            Assert.That((stored.Attempts![1].Row[IdColumn], stored.Attempts![1].Row[BirthColumn], stored.Attempts![1].Row["姓名"]),
                Is.EqualTo((corrected, "1980-01-01", BadCheck.Name)), "the accepted value");
            Assert.That(outcome.Row.Attempts, Has.Count.EqualTo(2));
        });
        Assert.That(await ColumnAsync(Server, "pool_person", "id_number"), Does.Contain(corrected));
    }

    [Test]
    public async Task Totals_group_the_open_rows_by_source_and_by_reason_code_and_the_list_filters_by_code()
    {
        var totals = (await Admin.GetFromJsonAsync<QuarantineTotals>("/api/quarantine/totals"))!;

        Assert.Multiple(() =>
        {
            Assert.That(totals.Rows, Is.EqualTo(3));
            Assert.That(totals.BySource, Is.EqualTo(new Dictionary<string, long> { [Id] = 2, ["other"] = 1 }));
            Assert.That(totals.ByReason, Is.EqualTo(new Dictionary<string, long> { [QuarantineReasons.IdCheckCharacter] = 2, [QuarantineReasons.DateFormat] = 1 }));
            Assert.That(totals.BySourceAndReason, Does.Contain(new QuarantineCount(Id, QuarantineReasons.IdCheckCharacter, 1))
                .And.Contain(new QuarantineCount("other", QuarantineReasons.IdCheckCharacter, 1)).And.Contain(new QuarantineCount(Id, QuarantineReasons.DateFormat, 1)));
            Assert.That(totals.ByStatus, Is.EqualTo(new Dictionary<string, long> { ["open"] = 3 }));
        });

        var dated = (await ListAsync($"?reason={QuarantineReasons.DateFormat}")).Items.Single();
        Assert.That(dated.Raw[BirthColumn], Is.EqualTo("not a date"));
        var detail = dated.ReasonDetails.Single();
        Assert.That((detail.Code, detail.Field, detail.Columns), Is.EqualTo((QuarantineReasons.DateFormat, "birth_date", new[] { BirthColumn })));
        Assert.That((await ListAsync($"?reason={QuarantineReasons.IdCheckCharacter}&source=other")).Items, Has.Count.EqualTo(1));

        var row = (await ListAsync($"?source={Id}")).Items.Single(r => r.Raw[IdColumn] == BadCheck.IdNumber);
        using (await Admin.PostAsJsonAsync($"/api/quarantine/{row.Id}/dismiss", new DismissRequest("a paper record covers it"))) { }
        var afterDismissal = (await Admin.GetFromJsonAsync<QuarantineTotals>("/api/quarantine/totals"))!;
        Assert.That((afterDismissal.Rows, afterDismissal.ByStatus["dismissed"]), Is.EqualTo((2L, 1L)));
        Assert.That((await Admin.GetFromJsonAsync<QuarantineTotals>("/api/quarantine/totals?status=all"))!.Rows, Is.EqualTo(3));
        using var bad = await Admin.GetAsync("/api/quarantine?reason=no_such_code");
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task A_correction_of_an_unknown_column_is_refused()
    {
        var row = (await ListAsync("")).Items[0];

        using var response = await Admin.PostAsJsonAsync($"/api/quarantine/{row.Id}/replay", new ReplayRequest(new Dictionary<string, string?> { ["身份证"] = "x" }));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>())!.Errors.Keys, Is.EqualTo(new[] { "values.身份证" }));
    }

    [Test]
    public async Task Dismiss_needs_a_reason_and_resolves_the_row()
    {
        var row = (await ListAsync("")).Items[0];

        using var noReason = await Admin.PostAsJsonAsync($"/api/quarantine/{row.Id}/dismiss", new DismissRequest("  "));
        using var dismissed = await Admin.PostAsJsonAsync($"/api/quarantine/{row.Id}/dismiss", new DismissRequest("duplicate of a paper record"));
        using var again = await Admin.PostAsJsonAsync($"/api/quarantine/{row.Id}/dismiss", new DismissRequest("again"));
        using var replay = await Admin.PostAsJsonAsync($"/api/quarantine/{row.Id}/replay", new ReplayRequest(null));
        using var unknown = await Admin.PostAsJsonAsync("/api/quarantine/999999/dismiss", new DismissRequest("why"));

        Assert.That(noReason.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await noReason.Content.ReadFromJsonAsync<HttpValidationProblemDetails>())!.Errors.Keys, Is.EqualTo(new[] { "reason" }));
        Assert.That(dismissed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await dismissed.Content.ReadAsStringAsync());
        var resolved = (await dismissed.Content.ReadFromJsonAsync<QuarantinedRow>())!;
        Assert.That((resolved.Status, resolved.Resolution), Is.EqualTo(("dismissed", "duplicate of a paper record")));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await ListAsync("?status=dismissed")).Items.Select(r => r.Id), Is.EqualTo(new[] { row.Id }));
    }

    [Test]
    public async Task A_row_corrected_at_the_source_is_listed_as_resolved_and_a_row_still_bad_counts_its_runs()
    {
        WriteCsv(Root(Server), [Good[0], BadCheck, Good[1], BadDate with { BirthDate = "1992-03-04" }]);

        var run = await Server.Services.GetRequiredService<SyncRunner>().RunAsync(Id);

        var resolved = (await ListAsync($"?source={Id}&status=resolved")).Items.Single();
        Assert.That((resolved.Raw[IdColumn], resolved.SourceKey, resolved.Resolution), Is.EqualTo((BadDate.IdNumber, BadDate.IdNumber, $"the row arrived clean in run {run.RunId}")));
        var open = (await ListAsync($"?source={Id}&status=open")).Items.Single();
        Assert.That((open.Raw[IdColumn], open.SeenCount, open.LastRun), Is.EqualTo((BadCheck.IdNumber, 2L, run.RunId)));
    }

    private async Task<QuarantinePage> ListAsync(string query)
    {
        using var response = await Admin.GetAsync("/api/quarantine" + query);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{query}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<QuarantinePage>())!;
    }
}
