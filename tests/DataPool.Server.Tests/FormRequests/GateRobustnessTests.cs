using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using DataPool.Server.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Server.Tests.FormRequests;

/// <summary>The admission gate never crashes on a source it cannot read: it skips it and says so.</summary>
[TestFixture(StoreOptions.Sqlite)]
[TestFixture(StoreOptions.Postgres)]
public sealed class GateRobustnessTests(string store)
{
    [Test]
    public async Task Gate_skips_source_with_unresolvable_settings()
    {
        await using var server = await ServerHost.StartAsync(store);
        // As after `demo`: the health source's ${env:…} is set only inside the demo process.
        var variable = "DP_TEST_UNSET_" + Guid.NewGuid().ToString("N");
        var json = TestSource.Definition.Replace("\"persons.csv\"", $"\"${{env:{variable}}}\"", StringComparison.Ordinal);
        var loader = server.Services.GetRequiredService<SourceDefinitionLoader>();
        await server.Services.GetRequiredService<SourceRegistry>().UpsertAsync(new LoadedSource(loader.Parse(json, "test"), "", server.Folder, json));
        var analyst = await server.ClientAsync(Roles.Analyst);

        using var response = await analyst.PostAsJsonAsync("/api/form-requests", new { name = "调查表", fields = new[] { new { label = "姓名" }, new { label = "宠物" } } });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(answer.GetProperty("fields").GetArrayLength(), Is.EqualTo(2));
        var notes = answer.GetProperty("notes").EnumerateArray().Select(n => n.GetString()).ToList();
        Assert.That(notes, Has.One.Contains(TestSource.Id).And.Contains(variable));
    }
}
