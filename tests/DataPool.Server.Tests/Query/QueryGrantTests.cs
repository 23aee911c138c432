using System.Net;
using System.Text.Json;
using DataPool.Core.Store;
using DataPool.Server.Identity;

namespace DataPool.Server.Tests.Query;

/// <summary>Grants per role, masking, a worker's community, and the audit trail, over the real server on both stores.</summary>
[TestFixture(StoreOptions.Sqlite)]
[TestFixture(StoreOptions.Postgres)]
public sealed class QueryGrantTests(string store)
{
    private ServerHost _server = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _server = await ServerHost.StartAsync(store);
        await QueryWorld.SeedAsync(_server);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    private Task<HttpClient> Analyst(string department) => _server.ClientAsync(Roles.Analyst, department);

    [Test]
    public async Task Disabled_persons_federation_reads_disability_detail_unmasked()
    {
        var client = await Analyst("disabled-persons-federation");
        var page = await QueryWorld.JsonAsync(await client.GetAsync($"/api/pool/disability?id_number={QueryWorld.ZhangId}"));
        var item = page.GetProperty("items").EnumerateArray().Single();
        Assert.Multiple(() =>
        {
            Assert.That(item.GetProperty("category").GetString(), Is.EqualTo("4"));
            Assert.That(item.GetProperty("grade").GetString(), Is.EqualTo("2"));
            Assert.That(item.GetProperty("certificate_no").GetString(), Is.EqualTo(QueryWorld.ZhangId + "42"));
        });
    }

