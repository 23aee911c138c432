using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DataPool.Core.Store;
using DataPool.Server.Identity;
using DataPool.Server.Tests.Forms;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Server.Tests.Certificates;

/// <summary>
/// The four certificates that remain, generated from the small demo world: relationship to a deceased person and kinship
/// for inheritance from household relations, guardianship and land contract from facts the worker records on the one
/// form; each refused with the reason where the pool cannot support it; serials checked by anyone and revoked by an admin.
/// </summary>
[TestFixture(StoreOptions.Sqlite)]
[TestFixture(StoreOptions.Postgres)]
public sealed class RemainingCertificatesTests(string store)
{
    private ServerHost _server = null!;

    [OneTimeSetUp]
    public async Task Start() => _server = await FormsWorld.ForAsync(store);

    private Task<string?> Scalar(string sql, params (string, object?)[] parameters) => FormsWorld.ScalarAsync(_server, sql, parameters);

    private async Task ExecuteAsync(string sql, params (string, object?)[] parameters)
    {
        await using var connection = await _server.Services.GetRequiredService<PoolDatabase>().OpenAsync();
        await connection.ExecuteAsync(sql, null, default, parameters);
    }

    private async Task<long> PoolIdAsync(string sql, params (string, object?)[] parameters) =>
        long.Parse((await Scalar(sql, parameters)) ?? throw new AssertionException($"nothing for {sql}"), CultureInfo.InvariantCulture);

    /// <summary>A household of community A with a head, a spouse and a child: (head, spouse, child) pool ids.</summary>
    private async Task<(long Head, long Spouse, long Child, string Household)> FamilyAsync(int n)
    {
        var household = await Scalar(
            "SELECT h.household_no FROM pool_person h WHERE h.relation_to_head = '02' AND h._deleted = 0 AND h.community_code = @c "
            + "AND EXISTS (SELECT 1 FROM pool_person s WHERE s.household_no = h.household_no AND s.relation_to_head LIKE '1_' AND s._deleted = 0) "
            + "AND EXISTS (SELECT 1 FROM pool_person c WHERE c.household_no = h.household_no AND c.relation_to_head IN ('20', '21', '22', '30', '31', '32') AND c._deleted = 0) "
            + "ORDER BY h.household_no LIMIT 1 OFFSET @n", ("@c", FormsWorld.CommunityA), ("@n", n));
        Assert.That(household, Is.Not.Null);
        return (await PoolIdAsync("SELECT MIN(pool_id) FROM pool_person WHERE household_no = @h AND relation_to_head = '02'", ("@h", household)),
            await PoolIdAsync("SELECT MIN(pool_id) FROM pool_person WHERE household_no = @h AND relation_to_head LIKE '1_'", ("@h", household)),
            await PoolIdAsync("SELECT MIN(pool_id) FROM pool_person WHERE household_no = @h AND relation_to_head IN ('20', '21', '22', '30', '31', '32')", ("@h", household)),
            household!);
    }

    /// <summary>Runs <paramref name="test"/> with the person's registration cancelled (no source holds it), restored after: the world is shared.</summary>
    private async Task WhileDeceasedAsync(long poolId, Func<Task> test)
    {
        await ExecuteAsync("UPDATE pool_person SET _deleted = 1 WHERE pool_id = @p", ("@p", poolId));
        try
        {
            await test();
        }
        finally
        {
            await ExecuteAsync("UPDATE pool_person SET _deleted = 0 WHERE pool_id = @p", ("@p", poolId));
        }
    }

    private static async Task<string> SerialOf(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        var match = System.Text.RegularExpressions.Regex.Match(html, @"编号：(\d{4}-\d{12}-\d{6})");
        Assert.That(match.Success, html);
        return match.Groups[1].Value;
    }

    [Test]
    public async Task A_relationship_certificate_to_a_deceased_parent_is_generated_and_its_serial_checks_until_revoked()
    {
        var family = await FamilyAsync(0);
        var worker = await _server.ClientAsync(Roles.Worker);
        using (var alive = await worker.GetAsync($"/api/certificates/deceased-relationship/{family.Child}?other={family.Head}"))
        {
            Assert.That(alive.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), "the head is alive: no certificate");
            Assert.That(await alive.Content.ReadAsStringAsync(), Does.Contain("does not record that they have died"));
        }

