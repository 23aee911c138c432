using System.Text.Json;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using DataPool.Server.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Server.Tests.Forms;

/// <summary>
/// A value's hint said only when the pool imported it; where the source states when the department recorded the value
/// (its stream's <c>asOf</c> column), the household form carries that too.
/// </summary>
[TestFixture]
public sealed class ValueHintTests
{
    [Test]
    public async Task A_value_whose_source_states_its_date_carries_when_the_department_recorded_it_beside_the_import()
    {
        var server = await FormsWorld.ForAsync(StoreOptions.Sqlite);
        var householdNo = await FormsWorld.HouseholdAsync(server, FormsWorld.CommunityA, 7);
        var poolId = long.Parse((await FormsWorld.ScalarAsync(server,
            "SELECT pool_id FROM pool_person WHERE household_no = @h AND _deleted = 0 ORDER BY pool_id LIMIT 1", ("@h", householdNo)))!, System.Globalization.CultureInfo.InvariantCulture);
        var id = await FormsWorld.ScalarAsync(server, "SELECT id_number FROM pool_person WHERE pool_id = @p", ("@p", poolId));
        var folder = Directory.CreateDirectory(Path.Combine(server.Folder, "hint-source")).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "registrations.csv"), $"身份证号,就业状态,更新日期\n{id},失业,2026-03-15\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "hint.source.json"), """
            { "id": "hint-employment", "name": "就业登记（测试）", "department": "human-resources", "kind": "csv",
              "settings": { "path": "registrations.csv" },
              "streams": [ { "name": "registrations", "entity": "employment", "key": ["身份证号"], "asOf": "更新日期",
                "fields": { "id_number": { "from": "身份证号", "parse": "id_number" }, "status": { "from": "就业状态" } } } ] }
            """);
        var source = server.Services.GetRequiredService<SourceDefinitionLoader>().Load(Path.Combine(folder, "hint.source.json"));
        await server.Services.GetRequiredService<SourceRegistry>().UpsertAsync(source);
        var result = await server.Services.GetRequiredService<SyncRunner>().RunAsync("hint-employment");
        Assert.That(result.Succeeded, result.Error);

        var worker = await server.ClientAsync(Roles.Worker);
        var form = await FormsWorld.JsonAsync(await worker.GetAsync($"/api/forms/households/{householdNo}"));
        var member = form.GetProperty("members").EnumerateArray().Single(m => m.GetProperty("poolId").GetInt64() == poolId).GetProperty("sections");
        var status = member.GetProperty("employment").GetProperty("status");
        Assert.That((status.GetProperty("value").GetString(), status.GetProperty("source").GetString()), Is.EqualTo(("4", "hint-employment")));
        Assert.That(status.GetProperty("recordedAt").GetString(), Does.StartWith("2026-03-15T00:00:00"), "the department's own date (midnight UTC)");
        Assert.That(status.GetProperty("at").GetString(), Is.Not.Null.And.Not.StartWith("2026-03-15"), "and when the pool imported it");
        var name = member.GetProperty("members").GetProperty("name");
        Assert.That(name.TryGetProperty("recordedAt", out var none) ? none.ValueKind : JsonValueKind.Null, Is.EqualTo(JsonValueKind.Null),
            "the household register states no date: only the import is known");
    }
}
