using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DataPool.Core.Store;
using DataPool.Server.Identity;
using DataPool.Server.Tests.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Server.Tests.Verification;

/// <summary>
/// POST /api/verify on the small demo world (household register and civil affairs): every claim answers yes, no and
/// unknown from the pool, nothing beyond the answer leaves, questions outside the department's grant are refused, and
/// every question is audited with its purpose.
/// </summary>
[TestFixture(StoreOptions.Sqlite)]
[TestFixture(StoreOptions.Postgres)]
public sealed class VerifyEndpointsTests(string store)
{
    private const string Nobody = "11010119900307001X"; // a valid-looking number no source holds
    private ServerHost _server = null!;

    [OneTimeSetUp]
    public async Task Start() => _server = await FormsWorld.ForAsync(store);

    private async Task ExecuteAsync(string sql, params (string, object?)[] parameters)
    {
        await using var connection = await _server.Services.GetRequiredService<PoolDatabase>().OpenAsync();
        await connection.ExecuteAsync(sql, null, default, parameters);
    }

    private Task<string?> Scalar(string sql, params (string, object?)[] parameters) => FormsWorld.ScalarAsync(_server, sql, parameters);

    private async Task<JsonElement> AskAsync(HttpClient client, object question, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.PostAsJsonAsync("/api/verify", question);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(expected), body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task<string> AnswerAsync(object question) =>
        (await AskAsync(await _server.ClientAsync(Roles.Analyst, "civil-affairs"), question)).GetProperty("answer").GetString()!;

    [Test]
    public async Task Lives_in_community_answers_yes_no_and_unknown_with_the_source_and_nothing_else()
    {
        var id = await Scalar("SELECT MIN(id_number) FROM pool_person WHERE community_code = @c AND _deleted = 0", ("@c", FormsWorld.CommunityA));
        var answer = await AskAsync(await _server.ClientAsync(Roles.Analyst, "civil-affairs"),
            new { claim = "lives-in-community", subject = id, community = FormsWorld.CommunityA, purpose = "低保申请 2026-118" });
        Assert.That(answer.GetProperty("answer").GetString(), Is.EqualTo("yes"));
        Assert.That(answer.GetProperty("source").GetProperty("department").GetString(), Is.EqualTo("public-security"));
        Assert.That(answer.GetProperty("asOf").GetString(), Is.Not.Empty);
        Assert.That(answer.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "claim", "answer", "asOf", "source", "basis" }), "no other data");
        Assert.That(answer.ToString(), Does.Not.Contain(id!), "the answer does not repeat personal values");

