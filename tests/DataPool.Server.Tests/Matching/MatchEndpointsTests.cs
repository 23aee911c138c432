using System.Net;
using System.Net.Http.Json;
using System.Text;
using DataPool.Core.Matching;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using DataPool.Server.Identity;
using Microsoft.Extensions.DependencyInjection;
using static DataPool.Server.Tests.Sources.ApiSources;

namespace DataPool.Server.Tests.Matching;

/// <summary><c>/api/matches</c> on a running server: who may see the queue, accept and reject, ProblemDetails for the wrong state.</summary>
[TestFixture(StoreOptions.Sqlite)]
[TestFixture(StoreOptions.Postgres)]
public sealed class MatchEndpointsTests(string store) : AdminServerTests(store)
{
    private const string Id = "110101195703020017";

    private static string Definition(string id, string key, string idMapping) => $$"""
        { "id": "{{id}}", "name": "{{id}}", "department": "{{(id == "hukou" ? "public-security" : "community")}}", "kind": "csv", "settings": { "path": "{{id}}.csv" },
          "priority": {{(id == "hukou" ? 10 : 1)}},
          "streams": [{ "name": "persons", "entity": "person", "key": ["{{key}}"], "fields": {
            "id_number": {{idMapping}}, "name": { "from": "姓名" }, "gender": { "from": "性别" },
            "birth_date": { "from": "出生日期", "parse": "date" }, "community_code": { "from": "社区" } } }] }
        """;

    [SetUp]
    public async Task StartAsync()
    {
        Assert.That(Core.Values.IdNumber.TryNormalise(Id, out _, out _), Is.True);
        var root = Root(Server);
        File.WriteAllText(Path.Combine(root, "hukou.csv"), $"身份证号,姓名,性别,出生日期,社区\n{Id},张三,男,1957-03-02,110101001001\n", Encoding.UTF8);
        File.WriteAllText(Path.Combine(root, "ledger.csv"), "编号,身份证号,姓名,性别,出生日期,社区\nL1,,張三,女,1957/3/2,110101001002\n", Encoding.UTF8);
        await AddAsync(Admin, Definition("hukou", "身份证号", """{ "from": "身份证号" }"""));
        await AddAsync(Admin, Definition("ledger", "编号", """{ "from": "身份证号", "onInvalid": "flag" }"""));
        var runner = Server.Services.GetRequiredService<SyncRunner>();
        Assert.That((await runner.RunAsync("hukou")).Succeeded, Is.True);
        Assert.That((await runner.RunAsync("ledger")).Counts.New, Is.EqualTo(1), "a provisional person for the uncertain row");
    }

    [Test]
    public async Task OnlyAdmins_see_the_queue_and_an_item_shows_both_records_and_the_score_per_field()
    {
        foreach (var role in new[] { Roles.Worker, Roles.Analyst })
        {
            using var denied = await (await Server.ClientAsync(role)).GetAsync("/api/matches");
            Assert.That(denied.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), role);
        }

        using var anonymous = await Server.Anonymous().GetAsync("/api/matches");
        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

        var page = await Admin.GetFromJsonAsync<ReviewPage>("/api/matches?page=1&size=10");
        var item = page!.Items.Single();
        Assert.That(page.Total, Is.EqualTo(1));
        Assert.That((item.Left.Values["name"], item.Right.Values["name"]), Is.EqualTo(("張三", "张三")));
        Assert.That(item.Fields.Select(f => f.Field), Is.SupersetOf(new[] { "id_number", "name", "birth_date", "gender", "community_code" }));
        Assert.That(item.Fields.Single(f => f.Field == "gender"), Has.Property(nameof(FieldScore.Outcome)).EqualTo("differ").And.Property(nameof(FieldScore.Weight)).LessThan(0));

