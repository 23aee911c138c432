using DataPool.Core.Store;
using DataPool.Core.Tests.Support;

namespace DataPool.Core.Tests.Sync;

/// <summary>A field mapped from several columns joins their non-blank parts with a space.</summary>
public sealed class RowMapperTests
{
    [Test]
    public async Task A_field_from_several_columns_joins_the_non_blank_parts_with_a_space()
    {
        await using var host = await PoolTestHost.CreateAsync(StoreOptions.Sqlite);
        string[] ids = [Residents.Id("19570302", 1), Residents.Id("19800115", 2), Residents.Id("20010630", 13)];
        host.WriteFile("persons.csv", string.Join("\n",
            "身份证号,姓名,街道,门牌",
            $"{ids[0]},张三,多福巷,1号",
            $"{ids[1]},李四,多福巷,",
            $"{ids[2]},王五,  ,  ") + "\n", "UTF-8");
        host.WriteFile("hukou.source.json", """
            {
              "id": "hukou", "name": "户籍系统", "department": "public-security", "kind": "csv",
              "settings": { "path": "persons.csv", "encoding": "UTF-8" },
              "streams": [{
                "name": "persons", "entity": "person", "key": ["身份证号"], "mode": "full",
                "fields": {
                  "id_number": { "from": "身份证号", "parse": "id_number" },
                  "name":      { "from": "姓名" },
                  "address":   { "from": ["街道", "门牌"] }
                }
              }]
            }
            """);

        var result = await host.SyncAsync("hukou.source.json");

        Assert.That(result.Succeeded, Is.True, result.Error);
        var people = await host.QueryAsync("SELECT id_number, address FROM pool_person");
        var addresses = people.ToDictionary(p => (string)p["id_number"]!, p => p["address"] as string);
        Assert.That(addresses[ids[0]], Is.EqualTo("多福巷 1号"));
        Assert.That(addresses[ids[1]], Is.EqualTo("多福巷"));
        Assert.That(addresses[ids[2]], Is.Null, "blank parts make no value");
    }
}
