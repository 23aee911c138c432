using System.Globalization;
using System.Text;
using DataPool.Core.Values;

namespace DataPool.Server.Tests;

/// <summary>One row of the test export, as the legacy system writes it.</summary>
public sealed record PersonRow(string IdNumber, string Name, string Gender, string BirthDate)
{
    public string ToCsv() => $"{IdNumber},{Name},{Gender},{BirthDate}";
}

/// <summary>
/// A small hukou-like CSV source written by the tests: a GB18030 export with a title line above the header
/// (headerRow 2), Chinese column names, and its definition next to it.
/// </summary>
public static class TestSource
{
    public const string Id = "cli-hukou";
    public const string Title = "某某社区户籍人口登记表（2019年）";
    public const string Header = "身份证号,姓名,性别,出生日期";

    public const string Definition = """
        {
          "id": "cli-hukou",
          "name": "户籍系统（测试）",
          "department": "public-security",
          "kind": "csv",
          "settings": { "path": "persons.csv", "encoding": "GB18030", "headerRow": 2 },
          "priority": 10,
          "streams": [{
            "name": "persons",
            "entity": "person",
            "key": ["身份证号"],
            "mode": "full",
            "fields": {
              "id_number":  { "from": "身份证号", "parse": "id_number" },
              "name":       { "from": "姓名" },
              "gender":     { "from": "性别", "codes": { "男": "1", "女": "2" } },
              "birth_date": { "from": "出生日期", "parse": "date" }
            }
          }]
        }
        """;

    static TestSource() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding Gb18030 => Encoding.GetEncoding("GB18030");

    /// <summary>A valid resident ID: Dongcheng district, the birth date (yyyyMMdd), a sequence (odd = male).</summary>
    public static string IdNumberOf(string birth, int sequence, string area = "110101")
    {
        var first17 = area + birth + sequence.ToString("000", CultureInfo.InvariantCulture);
        return first17 + IdNumber.CheckCharacter(first17);
    }

    /// <summary>The same ID with a wrong check character.</summary>
    public static string WithBadCheck(string id) => id[..17] + (id[17] == '0' ? '1' : '0');

    /// <summary>A valid person born on the date, consistent gender.</summary>
    public static PersonRow Person(string name, string birth, int sequence) => new(
        IdNumberOf(birth, sequence),
        name,
        sequence % 2 == 1 ? "男" : "女",
        $"{birth[..4]}-{birth[4..6]}-{birth[6..]}");

    /// <summary>Four valid residents.</summary>
    public static IReadOnlyList<PersonRow> Good { get; } =
    [
        Person("张伟", "19850312", 11),
        Person("王芳", "19900725", 22),
        Person("李娜", "20010101", 34),
        Person("刘洋", "19561130", 45),
    ];

    /// <summary>One row that must be quarantined: its ID's check character is wrong.</summary>
    public static PersonRow BadCheck { get; } = Person("陈静", "19770808", 57) with { IdNumber = WithBadCheck(IdNumberOf("19770808", 57)) };

    /// <summary>Writes the export (title line, header line, rows; CRLF as legacy Windows tools write).</summary>
    public static string WriteCsv(string folder, IEnumerable<PersonRow> rows, Encoding? encoding = null, string file = "persons.csv")
    {
        var text = new StringBuilder().Append(Title).Append("\r\n").Append(Header).Append("\r\n");
        foreach (var row in rows)
        {
            text.Append(row.ToCsv()).Append("\r\n");
        }

        var path = Path.Combine(folder, file);
        File.WriteAllBytes(path, (encoding ?? Gb18030).GetBytes(text.ToString()));
        return path;
    }

    /// <summary>Writes a definition (by default <see cref="Definition"/>) and returns its path.</summary>
    public static string WriteDefinition(string folder, string? json = null, string file = "cli-hukou.source.json")
    {
        var path = Path.Combine(folder, file);
        File.WriteAllText(path, json ?? Definition, new UTF8Encoding(false));
        return path;
    }

    /// <summary>The contract's summary line.</summary>
    public static string Summary(string id, long read, long quarantined, long created, long updated, long unchanged, long deleted) =>
        $"{id}: read={read} accepted={created + updated + unchanged} quarantined={quarantined} new={created} updated={updated} unchanged={unchanged} deleted={deleted}";
}
