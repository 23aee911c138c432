using DataPool.Core.Sync;
namespace DataPool.Core.Tests.Support;

/// <summary>
/// The household register's source definition as the sync tests write it: one text here, not a copy in each test.
/// The "persons" stream is keyed by 身份证号 and maps the ID number, the name, the gender by its Chinese label, the
/// birth date and (unless left out) the phone.
/// </summary>
public static class HukouDefinitions
{
    /// <param name="phone">Map 电话 to phone; <paramref name="flagBadPhone"/>: an invalid phone flags the row instead of quarantining it.</param>
    public static string PersonsStream(bool phone = true, bool flagBadPhone = true)
    {
        var phoneField = !phone ? ""
            : flagBadPhone ? ",\n    \"phone\": { \"from\": \"电话\", \"onInvalid\": \"flag\" }"
            : ",\n    \"phone\": { \"from\": \"电话\" }";
        return $$"""
            [{
              "name": "persons", "entity": "person", "key": ["身份证号"], "mode": "full",
              "fields": {
                "id_number":  { "from": "身份证号", "parse": "id_number" },
                "name":       { "from": "姓名" },
                "gender":     { "from": "性别", "codes": { "男": "1", "女": "2" } },
                "birth_date": { "from": "出生日期", "parse": "date" }{{phoneField}}
              }
            }]
            """;
    }

    /// <summary>A CSV source "hukou" reading persons.csv.</summary>
    /// <param name="headerRow">The row holding the header (null: the first), for exports with a title row above it.</param>
    /// <param name="maxDeleteShare">The source's delete guard (null: the default).</param>
    /// <param name="priority">The source's rank among sources (null: the default).</param>
    public static string CsvSource(string encoding = "GB18030", int? headerRow = null, string? maxDeleteShare = null, bool flagBadPhone = true,
        int? priority = null) => $$"""
        {
          "id": "hukou", "name": "户籍系统", "department": "public-security", "kind": "csv",
          "settings": { "path": "persons.csv", "encoding": "{{encoding}}"{{(headerRow is { } row ? $", \"headerRow\": {row}" : "")}} },
          {{(priority is { } rank ? $"\"priority\": {rank}," : "")}}{{(maxDeleteShare is null ? "" : $"\n  \"maxDeleteShare\": {maxDeleteShare},")}}
          "streams": {{PersonsStream(flagBadPhone: flagBadPhone)}}
        }
        """;

    /// <summary>
    /// Writes the source "hukou" (<see cref="CsvSource"/>, UTF-8, priority 10) and its persons.csv: <paramref name="people"/>
    /// persons born 1970-01-01, each with the phone <paramref name="phoneOf"/> gives for its index.
    /// </summary>
    public static void WritePhoneBook(PoolTestHost host, int people, Func<int, string> phoneOf, string? maxDeleteShare = null)
    {
        var rows = Enumerable.Range(0, people).Select(i =>
            $"{Residents.Id("19700101", i + 1, "110101")},居民{i},{Residents.Gender(i + 1)},1970-01-01,{phoneOf(i)}");
        host.WriteFile("persons.csv", "身份证号,姓名,性别,出生日期,电话\n" + string.Join("\n", rows) + "\n", "UTF-8");
        host.WriteFile("hukou.source.json", CsvSource("UTF-8", priority: 10, maxDeleteShare: maxDeleteShare));
    }

    /// <summary>Writes the phone book (<see cref="WritePhoneBook"/>) and syncs it, which must succeed.</summary>
    public static async Task<SyncResult> SyncPhoneBookAsync(PoolTestHost host, int people, Func<int, string> phoneOf, string? maxDeleteShare = null)
    {
        WritePhoneBook(host, people, phoneOf, maxDeleteShare);
        var result = await host.SyncAsync("hukou.source.json");
        Assert.That(result.Succeeded, Is.True, result.Error);
        return result;
    }
}
