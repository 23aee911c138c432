using System.Net.Http.Json;
using System.Text;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using DataPool.Server.Identity;
using Microsoft.Extensions.DependencyInjection;
using static DataPool.Server.Tests.Sources.ApiSources;

namespace DataPool.Server.Tests.Query;

/// <summary>
/// <c>/explain</c> shows only what the viewer's grant shows: two sources disagree on a resident's address and phone,
/// and an analyst granted the phone but not the address sees the one conflict and not the other.
/// </summary>
[TestFixture(StoreOptions.Sqlite)]
[TestFixture(StoreOptions.Postgres)]
public sealed class ExplainGuardTests(string store)
{
    private const string Id = "110101195703020017";
    private ServerHost _server = null!;
    private long _poolId;

    private static string Definition(string id, int priority) => $$"""
        { "id": "{{id}}", "name": "{{id}}", "department": "public-security", "kind": "csv", "settings": { "path": "{{id}}.csv" },
          "priority": {{priority}},
          "streams": [{ "name": "persons", "entity": "person", "key": ["身份证号"], "fields": {
            "id_number": { "from": "身份证号" }, "name": { "from": "姓名" }, "phone": { "from": "电话" }, "address": { "from": "住址" },
            "community_code": { "from": "社区" } } }] }
        """;

    [OneTimeSetUp]
    public async Task Start()
    {
        _server = await ServerHost.StartAsync(store);
        var admin = await _server.ClientAsync(Roles.Admin);
        var root = Root(_server);
        File.WriteAllText(Path.Combine(root, "register.csv"), $"身份证号,姓名,电话,住址,社区\n{Id},张三,13800138000,东城区东华门街道1号,110101001001\n", Encoding.UTF8);
        File.WriteAllText(Path.Combine(root, "ledger.csv"), $"身份证号,姓名,电话,住址,社区\n{Id},张三,13900139000,西城区西长安街9号,110101001001\n", Encoding.UTF8);
        await AddAsync(admin, Definition("register", 10));
        await AddAsync(admin, Definition("ledger", 1));
        var runner = _server.Services.GetRequiredService<SyncRunner>();
        Assert.That((await runner.RunAsync("register")).Succeeded, Is.True);
        Assert.That((await runner.RunAsync("ledger")).Succeeded, Is.True);
        _poolId = await QueryWorld.PoolIdAsync(_server, "person", Id);
        Assert.That(_poolId, Is.GreaterThan(0), "a valid ID number: both rows reach the pool");
    }

    [OneTimeTearDown]
    public async Task Stop() => await _server.DisposeAsync();

    [Test]
    public async Task Explain_hides_the_conflicts_of_fields_not_granted_and_masks_those_masked()
    {
        var admin = await _server.ClientAsync(Roles.Admin);
        var full = (await admin.GetFromJsonAsync<Explanation>($"/api/pool/person/{_poolId}/explain"))!;
        Assert.That(full.Conflicts!.Select(c => c.Field), Is.SupersetOf(new[] { "address", "phone" }), "the world has both conflicts");

        // Human resources reads phones, not addresses, and sees ID numbers masked.
        var analyst = await _server.ClientAsync(Roles.Analyst, "human-resources");
        using var response = await analyst.GetAsync($"/api/pool/person/{_poolId}/explain");
        Assert.That(response.IsSuccessStatusCode, Is.True);
        var body = await response.Content.ReadAsStringAsync();
        var shown = System.Text.Json.JsonSerializer.Deserialize<Explanation>(body, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        Assert.Multiple(() =>
        {
            Assert.That(body, Does.Not.Contain("西长安街").And.Not.Contain("东华门"), "no address anywhere in the answer");
            Assert.That(shown.Conflicts!.Select(c => c.Field), Does.Contain("phone").And.Not.Contain("address"));
            Assert.That(shown.Fields.Select(f => f.Field), Does.Not.Contain("address"));
            Assert.That(body, Does.Not.Contain(Id), "the ID number is masked wherever it appears");
            Assert.That(shown.Fields.Single(f => f.Field == "id_number").Value, Is.EqualTo("110101***********7"));
        });
    }
}
