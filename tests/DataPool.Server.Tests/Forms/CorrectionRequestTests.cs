using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using DataPool.Server.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Server.Tests.Forms;

/// <summary>
/// A form correction never takes a department's authority: the form's save leaves unchanged values' provenance alone,
/// and a change to a department's <c>owner</c> field becomes a correction request (纠错) that department decides.
/// </summary>
[TestFixture(StoreOptions.Sqlite)]
[TestFixture(StoreOptions.Postgres)]
public sealed class CorrectionRequestTests(string store)
{
    private const string PublicSecurity = "public-security";
    private ServerHost _server = null!;
    private HttpClient _worker = null!;
    private HttpClient _police = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _server = await FormsWorld.ForAsync(store);
        _worker = await _server.ClientAsync(Roles.Worker);
        _police = await _server.ClientAsync(Roles.Analyst, PublicSecurity);
    }

    private async Task<(JsonElement Form, string Etag)> OpenAsync(string householdNo)
    {
        using var response = await _worker.GetAsync($"/api/forms/households/{householdNo}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await FormsWorld.JsonAsync(response), response.Headers.ETag!.Tag);
    }

    private async Task<JsonElement> SaveAsync(string householdNo, string etag, long poolId, object members)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/forms/households/{householdNo}")
        {
            Content = JsonContent.Create(new { members = new[] { new { poolId = (long?)poolId, remove = false, sections = new { members } } } }),
        };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        using var response = await _worker.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await FormsWorld.JsonAsync(response);
    }

    private Task<Explanation?> ExplainAsync(long poolId) => _server.Services.GetRequiredService<PoolExplainer>().ExplainAsync("person", poolId);

    private static JsonElement Field(JsonElement form, long poolId, string field) =>
        form.GetProperty("members").EnumerateArray().First(m => m.GetProperty("poolId").GetInt64() == poolId).GetProperty("sections").GetProperty("members").GetProperty(field);

    /// <summary>A member who is not the head, their relation, and another valid relation to propose.</summary>
    private async Task<(string HouseholdNo, long PoolId, string Current, string Proposed, long CorrectionId)> ProposeRelationAsync(int household)
    {
        var householdNo = await FormsWorld.HouseholdAsync(_server, FormsWorld.CommunityA, household);
        var (form, etag) = await OpenAsync(householdNo);
        var member = form.GetProperty("members")[1];
        var poolId = member.GetProperty("poolId").GetInt64();
        var current = Field(form, poolId, "relation_to_head").GetProperty("value").GetString()!;
        var proposed = current == "20" ? "30" : "20";
        var saved = await SaveAsync(householdNo, etag, poolId, new { relation_to_head = proposed });
        var created = saved.GetProperty("createdCorrections").EnumerateArray().Select(e => e.GetInt64()).ToList();
        Assert.That(created, Has.Count.EqualTo(1), saved.ToString());
        Assert.That(Field(saved, poolId, "relation_to_head").GetProperty("value").GetString(), Is.EqualTo(current), "the form does not change the department's field");
        return (householdNo, poolId, current, proposed, created[0]);
    }

    private static async Task<List<JsonElement>> ListAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/api/corrections");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await FormsWorld.JsonAsync(response)).EnumerateArray().ToList();
    }

    private static JsonElement? Find(IEnumerable<JsonElement> list, long id) => list.Cast<JsonElement?>().FirstOrDefault(c => c!.Value.GetProperty("id").GetInt64() == id);

    private static JsonElement StatusInForm(JsonElement form, long id) => form.GetProperty("corrections").EnumerateArray().Single(c => c.GetProperty("id").GetInt64() == id);

    [Test]
    public async Task Correcting_only_a_phone_keeps_id_number_provenance()
    {
        var householdNo = await FormsWorld.HouseholdAsync(_server, FormsWorld.CommunityA, 30);
        var (form, etag) = await OpenAsync(householdNo);
        var poolId = form.GetProperty("members")[0].GetProperty("poolId").GetInt64();
        var before = (await ExplainAsync(poolId))!.Fields.ToDictionary(f => f.Field);

        var saved = await SaveAsync(householdNo, etag, poolId, new { phone = "13612345678" });

        var after = (await ExplainAsync(poolId))!.Fields.ToDictionary(f => f.Field);
        Assert.That(after["id_number"].From!.SourceId, Is.EqualTo("hukou"), "explain of the ID number still credits the household register");
        Assert.That(Field(saved, poolId, "id_number").GetProperty("source").GetString(), Is.EqualTo("hukou"));
        Assert.That(after["phone"].From!.SourceId, Is.EqualTo("community-form"));
        foreach (var field in after.Keys.Where(f => f != "phone"))
        {
            Assert.That(after[field].From?.RecordId, Is.EqualTo(before[field].From?.RecordId), $"{field}: the worker did not change it, its provenance stays");
        }
    }

    [Test]
    public async Task A_change_to_an_owned_field_is_a_correction_request_listed_for_the_owning_department_only()
    {
        var (householdNo, poolId, current, proposed, id) = await ProposeRelationAsync(31);

        var request = Find(await ListAsync(_police), id);
        Assert.That(request, Is.Not.Null, "listed for public security's analysts");
        Assert.That(request!.Value.GetProperty("status").GetString(), Is.EqualTo("open"));
        Assert.That(request.Value.GetProperty("department").GetString(), Is.EqualTo(PublicSecurity));
        Assert.That(request.Value.GetProperty("currentValue").GetString(), Is.EqualTo(current));
        Assert.That(request.Value.GetProperty("currentSource").GetString(), Is.EqualTo("hukou"));
        Assert.That(request.Value.GetProperty("proposed").GetString(), Is.EqualTo(proposed));
        Assert.That(request.Value.GetProperty("poolId").GetInt64(), Is.EqualTo(poolId));
        Assert.That(request.Value.GetProperty("worker").GetString(), Is.EqualTo($"t-worker-{FormsWorld.CommunityA}"));
        Assert.That(request.Value.TryGetProperty("recordKey", out _), Is.False, "the ID number is not listed");

        Assert.That(Find(await ListAsync(await _server.ClientAsync(Roles.Analyst)), id), Is.Null, "not listed for civil affairs");
        Assert.That(Find(await ListAsync(await _server.ClientAsync(Roles.Worker, FormsWorld.CommunityB)), id), Is.Null, "not listed for another community");
        Assert.That(Find(await ListAsync(_worker), id), Is.Not.Null, "the worker's community sees its requests");
        Assert.That(Find(await ListAsync(await _server.ClientAsync(Roles.Admin)), id), Is.Not.Null);

        var (form, _) = await OpenAsync(householdNo);
        var status = StatusInForm(form, id);
        Assert.That(status.GetProperty("formKey").GetString(), Is.EqualTo($"members[pool:{poolId}].relation_to_head"));
        Assert.That(status.GetProperty("status").GetString(), Is.EqualTo("open"), "the worker sees the request next to the field");
    }

    [Test]
    public async Task An_accepted_correction_is_applied_as_the_departments_value_with_provenance()
    {
        var (householdNo, poolId, _, proposed, id) = await ProposeRelationAsync(32);

        using (var civil = await (await _server.ClientAsync(Roles.Analyst)).PostAsync($"/api/corrections/{id}/accept", null))
        {
            Assert.That(civil.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "another department's request answers like a missing one");
        }

        using (var byWorker = await _worker.PostAsync($"/api/corrections/{id}/accept", null))
        {
            Assert.That(byWorker.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        }

        using var accepted = await _police.PostAsync($"/api/corrections/{id}/accept", null);
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK), await accepted.Content.ReadAsStringAsync());
        Assert.That((await FormsWorld.JsonAsync(accepted)).GetProperty("status").GetString(), Is.EqualTo("accepted"));

        Assert.That(await FormsWorld.ScalarAsync(_server, "SELECT relation_to_head FROM pool_person WHERE pool_id = @id", ("@id", poolId)), Is.EqualTo(proposed));
        var relation = (await ExplainAsync(poolId))!.Fields.Single(f => f.Field == "relation_to_head");
        Assert.That(relation.From!.SourceId, Is.EqualTo("correction-public-security"));
        Assert.That(relation.From.Location, Is.EqualTo($"correction request {id}"));
        Assert.That((await ExplainAsync(poolId))!.Fields.Single(f => f.Field == "id_number").From!.SourceId, Is.EqualTo("hukou"));

        var (form, _) = await OpenAsync(householdNo);
        Assert.That(Field(form, poolId, "relation_to_head").GetProperty("department").GetString(), Is.EqualTo(PublicSecurity));
        Assert.That(StatusInForm(form, id).GetProperty("status").GetString(), Is.EqualTo("accepted"));

        using var again = await _police.PostAsync($"/api/corrections/{id}/accept", null);
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "a request is decided once");
    }

    [Test]
    public async Task A_changed_id_number_of_a_registered_member_becomes_a_request_to_the_register_and_never_rekeys_the_pool()
    {
        var householdNo = await FormsWorld.HouseholdAsync(_server, FormsWorld.CommunityA, 34);
        var (form, etag) = await OpenAsync(householdNo);
        var poolId = form.GetProperty("members")[1].GetProperty("poolId").GetInt64();
        var current = Field(form, poolId, "id_number").GetProperty("value").GetString()!;
        // Another valid number: the same first 17 characters but the sequence one up, with its own check character.
        var first17 = current[..14] + ((int.Parse(current[14..17], System.Globalization.CultureInfo.InvariantCulture) + 2) % 1000).ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
        var proposed = first17 + DataPool.Core.Values.IdNumber.CheckCharacter(first17);

        var saved = await SaveAsync(householdNo, etag, poolId, new { id_number = proposed });
        var id = saved.GetProperty("createdCorrections").EnumerateArray().Single().GetInt64();
        Assert.That(Field(saved, poolId, "id_number").GetProperty("value").GetString(), Is.EqualTo(current), "the form never re-keys a person");
        var listed = Find(await ListAsync(_police), id);
        Assert.That(listed, Is.Not.Null, "listed for the register");
        Assert.That(listed!.Value.GetProperty("field").GetString(), Is.EqualTo("id_number"));

        using var accepted = await _police.PostAsync($"/api/corrections/{id}/accept", null);
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK), await accepted.Content.ReadAsStringAsync());
        var decided = await FormsWorld.JsonAsync(accepted);
        Assert.That(decided.GetProperty("status").GetString(), Is.EqualTo("accepted"));
        Assert.That(decided.GetProperty("reason").GetString(), Does.Contain("its own system"));
        Assert.That(await FormsWorld.ScalarAsync(_server, "SELECT id_number FROM pool_person WHERE pool_id = @id", ("@id", poolId)), Is.EqualTo(current),
            "the register's next export carries the number; nothing re-keys the pool meanwhile");
        Assert.That(await FormsWorld.ScalarAsync(_server, "SELECT COUNT(*) FROM pool_person WHERE id_number = @id", ("@id", proposed)), Is.EqualTo("0"), "no duplicate person");
    }

    [Test]
    public async Task A_rejected_correction_keeps_the_value_and_tells_the_worker_why()
    {
        var (householdNo, poolId, current, _, id) = await ProposeRelationAsync(33);

        using (var noReason = await _police.PostAsJsonAsync($"/api/corrections/{id}/reject", new { reason = " " }))
        {
            Assert.That(noReason.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        }

        using var rejected = await _police.PostAsJsonAsync($"/api/corrections/{id}/reject", new { reason = "户籍档案记载为原值" });
        Assert.That(rejected.StatusCode, Is.EqualTo(HttpStatusCode.OK), await rejected.Content.ReadAsStringAsync());

        Assert.That(await FormsWorld.ScalarAsync(_server, "SELECT relation_to_head FROM pool_person WHERE pool_id = @id", ("@id", poolId)), Is.EqualTo(current));
        var (form, _) = await OpenAsync(householdNo);
        var status = StatusInForm(form, id);
        Assert.That(status.GetProperty("status").GetString(), Is.EqualTo("rejected"));
        Assert.That(status.GetProperty("reason").GetString(), Is.EqualTo("户籍档案记载为原值"));
        var listed = Find(await ListAsync(_worker), id)!.Value;
        Assert.That(listed.GetProperty("status").GetString(), Is.EqualTo("rejected"));
        Assert.That(listed.GetProperty("decidedBy").GetString(), Is.EqualTo($"t-analyst-{PublicSecurity}"));

        using var accept = await _police.PostAsync($"/api/corrections/{id}/accept", null);
        Assert.That(accept.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "a rejected request cannot be accepted after all");
    }
}