        using var bad = await Admin.GetAsync("/api/matches?size=0");
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using var missing = await Admin.GetAsync("/api/matches/424242");
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await ServerHost.ProblemAsync(missing)).Detail, Does.Contain("424242"));
    }

    [Test]
    public async Task Accept_merges_once_and_the_merged_id_explains_as_the_survivor_with_its_conflicts()
    {
        var item = (await Admin.GetFromJsonAsync<ReviewPage>("/api/matches"))!.Items.Single();
        using var worker = await (await Server.ClientAsync(Roles.Worker)).PostAsync($"/api/matches/{item.Id}/accept", null);
        Assert.That(worker.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        using var accepted = await Admin.PostAsync($"/api/matches/{item.Id}/accept", null);
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK), await accepted.Content.ReadAsStringAsync());
        var decided = await accepted.Content.ReadFromJsonAsync<ReviewItem>();
        Assert.That((decided!.Status, decided.Survivor, decided.DecidedBy), Is.EqualTo((ReviewStatus.Accepted, (long?)item.Right.PoolId, "t-admin")));

        using var again = await Admin.PostAsync($"/api/matches/{item.Id}/accept", null);
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That((await ServerHost.ProblemAsync(again)).Detail, Does.Contain("accepted"));

        var explanation = await Admin.GetFromJsonAsync<Explanation>($"/api/pool/person/{item.Left.PoolId}/explain");
        Assert.That((explanation!.PoolId, explanation.RedirectedFrom), Is.EqualTo((item.Right.PoolId, (long?)item.Left.PoolId)));
        Assert.That(explanation.Conflicts!.Select(c => c.Field), Is.SupersetOf(new[] { "gender", "community_code" }));
        var conflicts = await Admin.GetFromJsonAsync<List<ConflictRow>>($"/api/matches/conflicts?pool={item.Right.PoolId}");
        Assert.That(conflicts!.Select(c => c.Field), Does.Contain("gender"));

        using var split = await Admin.PostAsync($"/api/matches/{item.Id}/split", null);
        Assert.That((await split.Content.ReadFromJsonAsync<ReviewItem>())!.Status, Is.EqualTo(ReviewStatus.Split));
    }

    [Test]
    public async Task No_status_means_pending_and_the_summary_counts_pending_items_per_source()
    {
        var item = (await Admin.GetFromJsonAsync<ReviewPage>("/api/matches"))!.Items.Single();
        Assert.That(item.Status, Is.EqualTo(ReviewStatus.Pending));
        Assert.That((await Admin.GetFromJsonAsync<ReviewPage>("/api/matches?status="))!.Items.Select(i => i.Id), Is.EqualTo(new[] { item.Id }));
        Assert.That((await Admin.GetFromJsonAsync<ReviewPage>("/api/matches?source=ledger"))!.Total, Is.EqualTo(1));
        Assert.That((await Admin.GetFromJsonAsync<ReviewPage>("/api/matches?source=hukou"))!.Total, Is.EqualTo(0));
        var summary = (await Admin.GetFromJsonAsync<ReviewSummary>("/api/matches/summary"))!;
        Assert.That((summary.Pending, summary.PendingBySource), Is.EqualTo((1L, new Dictionary<string, long> { ["ledger"] = 1 })));

        using (await Admin.PostAsync($"/api/matches/{item.Id}/reject", null)) { }

        Assert.That((await Admin.GetFromJsonAsync<ReviewPage>("/api/matches"))!.Total, Is.EqualTo(0), "a decided item leaves the default list");
        Assert.That((await Admin.GetFromJsonAsync<ReviewSummary>("/api/matches/summary"))!.Pending, Is.EqualTo(0));
    }

    [Test]
    public async Task Conflict_candidates_are_json_objects_not_a_json_string()
    {
        var item = (await Admin.GetFromJsonAsync<ReviewPage>("/api/matches"))!.Items.Single();
        using (await Admin.PostAsync($"/api/matches/{item.Id}/accept", null)) { }

        using var response = await Admin.GetAsync($"/api/matches/conflicts?pool={item.Right.PoolId}");
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var gender = json.RootElement.EnumerateArray().Single(c => c.GetProperty("field").GetString() == "gender");
        var candidates = gender.GetProperty("candidates");
        Assert.That(candidates.ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Array));
        Assert.That(candidates.EnumerateArray().Select(c => (c.GetProperty("source").GetString(), c.GetProperty("value").GetString())),
            Is.EquivalentTo(new (string?, string?)[] { ("hukou", "1"), ("ledger", "2") }));
        Assert.That(candidates.EnumerateArray().Select(c => c.GetProperty("record").GetInt64()), Is.All.GreaterThan(0));
    }

    [Test]
    public async Task Reject_keeps_them_apart_and_empties_the_queue()
    {
        var item = (await Admin.GetFromJsonAsync<ReviewPage>("/api/matches"))!.Items.Single();

        using var rejected = await Admin.PostAsync($"/api/matches/{item.Id}/reject", null);

        Assert.That(rejected.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Admin.GetFromJsonAsync<ReviewPage>("/api/matches"))!.Items, Is.Empty);
        Assert.That((await Admin.GetFromJsonAsync<ReviewPage>("/api/matches?status=rejected"))!.Items.Single().Id, Is.EqualTo(item.Id));
        using var split = await Admin.PostAsync($"/api/matches/{item.Id}/split", null);
        Assert.That(split.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "only an accepted merge can be split");
    }

    [Test]
    public async Task Every_read_of_the_queue_passes_the_guard_and_is_audited_for_both_persons_and_refused_to_everyone_else()
    {
        var item = (await Admin.GetFromJsonAsync<ReviewPage>("/api/matches"))!.Items.Single();
        var persons = new[] { item.Left.PoolId, item.Right.PoolId };
        Assert.That(persons.Distinct().Count(), Is.EqualTo(2), "the row's provisional person and the candidate");
        foreach (var person in persons)
        {
            Assert.That(await AuditedAsync("t-admin", person, "match review list"), Is.Positive, $"the list's read of person {person} is audited");
        }

        var before = await AuditedAsync("t-admin", item.Right.PoolId, $"match review {item.Id}");
        var read = (await Admin.GetFromJsonAsync<ReviewItem>($"/api/matches/{item.Id}"))!;
        Assert.That(read.Right.Values["name"], Is.EqualTo("张三"), "an administrator's grant shows every field unmasked");
        Assert.That(await AuditedAsync("t-admin", item.Right.PoolId, $"match review {item.Id}"), Is.EqualTo(before + 1), "the item's read is audited");
        Assert.That(await AuditedAsync("t-admin", item.Left.PoolId, $"match review {item.Id}"), Is.Positive);

        using (await Admin.PostAsync($"/api/matches/{item.Id}/accept", null)) { }
        Assert.That(await AuditedAsync("t-admin", item.Right.PoolId, $"match accept {item.Id}"), Is.Positive, "the decided item shown back is audited");
        using (await Admin.GetAsync($"/api/matches/conflicts?pool={item.Right.PoolId}")) { }
        Assert.That(await AuditedAsync("t-admin", item.Right.PoolId, "match conflicts"), Is.Positive, "the sources' values of the person are audited");

        foreach (var role in new[] { Roles.Worker, Roles.Analyst })
        {
            var client = await Server.ClientAsync(role);
            foreach (var path in new[] { "/api/matches", $"/api/matches/{item.Id}", $"/api/matches/conflicts?pool={item.Right.PoolId}" })
            {
                using var refused = await client.GetAsync(path);
                Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), $"{role} {path}");
            }

            Assert.That(await AuditedAsync($"t-{role}", item.Right.PoolId, "match%"), Is.Zero, $"{role}: a refusal shows nothing and logs nothing");
        }
    }

    /// <summary>The access-log entries of the viewer's reads of the person with the purpose (a LIKE pattern).</summary>
    private async Task<long> AuditedAsync(string viewer, long person, string purpose)
    {
        const string sql = "SELECT COUNT(*) FROM dp_access_log WHERE viewer = @viewer AND entity = 'person' AND pool_id = @id AND purpose LIKE @purpose";
        await using var connection = await StoreQueries.OpenAsync(Server.Services, sql);
        return await connection.ScalarAsync<long>(sql, null, default, ("@viewer", viewer), ("@id", person), ("@purpose", purpose));
    }

    [Test]
    public async Task Splitting_a_record_off_is_forAdmins_and_answers_problems_for_a_missing_or_lone_record()
    {
        long ledgerRecord;
        await using (var connection = await Server.Services.GetRequiredService<PoolDatabase>().OpenAsync())
        {
            ledgerRecord = await connection.ScalarAsync<long>("SELECT id FROM dp_source_records WHERE source_id = 'ledger'");
        }

        using var denied = await (await Server.ClientAsync(Roles.Analyst)).PostAsync($"/api/matches/records/{ledgerRecord}/split", null);
        Assert.That(denied.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        using var missing = await Admin.PostAsync("/api/matches/records/987654/split", null);
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await missing.Content.ReadAsStringAsync(), Does.Contain("no live source record 987654"));

        using var lone = await Admin.PostAsync($"/api/matches/records/{ledgerRecord}/split", null);
        Assert.That(lone.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "the provisional person has only this record");
        Assert.That(await lone.Content.ReadAsStringAsync(), Does.Contain("a person of its own already"));
    }
}
