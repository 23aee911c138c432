using System.Globalization;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using DataPool.Core.Values;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Server.Tests.Changes;

/// <summary>A resident of the test register: relation as a GB/T 4761 code, household number and community.</summary>
public sealed record Registered(string Id, string Name, string Birth, int Sequence, string HouseholdNo, string Relation, string Address, string Community)
{
    public static Registered Born(string birth, int sequence, string name, string householdNo, string relation, string address, string community)
    {
        var first17 = "110101" + birth.Replace("-", "", StringComparison.Ordinal) + sequence.ToString("000", CultureInfo.InvariantCulture);
        return new(first17 + IdNumber.CheckCharacter(first17), name, birth, sequence, householdNo, relation, address, community);
    }

    public string Row => $"{Id},{Name},{(Sequence % 2 == 1 ? "男" : "女")},{Birth},{HouseholdNo},{Relation},{Address},{Community}";
}

/// <summary>Syncs a household register (persons and households) into a running test server's pool, through its own pipeline.</summary>
public static class ChangeServer
{
    public const string Community = ServerHost.Community;
    public const string OtherCommunity = "110101001002";

    public static async Task SyncRegisterAsync(ServerHost server, params Registered[] persons)
    {
        WriteRegister(server.Folder, persons);
        var source = server.Services.GetRequiredService<SourceDefinitionLoader>().Load(Path.Combine(server.Folder, "register.source.json"));
        await server.Services.GetRequiredService<SourceRegistry>().UpsertAsync(source);
        var result = await server.Services.GetRequiredService<SyncRunner>().RunAsync("register");
        Assert.That((result.Succeeded, result.Counts.Quarantined), Is.EqualTo((true, 0L)), result.Error ?? "a row was quarantined");
    }

    /// <summary>Writes the export (persons.csv, households.csv) and its definition, register.source.json, into the folder.</summary>
    public static void WriteRegister(string folder, params Registered[] persons)
    {
        File.WriteAllText(Path.Combine(folder, "persons.csv"),
            "身份证号,姓名,性别,出生日期,户号,与户主关系,住址,社区代码\n" + string.Join("\n", persons.Select(p => p.Row)) + "\n");
        var households = persons.GroupBy(p => p.HouseholdNo).Select(h => $"{h.Key},{h.First().Address},{h.First().Community}");
        File.WriteAllText(Path.Combine(folder, "households.csv"), "户号,住址,社区代码\n" + string.Join("\n", households) + "\n");
        File.WriteAllText(Path.Combine(folder, "register.source.json"), """
            {
              "id": "register", "name": "户籍系统", "department": "public-security", "kind": "csv",
              "settings": { "path": "persons.csv" }, "priority": 10,
              "streams": [
                { "name": "persons", "entity": "person", "key": ["身份证号"], "mode": "full",
                  "fields": {
                    "id_number": { "from": "身份证号", "parse": "id_number" }, "name": { "from": "姓名" },
                    "gender": { "from": "性别", "codes": { "男": "1", "女": "2" } }, "birth_date": { "from": "出生日期", "parse": "date" },
                    "household_no": { "from": "户号" }, "relation_to_head": { "from": "与户主关系" },
                    "address": { "from": "住址" }, "community_code": { "from": "社区代码" } } },
                { "name": "households", "entity": "household", "key": ["户号"], "mode": "full", "settings": { "path": "households.csv" },
                  "fields": { "household_no": { "from": "户号" }, "address": { "from": "住址" }, "community_code": { "from": "社区代码" } } }
              ]
            }
            """);
    }

    public static async Task<long> PoolIdAsync(ServerHost server, string entity, string keyField, string key)
    {
        await using var connection = await server.Services.GetRequiredService<PoolDatabase>().OpenAsync();
        return await connection.ScalarAsync<long>($"SELECT pool_id FROM pool_{entity} WHERE {keyField} = @key", null, default, ("@key", key));
    }
}
