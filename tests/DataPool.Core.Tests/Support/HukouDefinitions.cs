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
}