        Assert.That(await AnswerAsync(new { claim = "lives-in-community", subject = id, community = FormsWorld.CommunityB, purpose = "p" }), Is.EqualTo("no"));
        Assert.That(await AnswerAsync(new { claim = "lives-in-community", subject = Nobody, community = FormsWorld.CommunityA, purpose = "p" }), Is.EqualTo("unknown"));
    }

    [Test]
    public async Task Is_alive_is_no_once_no_source_holds_the_registration()
    {
        var poolId = await Scalar("SELECT MAX(pool_id) FROM pool_person WHERE _deleted = 0 AND relation_to_head <> '02'");
        var id = await Scalar("SELECT id_number FROM pool_person WHERE pool_id = @p", ("@p", long.Parse(poolId!, CultureInfo.InvariantCulture)));
        Assert.That(await AnswerAsync(new { claim = "is-alive", subject = id, purpose = "养老金资格认证" }), Is.EqualTo("yes"));
        Assert.That(await AnswerAsync(new { claim = "is-alive", subject = Nobody, purpose = "养老金资格认证" }), Is.EqualTo("unknown"));
        // The registration cancelled as a full sync would leave it (restored after: the world is shared).
        await ExecuteAsync("UPDATE pool_person SET _deleted = 1 WHERE id_number = @id", ("@id", id));
        try
        {
            Assert.That(await AnswerAsync(new { claim = "is-alive", subject = id, purpose = "养老金资格认证" }), Is.EqualTo("no"));
        }
        finally
        {
            await ExecuteAsync("UPDATE pool_person SET _deleted = 0 WHERE id_number = @id", ("@id", id));
        }
    }

    [Test]
    public async Task Child_spouse_and_parent_are_read_off_the_relations_to_the_head()
    {
        var household = await Scalar(
            "SELECT MIN(h.household_no) FROM pool_person h WHERE h.relation_to_head = '02' AND h._deleted = 0 "
            + "AND EXISTS (SELECT 1 FROM pool_person s WHERE s.household_no = h.household_no AND s.relation_to_head LIKE '1_' AND s._deleted = 0) "
            + "AND EXISTS (SELECT 1 FROM pool_person c WHERE c.household_no = h.household_no AND (c.relation_to_head LIKE '2_' OR c.relation_to_head LIKE '3_') AND c.relation_to_head NOT IN ('28', '38') AND c._deleted = 0)");
        Assert.That(household, Is.Not.Null, "the demo world has a household of head, spouse and child");
        var head = await Scalar("SELECT MIN(id_number) FROM pool_person WHERE household_no = @h AND relation_to_head = '02' AND _deleted = 0", ("@h", household));
        var spouse = await Scalar("SELECT MIN(id_number) FROM pool_person WHERE household_no = @h AND relation_to_head LIKE '1_' AND _deleted = 0", ("@h", household));
        var child = await Scalar("SELECT MIN(id_number) FROM pool_person WHERE household_no = @h AND (relation_to_head LIKE '2_' OR relation_to_head LIKE '3_') AND relation_to_head NOT IN ('28', '38') AND _deleted = 0", ("@h", household));
        var stranger = await Scalar("SELECT MIN(id_number) FROM pool_person WHERE household_no <> @h AND _deleted = 0", ("@h", household));

        Assert.That(await AnswerAsync(new { claim = "is-child-of", subject = child, other = head, purpose = "p" }), Is.EqualTo("yes"));
        Assert.That(await AnswerAsync(new { claim = "is-child-of", subject = child, other = spouse, purpose = "p" }), Is.EqualTo("yes"));
        Assert.That(await AnswerAsync(new { claim = "is-parent-of", subject = head, other = child, purpose = "p" }), Is.EqualTo("yes"));
        Assert.That(await AnswerAsync(new { claim = "is-spouse-of", subject = spouse, other = head, purpose = "p" }), Is.EqualTo("yes"));
        Assert.That(await AnswerAsync(new { claim = "is-child-of", subject = head, other = child, purpose = "p" }), Is.EqualTo("no"));
        Assert.That(await AnswerAsync(new { claim = "is-spouse-of", subject = child, other = head, purpose = "p" }), Is.EqualTo("no"));
        Assert.That(await AnswerAsync(new { claim = "is-child-of", subject = child, other = stranger, purpose = "p" }), Is.EqualTo("unknown"));
        Assert.That(await AnswerAsync(new { claim = "is-child-of", subject = child, other = Nobody, purpose = "p" }), Is.EqualTo("unknown"));
    }

    [Test]
    public async Task Receives_dibao_is_read_from_civil_affairs_records()
    {
        var receiving = await Scalar("SELECT MIN(id_number) FROM pool_social_assistance WHERE assistance_type = '1' AND status = '1' AND _deleted = 0");
        var without = await Scalar("SELECT MIN(p.id_number) FROM pool_person p WHERE p._deleted = 0 AND NOT EXISTS (SELECT 1 FROM pool_social_assistance a WHERE a.id_number = p.id_number)");
        var answer = await AskAsync(await _server.ClientAsync(Roles.Analyst, "civil-affairs"), new { claim = "receives-dibao", subject = receiving, purpose = "临时救助" });
        Assert.That(answer.GetProperty("answer").GetString(), Is.EqualTo("yes"));
        Assert.That(answer.GetProperty("source").GetProperty("department").GetString(), Is.EqualTo("civil-affairs"));
        Assert.That(await AnswerAsync(new { claim = "receives-dibao", subject = without, purpose = "临时救助" }), Is.EqualTo("no"));
        Assert.That(await AnswerAsync(new { claim = "receives-dibao", subject = Nobody, purpose = "临时救助" }), Is.EqualTo("unknown"));
    }

    [Test]
    public async Task A_claim_outside_the_department_grant_is_refused_and_a_worker_may_not_ask()
    {
        var id = await Scalar("SELECT MIN(id_number) FROM pool_social_assistance WHERE _deleted = 0");
        var humanResources = await _server.ClientAsync(Roles.Analyst, "human-resources");
        var refused = await AskAsync(humanResources, new { claim = "receives-dibao", subject = id, purpose = "p" }, HttpStatusCode.Forbidden);
        Assert.That(refused.GetProperty("detail").GetString(), Does.Contain("social_assistance"));
        await AskAsync(await _server.ClientAsync(Roles.Analyst, "civil-affairs"), new { claim = "disability-grade-at-most", subject = id, grade = "2", purpose = "p" }, HttpStatusCode.Forbidden);
        using var worker = await (await _server.ClientAsync(Roles.Worker)).PostAsJsonAsync("/api/verify", new { claim = "is-alive", subject = id, purpose = "p" });
        Assert.That(worker.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        await AskAsync(await _server.ClientAsync(Roles.Analyst, "civil-affairs"), new { claim = "is-rich", subject = id, purpose = "p" }, HttpStatusCode.BadRequest);
        await AskAsync(await _server.ClientAsync(Roles.Analyst, "civil-affairs"), new { claim = "is-alive", subject = id, purpose = "" }, HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Every_question_is_audited_with_its_purpose()
    {
        var poolId = await Scalar("SELECT MIN(pool_id) FROM pool_person WHERE _deleted = 0 AND community_code = @c", ("@c", FormsWorld.CommunityA));
        var id = await Scalar("SELECT id_number FROM pool_person WHERE pool_id = @p", ("@p", long.Parse(poolId!, CultureInfo.InvariantCulture)));
        var purpose = "入学审核 " + Guid.NewGuid().ToString("N")[..8];
        await AnswerAsync(new { claim = "is-alive", subject = id, purpose });
        var log = await FormsWorld.JsonAsync(await (await _server.ClientAsync(Roles.Admin)).GetAsync($"/api/pool/person/{poolId}/access-log"));
        var entry = log.GetProperty("entries").EnumerateArray().FirstOrDefault(e => e.GetProperty("purpose").GetString()!.Contains(purpose, StringComparison.Ordinal));
        Assert.That(entry.ValueKind, Is.EqualTo(JsonValueKind.Object), "the question is in the resident's access log");
        Assert.That(entry.GetProperty("purpose").GetString(), Does.StartWith("verify is-alive: "));
        Assert.That(entry.GetProperty("department").GetString(), Is.EqualTo("civil-affairs"));
    }
}
