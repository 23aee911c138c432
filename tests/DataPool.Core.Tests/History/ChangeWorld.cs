using System.Globalization;
using DataPool.Core.Tests.Support;

namespace DataPool.Core.Tests.History;

/// <summary>A resident as the household register exports them (the test's columns; relation as a GB/T 4761 code).</summary>
public sealed record Resident(string Id, string Name, string Birth, int Sequence, string? HouseholdNo, string Relation, string Address, string Community)
{
    public string Row => $"{Id},{Name},{Residents.Gender(Sequence)},{Birth},{HouseholdNo},{Relation},{Address},{Community}";

    /// <summary>A resident born on the day (yyyy-MM-dd), with a valid ID number from it.</summary>
    public static Resident Born(string birth, int sequence, string name, string? householdNo, string relation, string address, string community = ChangeWorld.Community) =>
        new(Residents.Id(birth.Replace("-", "", StringComparison.Ordinal), sequence), name, birth, sequence, householdNo, relation, address, community);

    /// <summary>
    /// <paramref name="count"/> heads of household with distinct valid ID numbers (500 a day from 1950-01-01) and no
    /// registration number, the i-th living at <paramref name="addressOf"/>(i): a load large enough for the planner.
    /// </summary>
    public static Resident[] Many(int count, Func<int, string> addressOf)
    {
        var day = new DateOnly(1950, 1, 1);
        return Enumerable.Range(0, count).Select(i => Born(
            day.AddDays(i / 500).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), 1 + i % 500, "居民" + i, null, "02", addressOf(i))).ToArray();
    }
}

/// <summary>
/// Writes a small household register (persons) and a civil-affairs assistance roster into a test pool and syncs
/// them: every run is a real sync of changed files, as a department's nightly export would be.
/// </summary>
public sealed class ChangeWorld(PoolTestHost host)
{
    public const string Community = "110101001001";
    public const string OtherCommunity = "110101001002";

    /// <summary>A date a few months back: a resident born then is a newborn for the change feed.</summary>
    public static string RecentBirth => DateTime.UtcNow.AddMonths(-3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task SyncPersonsAsync(params Resident[] residents)
    {
        host.WriteFile("persons.csv", "身份证号,姓名,性别,出生日期,户号,与户主关系,住址,社区代码\n" + string.Join("\n", residents.Select(r => r.Row)) + "\n");
        host.WriteFile("hukou.source.json", """
            {
              "id": "hukou", "name": "户籍系统", "department": "public-security", "kind": "csv",
              "settings": { "path": "persons.csv" }, "priority": 10,
              "maxDeleteShare": 1, // a world of a few residents: each one gone is a real change
              "streams": [{
                "name": "persons", "entity": "person", "key": ["身份证号"], "mode": "full",
                "fields": {
                  "id_number": { "from": "身份证号", "parse": "id_number" },
                  "name": { "from": "姓名" },
                  "gender": { "from": "性别", "codes": { "男": "1", "女": "2" } },
                  "birth_date": { "from": "出生日期", "parse": "date" },
                  "household_no": { "from": "户号" },
                  "relation_to_head": { "from": "与户主关系" },
                  "address": { "from": "住址" },
                  "community_code": { "from": "社区代码" }
                }
              }]
            }
            """);
        var result = await host.SyncAsync("hukou.source.json");
        Assert.That((result.Succeeded, result.Counts.Quarantined), Is.EqualTo((true, 0L)), result.Error ?? "a row was quarantined");
    }

    /// <summary>The assistance roster: (ID number, status code: 1 receiving, 3 terminated).</summary>
    public async Task SyncAssistanceAsync(params (string Id, string Status)[] rows)
    {
        host.WriteFile("assistance.csv", "身份证号,救助类别,状态\n" + string.Join("\n", rows.Select(r => $"{r.Id},1,{r.Status}")) + "\n");
        host.WriteFile("assistance.source.json", """
            {
              "id": "assistance", "name": "低保系统", "department": "civil-affairs", "kind": "csv",
              "settings": { "path": "assistance.csv" }, "priority": 10,
              "maxDeleteShare": 1, // a world of a few residents: each one gone is a real change
              "streams": [{
                "name": "roster", "entity": "social_assistance", "key": ["身份证号"], "mode": "full",
                "fields": {
                  "id_number": { "from": "身份证号", "parse": "id_number" },
                  "assistance_type": { "from": "救助类别" },
                  "status": { "from": "状态" }
                }
              }]
            }
            """);
        var result = await host.SyncAsync("assistance.source.json");
        Assert.That((result.Succeeded, result.Counts.Quarantined), Is.EqualTo((true, 0L)), result.Error ?? "a row was quarantined");
    }

    public Task<long> PoolIdAsync(string entity, string idNumber) =>
        host.CountAsync($"SELECT pool_id FROM pool_{entity} WHERE id_number = @id", ("@id", idNumber));
}