        await WhileDeceasedAsync(family.Head, async () =>
        {
            using var response = await worker.GetAsync($"/api/certificates/deceased-relationship/{family.Child}?other={family.Head}");
            var html = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);
            var child = await Scalar("SELECT name FROM pool_person WHERE pool_id = @p", ("@p", family.Child));
            var head = await Scalar("SELECT name FROM pool_person WHERE pool_id = @p", ("@p", family.Head));
            Assert.That(html, Does.Contain("与死者关系证明").And.Contain(child!).And.Contain(head!).And.Contain("系子女关系"));
            Assert.That(html, Does.Contain("证明所依据的数据").And.Contain("户籍"), "each fact shows the source that recorded it");
            var serial = await SerialOf(response);

            var anonymous = _server.Anonymous();
            var check = await FormsWorld.JsonAsync(await anonymous.GetAsync($"/api/certificates/verify/{serial}"));
            Assert.That(check.GetProperty("status").GetString(), Is.EqualTo("valid"));
            Assert.That(check.GetProperty("kind").GetString(), Is.EqualTo("deceased-relationship"));
            Assert.That(check.ToString(), Does.Not.Contain(child!).And.Not.Contain(head!), "no personal data beyond the certificate's own");

            var admin = await _server.ClientAsync(Roles.Admin);
            using (var revoke = await admin.PostAsJsonAsync($"/api/certificates/{serial}/revoke", new { reason = "开具有误" }))
            {
                Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            }

            var revoked = await FormsWorld.JsonAsync(await anonymous.GetAsync($"/api/certificates/verify/{serial}"));
            Assert.That(revoked.GetProperty("status").GetString(), Is.EqualTo("revoked"));
            Assert.That(revoked.GetProperty("revocationReason").GetString(), Is.EqualTo("开具有误"));
            using var unknown = await anonymous.GetAsync("/api/certificates/verify/2026-000000000000-999999");
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task No_recorded_relation_refuses_the_certificate_with_the_reason_and_records_nothing()
    {
        var family = await FamilyAsync(1);
        var stranger = await FamilyAsync(2);
        var before = await Scalar("SELECT COUNT(*) FROM dp_certificates");
        await WhileDeceasedAsync(stranger.Head, async () =>
        {
            using var response = await (await _server.ClientAsync(Roles.Worker)).GetAsync($"/api/certificates/deceased-relationship/{family.Child}?other={stranger.Head}");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("records no relation"));
        });
        Assert.That(await Scalar("SELECT COUNT(*) FROM dp_certificates"), Is.EqualTo(before), "nothing printed blank, nothing recorded");
    }

    [Test]
    public async Task Kinship_for_inheritance_lists_the_spouse_and_children_of_the_deceased()
    {
        var family = await FamilyAsync(3);
        var worker = await _server.ClientAsync(Roles.Worker);
        await WhileDeceasedAsync(family.Head, async () =>
        {
            using var response = await worker.GetAsync($"/api/certificates/inheritance-kinship/{family.Head}");
            var html = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);
            var spouse = await Scalar("SELECT name FROM pool_person WHERE pool_id = @p", ("@p", family.Spouse));
            var child = await Scalar("SELECT name FROM pool_person WHERE pool_id = @p", ("@p", family.Child));
            Assert.That(html, Does.Contain("亲属关系证明").And.Contain($"<td>{spouse}</td><td>配偶</td>").And.Contain($"<td>{child}</td><td>子女</td>"));
        });

        using var alive = await worker.GetAsync($"/api/certificates/inheritance-kinship/{family.Head}");
        Assert.That(alive.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
    }