    [Test]
    public async Task Human_resources_is_refused_disability_everywhere()
    {
        var client = await Analyst("human-resources");
        var zhang = await QueryWorld.PoolIdAsync(_server, "disability", QueryWorld.ZhangId);
        foreach (var path in new[] { "/api/pool/disability", $"/api/pool/disability/{zhang}", "/api/pool/disability/export?format=csv", $"/api/pool/disability/{zhang}/explain" })
        {
            using var response = await client.GetAsync(path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), path);
            Assert.That((await ServerHost.ProblemAsync(response)).Title, Does.Contain("disability"), path);
        }
    }

    [Test]
    public async Task A_field_not_granted_is_refused_naming_it()
    {
        var client = await Analyst("human-resources");
        foreach (var path in new[] { "/api/pool/person?address=prefix:东城区", "/api/pool/person?fields=name,address", "/api/pool/person?sort=address" })
        {
            using var response = await client.GetAsync(path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), path);
            Assert.That((await ServerHost.ProblemAsync(response)).Title, Does.Contain("'address'").And.Contain("not granted"), path);
        }
    }

    [Test]
    public async Task The_fields_offered_to_query_are_exactly_the_grant_with_labels_codes_and_masking()
    {
        var hr = await QueryWorld.JsonAsync(await (await Analyst("human-resources")).GetAsync("/api/pool"));
        var entities = hr.EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        Assert.That(entities.Keys, Is.EquivalentTo(new[] { "person", "employment", "community" }), "the entities of schemas/access/human-resources.json");
        var person = entities["person"].GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.Multiple(() =>
        {
            Assert.That(person.Keys, Is.EqualTo(new[] { "id_number", "name", "gender", "birth_date", "phone", "community_code" }), "granted fields, in the schema's order");
            Assert.That(person["id_number"].GetProperty("masked").GetBoolean(), Is.True, "sensitive and not granted unmasked");
            Assert.That(person["name"].GetProperty("masked").GetBoolean(), Is.False);
            Assert.That(person["gender"].GetProperty("labels").GetProperty("zh").GetString(), Is.EqualTo("性别"));
            Assert.That(person["gender"].GetProperty("labels").GetProperty("en").GetString(), Is.EqualTo("Gender"));
            Assert.That(person["gender"].GetProperty("type").GetString(), Is.EqualTo("code"));
            Assert.That(person["gender"].GetProperty("codes").EnumerateArray().Select(c => (c.GetProperty("code").GetString(), c.GetProperty("label").GetProperty("zh").GetString())),
                Does.Contain(("2", "女")));
            Assert.That(person["birth_date"].GetProperty("type").GetString(), Is.EqualTo("date"));
        });

        // Every field offered is one the query API accepts from this viewer, and no other is.
        var client = await Analyst("human-resources");
        using var all = await client.GetAsync("/api/pool/person?limit=1&fields=" + string.Join(",", person.Keys));
        Assert.That(all.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        // A worker's family-doctor grant leaves out the chronic conditions; the administrator is offered them.
        var worker = await QueryWorld.JsonAsync(await (await _server.ClientAsync(Roles.Worker)).GetAsync("/api/pool"));
        var doctor = worker.EnumerateArray().Single(e => e.GetProperty("name").GetString() == "family_doctor")
            .GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList();
        var admin = await QueryWorld.JsonAsync(await (await _server.ClientAsync(Roles.Admin)).GetAsync("/api/pool"));
        var adminDoctor = admin.EnumerateArray().Single(e => e.GetProperty("name").GetString() == "family_doctor")
            .GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(doctor, Is.EqualTo(new[] { "id_number", "contract_no", "doctor_name", "clinic", "signed_date", "expiry_date" }));
            Assert.That(adminDoctor, Does.Contain("chronic_conditions"));
        });
    }

    [Test]
    public async Task Sensitive_fields_are_masked_unless_granted_unmasked()
    {
        var health = await Analyst("health-commission");
        var masked = (await QueryWorld.JsonAsync(await health.GetAsync("/api/pool/person?name=张三"))).GetProperty("items").EnumerateArray().Single();
        var admin = await _server.ClientAsync(Roles.Admin);
        var plain = (await QueryWorld.JsonAsync(await admin.GetAsync($"/api/pool/person?id_number={QueryWorld.ZhangId}"))).GetProperty("items").EnumerateArray().Single();
        Assert.Multiple(() =>
        {
            Assert.That(masked.GetProperty("id_number").GetString(), Is.EqualTo("110101***********5"));
            Assert.That(masked.GetProperty("name").GetString(), Is.EqualTo("张三"), "personal, not sensitive: shown");
            Assert.That(plain.GetProperty("id_number").GetString(), Is.EqualTo(QueryWorld.ZhangId));
        });

        // A worker sees that a resident of theirs has a disability, not its category or grade.
        var worker = await _server.ClientAsync(Roles.Worker);
        var disability = (await QueryWorld.JsonAsync(await worker.GetAsync("/api/pool/disability"))).GetProperty("items").EnumerateArray().Single();
        Assert.That(disability.GetProperty("category").GetString(), Is.EqualTo(DataPool.Core.Access.Masking.Hidden));
        Assert.That(disability.GetProperty("id_number").GetString(), Is.EqualTo(QueryWorld.ZhangId));
    }

    [Test]
    public async Task A_masked_id_number_shows_no_birth_date_digits_though_the_birth_date_is_granted()
    {
        // The health commission reads birth dates and sees ID numbers masked: with the birth-date digits left in the
        // mask, the number was rebuilt from the birth date and a guess of the three sequence digits.
        var health = await Analyst("health-commission");
        var item = (await QueryWorld.JsonAsync(await health.GetAsync("/api/pool/person?name=张三&fields=id_number,birth_date"))).GetProperty("items").EnumerateArray().Single();
        var id = item.GetProperty("id_number").GetString()!;
        Assert.That(item.GetProperty("birth_date").GetString(), Is.EqualTo("1957-03-02"));
        Assert.That(id, Does.StartWith("110101").And.Not.Contain("19570302").And.Not.Contain("570302"));
        Assert.That(id[6..17], Is.EqualTo(new string('*', 11)), "neither the birth date nor the sequence digits");
    }

    [TestCase("id_number=" + QueryWorld.ZhangId)]
    [TestCase("id_number=eq:" + QueryWorld.ZhangId)]
    [TestCase("id_number=in:" + QueryWorld.ZhangId + ",110101196205010022")]
    [TestCase("id_number=range:110101195703020000..110101195703020099")]
    [TestCase("id_number=prefix:11010119570302")]
    [TestCase("sort=id_number")]
    [TestCase("sort=-id_number")]
    public async Task Filtering_or_sorting_on_a_masked_field_is_refused_so_no_guess_is_confirmed(string query)
    {
        var health = await Analyst("health-commission");
        foreach (var path in new[] { "/api/pool/person?" + query, "/api/pool/person/export?format=csv&" + query })
        {
            using var response = await health.GetAsync(path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), path);
            Assert.That((await ServerHost.ProblemAsync(response)).Title, Does.Contain("id_number").And.Contain("masked"), path);
        }
    }

    [Test]
    public async Task A_worker_sees_only_their_community_and_another_communitys_record_is_404()
    {
        var worker = await _server.ClientAsync(Roles.Worker);
        var page = await QueryWorld.JsonAsync(await worker.GetAsync("/api/pool/person?limit=1000"));
        var communities = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("community_code").GetString()).ToList();
        Assert.That(communities, Has.Count.EqualTo(QueryWorld.Named.Count(p => p.Community == QueryWorld.CommunityA)).And.All.EqualTo(QueryWorld.CommunityA));
        Assert.That(page.GetProperty("next").ValueKind, Is.EqualTo(JsonValueKind.Null));

        var wang = await QueryWorld.PoolIdAsync(_server, "person", QueryWorld.WangId);
        var wangDisability = await QueryWorld.PoolIdAsync(_server, "disability", QueryWorld.WangId);
        var zhangDisability = await QueryWorld.PoolIdAsync(_server, "disability", QueryWorld.ZhangId);
        foreach (var path in new[] { $"/api/pool/person/{wang}", "/api/pool/person/987654321", $"/api/pool/disability/{wangDisability}", $"/api/pool/person/{wang}/explain" })
        {
            using var response = await worker.GetAsync(path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), path);
        }

        using var own = await worker.GetAsync($"/api/pool/disability/{zhangDisability}");
        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the disability record is scoped through its resident's community");

        var exported = await (await worker.GetAsync($"/api/pool/person/export?format=csv&community_code={QueryWorld.CommunityB}")).Content.ReadAsStringAsync();
        Assert.That(exported.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(1), "only the header: the filter cannot leave the community");
    }

    [Test]
    public async Task Every_read_is_in_the_residents_access_log()
    {
        var zhang = await QueryWorld.PoolIdAsync(_server, "person", QueryWorld.ZhangId);
        var civil = await Analyst("civil-affairs");
        var federation = await Analyst("disabled-persons-federation");
        using (var read = await civil.GetAsync($"/api/pool/person/{zhang}"))
        {
            Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        await QueryWorld.JsonAsync(await federation.GetAsync($"/api/pool/disability?id_number={QueryWorld.ZhangId}&fields=category,grade"));
        var admin = await _server.ClientAsync(Roles.Admin);
        var log = await QueryWorld.JsonAsync(await admin.GetAsync($"/api/pool/person/{zhang}/access-log"));
        var entries = log.GetProperty("entries").EnumerateArray()
            .Select(e => (Viewer: e.GetProperty("viewer").GetString(), Entity: e.GetProperty("entity").GetString(), Purpose: e.GetProperty("purpose").GetString(), Fields: e.GetProperty("fields").GetString()))
            .ToList();
        Assert.That(entries, Does.Contain(("t-analyst-civil-affairs", "person", "record", "id_number,name,gender,birth_date,ethnicity,phone,address,household_no,relation_to_head,community_code")));
        Assert.That(entries, Does.Contain(("t-analyst-disabled-persons-federation", "disability", "query", "category,grade")));

        using var missing = await admin.GetAsync("/api/pool/person/987654321/access-log");
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task As_of_a_time_before_the_record_existed_there_is_no_record()
    {
        var admin = await _server.ClientAsync(Roles.Admin);
        var zhang = await QueryWorld.PoolIdAsync(_server, "person", QueryWorld.ZhangId);
        using var now = await admin.GetAsync($"/api/pool/person/{zhang}");
        using var then = await admin.GetAsync($"/api/pool/person/{zhang}?asOf=2000-01-01T00:00:00Z");
        Assert.That(now.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(then.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "written straight into the table, the record has no history at all");
    }

    [Test]
    public async Task An_unknown_entity_is_404_for_everyone()
    {
        using var response = await (await _server.ClientAsync(Roles.Admin)).GetAsync("/api/pool/nonexistent");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
