using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DataPool.Core.Store;
using DataPool.Server.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Server.Tests.Forms;

/// <summary>The forms API over the demo world: prefill with provenance, save through the pipeline, ETag conflicts, validation, members.</summary>
[TestFixture(StoreOptions.Sqlite)]
[TestFixture(StoreOptions.Postgres)]
public sealed class FormEndpointsTests(string store)
{
    private ServerHost _server = null!;
    private HttpClient _worker = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _server = await FormsWorld.ForAsync(store);
        _worker = await _server.ClientAsync(Roles.Worker);
    }

    private async Task<(JsonElement Form, string Etag)> OpenAsync(string householdNo)
    {
        using var response = await _worker.GetAsync($"/api/forms/households/{householdNo}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var form = await FormsWorld.JsonAsync(response);
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo($"\"{form.GetProperty("etag").GetString()}\""));
        return (form, response.Headers.ETag!.Tag);
    }

    private Task<HttpResponseMessage> SaveAsync(string householdNo, string? etag, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/forms/households/{householdNo}") { Content = JsonContent.Create(body) };
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }

        return _worker.SendAsync(request);
    }

    private static JsonElement Member(JsonElement form, long poolId) =>
        form.GetProperty("members").EnumerateArray().First(m => m.GetProperty("poolId").GetInt64() == poolId);

    private static JsonElement Value(JsonElement member, string section, string field) => member.GetProperty("sections").GetProperty(section).GetProperty(field);

    [Test]
    public async Task The_form_is_prefilled_from_the_pool_with_the_source_department_and_time_of_each_value()
    {
        var householdNo = await FormsWorld.HouseholdAsync(_server, FormsWorld.CommunityA, 0);
        var (form, _) = await OpenAsync(householdNo);

        Assert.That(form.GetProperty("communityCode").GetString(), Is.EqualTo(FormsWorld.CommunityA));
        var members = form.GetProperty("members").EnumerateArray().ToList();
        var count = await FormsWorld.ScalarAsync(_server, "SELECT COUNT(*) FROM pool_person WHERE household_no = @h AND _deleted = 0", ("@h", householdNo));
        Assert.That(members, Has.Count.EqualTo(int.Parse(count!, System.Globalization.CultureInfo.InvariantCulture)));
        foreach (var member in members)
        {
            var poolId = member.GetProperty("poolId").GetInt64();
            var name = Value(member, "members", "name");
            Assert.That(name.GetProperty("value").GetString(), Is.EqualTo(await FormsWorld.ScalarAsync(_server, "SELECT name FROM pool_person WHERE pool_id = @id", ("@id", poolId))));
            Assert.That(name.GetProperty("source").GetString(), Is.EqualTo("hukou"));
            Assert.That(name.GetProperty("department").GetString(), Is.EqualTo("public-security"));
            Assert.That(DateTimeOffset.TryParse(name.GetProperty("at").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _), name.ToString());
        }

        var address = form.GetProperty("sections").GetProperty("household").GetProperty("address");
        Assert.That(address.GetProperty("value").GetString(), Is.EqualTo(await FormsWorld.ScalarAsync(_server, "SELECT address FROM pool_household WHERE household_no = @h", ("@h", householdNo))));
        var community = form.GetProperty("sections").GetProperty("community").GetProperty("name");
        Assert.That(community.GetProperty("source").GetString(), Is.EqualTo("civil-affairs"));
        var firstMember = members[0].GetProperty("poolId").GetInt64();
        Assert.That(await FormsWorld.ScalarAsync(_server, "SELECT viewer FROM dp_access_log WHERE entity = 'person' AND pool_id = @id AND purpose LIKE @purpose ORDER BY id DESC LIMIT 1",
            ("@id", firstMember), ("@purpose", $"%/api/forms/households/{householdNo}")), Is.EqualTo($"t-worker-{FormsWorld.CommunityA}"), "the read is audited");
    }

    [Test]
    public async Task A_save_goes_through_the_pipeline_as_the_community_form_source_and_wins()
    {
        var householdNo = await FormsWorld.HouseholdAsync(_server, FormsWorld.CommunityA, 1);
        var (form, etag) = await OpenAsync(householdNo);
        var poolId = form.GetProperty("members")[0].GetProperty("poolId").GetInt64();
        var oldName = Value(form.GetProperty("members")[0], "members", "name").GetProperty("value").GetString();

        using var response = await SaveAsync(householdNo, etag, new
        {
            sections = new { housing = new { floor_area = "58.5" } },
            members = new[] { new { poolId = (long?)poolId, remove = false, sections = new { members = new { phone = "139 1234 5678", name = oldName + "新" } } } },
        });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var saved = await FormsWorld.JsonAsync(response);
        Assert.That(response.Headers.ETag?.Tag, Is.Not.EqualTo(etag));
        var phone = Value(Member(saved, poolId), "members", "phone");
        Assert.That(phone.GetProperty("value").GetString(), Is.EqualTo("13912345678"));
        Assert.That(phone.GetProperty("source").GetString(), Is.EqualTo("community-form"));
        Assert.That(phone.GetProperty("department").GetString(), Is.EqualTo("community"));
        Assert.That(Value(Member(saved, poolId), "members", "name").GetProperty("value").GetString(), Is.EqualTo(oldName + "新"), "priority 1000 beats the household register");
        Assert.That(saved.GetProperty("sections").GetProperty("housing").GetProperty("floor_area").GetProperty("value").GetString(), Is.EqualTo("58.5"));

        Assert.That(await FormsWorld.ScalarAsync(_server, "SELECT phone FROM pool_person WHERE pool_id = @id", ("@id", poolId)), Is.EqualTo("13912345678"));
        Assert.That(await FormsWorld.ScalarAsync(_server, "SELECT worker FROM dp_form_submissions WHERE household_no = @h ORDER BY id DESC LIMIT 1", ("@h", householdNo)),
            Is.EqualTo($"t-worker-{FormsWorld.CommunityA}"));
        Assert.That(await FormsWorld.ScalarAsync(_server,
            "SELECT r.source_id FROM dp_form_submissions s JOIN dp_runs r ON r.id = s.run_id WHERE s.household_no = @h ORDER BY s.id DESC LIMIT 1", ("@h", householdNo)),
            Is.EqualTo("community-form"));
        Assert.That(await FormsWorld.ScalarAsync(_server, "SELECT COUNT(*) FROM dp_history h WHERE h.entity = 'person' AND h.pool_id = @id AND h.changes LIKE '%13912345678%'", ("@id", poolId)),
            Is.EqualTo("1"), "the change is in the pool's history like any other source's");

        // The submission is read once: the form source's streams are incremental by submission id.
        var again = await _server.Services.GetRequiredService<DataPool.Core.Sync.SyncRunner>().RunAsync("community-form");
        Assert.That(again.Counts.Read, Is.Zero);
    }

    [Test]
    public async Task A_stale_save_is_refused_with_412_listing_what_changed_meanwhile()
    {
        var householdNo = await FormsWorld.HouseholdAsync(_server, FormsWorld.CommunityA, 2);
        var (form, etag) = await OpenAsync(householdNo);
        var poolId = form.GetProperty("members")[0].GetProperty("poolId").GetInt64();

        using (var first = await SaveAsync(householdNo, etag, new { members = new[] { new { poolId = (long?)poolId, remove = false, sections = new { members = new { phone = "13700001111" } } } } }))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), await first.Content.ReadAsStringAsync());
        }

        using var stale = await SaveAsync(householdNo, etag, new { members = new[] { new { poolId = (long?)poolId, remove = false, sections = new { members = new { phone = "13700002222" } } } } });
        Assert.That(stale.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed), await stale.Content.ReadAsStringAsync());
        var problem = await FormsWorld.JsonAsync(stale);
        var changes = problem.GetProperty("changes").EnumerateArray().ToList();
        var change = changes.Single(c => c.GetProperty("path").GetString() == "members[0].phone");
        Assert.That(change.GetProperty("yours").GetString(), Is.EqualTo("13700002222"));
        Assert.That(change.GetProperty("theirs").GetString(), Is.EqualTo("13700001111"));
        Assert.That(change.GetProperty("source").GetString(), Is.EqualTo("community-form"));
        Assert.That(await FormsWorld.ScalarAsync(_server, "SELECT phone FROM pool_person WHERE pool_id = @id", ("@id", poolId)), Is.EqualTo("13700001111"), "the stale save wrote nothing");
    }

    [Test]
    public async Task A_save_without_If_Match_is_refused_with_428()
    {
        var householdNo = await FormsWorld.HouseholdAsync(_server, FormsWorld.CommunityA, 3);
        using var response = await SaveAsync(householdNo, null, new { sections = new { housing = new { rooms = "3" } } });
        Assert.That(response.StatusCode, Is.EqualTo((HttpStatusCode)428));
        Assert.That((await ServerHost.ProblemAsync(response)).Status, Is.EqualTo(428));
    }

    [Test]
    public async Task Another_communitys_household_answers_exactly_like_a_missing_one()
    {
        // 403 for another community's household and 404 for none told a worker which household numbers exist elsewhere.
        var elsewhere = await FormsWorld.HouseholdAsync(_server, FormsWorld.CommunityA, 3);
        var other = await _server.ClientAsync(Roles.Worker, FormsWorld.CommunityB);
        var edit = new { sections = new { housing = new { rooms = "3" } } };
        using var theirs = await other.GetAsync($"/api/forms/households/{elsewhere}");
        using var none = await other.GetAsync("/api/forms/households/NO-SUCH-HOUSEHOLD");
        using var putTheirs = await other.PutAsJsonAsync($"/api/forms/households/{elsewhere}", edit);
        using var putNone = await other.PutAsJsonAsync("/api/forms/households/NO-SUCH-HOUSEHOLD", edit);
        foreach (var (a, b) in new[] { (theirs, none), (putTheirs, putNone) })
        {
            Assert.That((a.StatusCode, b.StatusCode), Is.EqualTo((HttpStatusCode.NotFound, HttpStatusCode.NotFound)));
            Assert.That(await ServerHost.BodyWithoutTraceAsync(a), Is.EqualTo(await ServerHost.BodyWithoutTraceAsync(b)));
        }
    }

    [Test]
    public async Task A_worker_of_another_community_is_refused()
    {
        var householdNo = await FormsWorld.HouseholdAsync(_server, FormsWorld.CommunityA, 4);
        var other = await _server.ClientAsync(Roles.Worker, FormsWorld.CommunityB);
        using var get = await other.GetAsync($"/api/forms/households/{householdNo}");
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        using var put = await other.PutAsJsonAsync($"/api/forms/households/{householdNo}", new { sections = new { housing = new { rooms = "3" } } });
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        using var search = await other.GetAsync($"/api/forms/households?q={householdNo}");
        Assert.That((await FormsWorld.JsonAsync(search)).GetProperty("total").GetInt64(), Is.Zero, "search never shows another community's households");
        using var own = await _worker.GetAsync($"/api/forms/households?q={householdNo}");
        Assert.That((await FormsWorld.JsonAsync(own)).GetProperty("items")[0].GetProperty("householdNo").GetString(), Is.EqualTo(householdNo));
        var admin = await _server.ClientAsync(Roles.Admin);
        using var asAdmin = await admin.GetAsync($"/api/forms/households/{householdNo}");
        Assert.That(asAdmin.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Invalid_values_get_Chinese_messages_naming_the_field_path()
    {
        var householdNo = await FormsWorld.HouseholdAsync(_server, FormsWorld.CommunityA, 5);
        var (form, etag) = await OpenAsync(householdNo);
        var poolId = form.GetProperty("members")[0].GetProperty("poolId").GetInt64();
        using var response = await SaveAsync(householdNo, etag, new
        {
            sections = new { household = new { address = "" }, housing = new { floor_area = "很大" } },
            members = new object[]
            {
                new { poolId = (long?)poolId, remove = false, sections = new { members = new { phone = "12", marital_status = "99" } } },
                new { poolId = (long?)null, remove = false, sections = new { members = new { id_number = "110101195703020011" } } },
            },
        });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var errors = (await FormsWorld.JsonAsync(response)).GetProperty("errors");
        Assert.That(errors.GetProperty("household.address")[0].GetString(), Is.EqualTo("住址为必填项"));
        Assert.That(errors.GetProperty("housing.floor_area")[0].GetString(), Does.Contain("应为数字"));
        Assert.That(errors.GetProperty("members[0].phone")[0].GetString(), Is.EqualTo("联系电话不是有效的电话号码"));
        Assert.That(errors.GetProperty("members[0].marital_status")[0].GetString(), Does.Contain("不在代码表中"));
        Assert.That(errors.GetProperty("members[1].id_number")[0].GetString(), Does.Contain("公民身份号码"), "wrong check character");
        Assert.That(errors.GetProperty("members[1].name")[0].GetString(), Is.EqualTo("姓名为必填项"));
    }

    [Test]
    public async Task Members_are_added_and_removed_through_the_form_source_without_deleting_pool_data()
    {
        var householdNo = await FormsWorld.HouseholdAsync(_server, FormsWorld.CommunityA, 6);
        var (form, etag) = await OpenAsync(householdNo);
        var before = form.GetProperty("members").GetArrayLength();
        var newId = "11010120200101001X";

        using var added = await SaveAsync(householdNo, etag, new
        {
            members = new[] { new { poolId = (long?)null, remove = false, sections = new { members = new { name = "新生儿", id_number = newId, gender = "1", birth_date = "2020-01-01", relation_to_head = "41" } } } },
        });
        Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.OK), await added.Content.ReadAsStringAsync());
        var withNew = await FormsWorld.JsonAsync(added);
        Assert.That(withNew.GetProperty("members").GetArrayLength(), Is.EqualTo(before + 1));
        var newcomer = withNew.GetProperty("members").EnumerateArray().Single(m => Value(m, "members", "id_number").GetProperty("value").GetString() == newId);
        Assert.That(Value(newcomer, "members", "household_no").GetProperty("value").GetString(), Is.EqualTo(householdNo));
        Assert.That(Value(newcomer, "members", "name").GetProperty("source").GetString(), Is.EqualTo("community-form"));

        var removedId = newcomer.GetProperty("poolId").GetInt64();
        using var removed = await SaveAsync(householdNo, added.Headers.ETag!.Tag, new { members = new[] { new { poolId = (long?)removedId, remove = true } } });
        Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await removed.Content.ReadAsStringAsync());
        var after = await FormsWorld.JsonAsync(removed);
        Assert.That(after.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("poolId").GetInt64()), Does.Not.Contain(removedId));
        Assert.That(after.GetProperty("members").GetArrayLength(), Is.EqualTo(before));
        Assert.That(await FormsWorld.ScalarAsync(_server, "SELECT _deleted FROM pool_person WHERE pool_id = @id", ("@id", removedId)), Is.EqualTo("0"), "the person stays in the pool");
        Assert.That(await FormsWorld.ScalarAsync(_server, "SELECT residence_status FROM pool_resident WHERE id_number = @id", ("@id", newId)), Is.EqualTo("2"), "marked moved out");
    }

    [Test]
    public async Task The_definition_carries_every_rule_and_the_legacy_forms_each_field_replaces()
    {
        using var response = await _worker.GetAsync("/api/forms/definition");
        var definition = await FormsWorld.JsonAsync(response);
        var sections = definition.GetProperty("sections").EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!);
        Assert.That(sections.Keys, Is.SupersetOf(new[] { "household", "members", "housing", "elderly", "disability", "social_assistance", "employment", "family_doctor", "special_care" }));
        Assert.That(sections["members"].GetProperty("repeating").GetBoolean());
        var id = sections["members"].GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "id_number");
        Assert.That(id.GetProperty("format").GetString(), Is.EqualTo("id_number"));
        Assert.That(id.GetProperty("required").GetBoolean());
        Assert.That(id.GetProperty("legacyForms").EnumerateArray().Select(f => f.GetString()), Does.Contain("hukou-resident-register"));
        var gender = sections["members"].GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "gender");
        Assert.That(gender.GetProperty("codes").EnumerateArray().Select(c => c.GetProperty("code").GetString()), Is.EquivalentTo(new[] { "0", "1", "2", "9" }));
    }
}