    [Test]
    public async Task A_child_who_moved_out_before_the_death_is_related_through_the_household_membership_history()
    {
        var family = await FamilyAsync(5);
        var elsewhere = await Scalar("SELECT MIN(household_no) FROM pool_person WHERE household_no <> @h AND community_code = @c", ("@h", family.Household), ("@c", FormsWorld.CommunityA));
        // The child's registration moved to another household; the membership history keeps the one they grew up in.
        await ExecuteAsync("UPDATE pool_person SET household_no = @other WHERE pool_id = @p", ("@other", elsewhere), ("@p", family.Child));
        try
        {
            await WhileDeceasedAsync(family.Head, async () =>
            {
                var worker = await _server.ClientAsync(Roles.Worker);
                using var relationship = await worker.GetAsync($"/api/certificates/deceased-relationship/{family.Child}?other={family.Head}");
                var html = await relationship.Content.ReadAsStringAsync();
                Assert.That(relationship.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);
                Assert.That(html, Does.Contain("系子女关系"));

                using var kinship = await worker.GetAsync($"/api/certificates/inheritance-kinship/{family.Head}");
                var child = await Scalar("SELECT name FROM pool_person WHERE pool_id = @p", ("@p", family.Child));
                Assert.That(await kinship.Content.ReadAsStringAsync(), Does.Contain($"<td>{child}</td><td>子女</td>"), "an heir who moved out is listed");
            });
        }
        finally
        {
            await ExecuteAsync("UPDATE pool_person SET household_no = @h WHERE pool_id = @p", ("@h", family.Household), ("@p", family.Child));
        }
    }

    [Test]
    public async Task Guardianship_and_land_contract_come_from_facts_the_worker_records_on_the_one_form()
    {
        var family = await FamilyAsync(4);
        var worker = await _server.ClientAsync(Roles.Worker);
        using (var none = await worker.GetAsync($"/api/certificates/guardianship/{family.Child}"))
        {
            Assert.That(none.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(await none.Content.ReadAsStringAsync(), Does.Contain("no guardianship"));
        }

        var headId = await Scalar("SELECT id_number FROM pool_person WHERE pool_id = @p", ("@p", family.Head));
        var headName = await Scalar("SELECT name FROM pool_person WHERE pool_id = @p", ("@p", family.Head));
        using var open = await worker.GetAsync($"/api/forms/households/{family.Household}");
        Assert.That(open.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/forms/households/{family.Household}")
        {
            Content = JsonContent.Create(new
            {
                members = new object[]
                {
                    new { poolId = (long?)family.Child, remove = false, sections = new { guardianship = new { legal_capacity = "3", guardian_name = headName, guardian_id_number = headId, designated_by = "多福巷社区居民委员会", designated_date = "2024-05-06", basis = "民法典第三十一条" } } },
                    new { poolId = (long?)family.Head, remove = false, sections = new { land_contract = new { hukou_nature = "2", contract_no = "110112-2003-0042", village = "张家湾村", area_mu = "3.5", contract_date = "2003-03-01" } } },
                },
            }),
        };
        request.Headers.TryAddWithoutValidation("If-Match", open.Headers.ETag!.Tag);
        using (var saved = await worker.SendAsync(request))
        {
            Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await saved.Content.ReadAsStringAsync());
        }

        using var guardianship = await worker.GetAsync($"/api/certificates/guardianship/{family.Child}");
        var html = await guardianship.Content.ReadAsStringAsync();
        Assert.That(guardianship.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);
        Assert.That(html, Does.Contain("指定监护人证明").And.Contain("无民事行为能力").And.Contain(headName!).And.Contain("多福巷社区居民委员会"));
        Assert.That(html, Does.Contain("社区一表通"), "the facts are credited to the community's form");

        using var land = await worker.GetAsync($"/api/certificates/land-contract/{family.Head}");
        var landHtml = await land.Content.ReadAsStringAsync();
        Assert.That(land.StatusCode, Is.EqualTo(HttpStatusCode.OK), landHtml);
        Assert.That(landHtml, Does.Contain("土地承包经营权人身份证明").And.Contain("张家湾村").And.Contain("110112-2003-0042"));

        using var other = await (await _server.ClientAsync(Roles.Worker, FormsWorld.CommunityB)).GetAsync($"/api/certificates/land-contract/{family.Head}");
        using var missing = await (await _server.ClientAsync(Roles.Worker, FormsWorld.CommunityB)).GetAsync("/api/certificates/land-contract/99999999");
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "another community's resident answers like a missing one");
        Assert.That(Normalise(await other.Content.ReadAsStringAsync()), Is.EqualTo(Normalise(await missing.Content.ReadAsStringAsync())));
    }

    /// <summary>A ProblemDetails body without its per-request trace id.</summary>
    private static string Normalise(string body)
    {
        using var json = JsonDocument.Parse(body);
        return string.Join("|", json.RootElement.EnumerateObject().Where(p => p.Name != "traceId").Select(p => $"{p.Name}={p.Value}"));
    }
}
