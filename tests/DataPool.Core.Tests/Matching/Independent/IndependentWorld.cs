using System.Globalization;
using System.Text;

namespace DataPool.Core.Tests.Matching.Independent;

/// <summary>How a person's name is written: Han characters (surname + given), a minority name of parts joined by '·', or pinyin.</summary>
public enum Script { Han, Minority, Pinyin }

/// <summary>A resident of the independent world: the truth every record of them is judged against.</summary>
public sealed record WorldPerson(int Entity, Script Script, string[] NameParts, string Gender, DateOnly Birth, Address Address, string? Phone, string Community)
{
    public string Name => NameText.Render(Script, NameParts);
}

/// <summary>An address by its parts, so that a variant can write the same flat another way.</summary>
public sealed record Address(string District, string Street, int Compound, int Building, int Unit, int Room);

/// <summary>One record in one source, with the person it belongs to and the corruptions applied to it ("clean" when none).</summary>
public sealed record WorldRow(string Source, string Key, int Entity, string Name, string Gender, string Birth, string Address, string Phone, string Community, IReadOnlyList<string> Kinds);

/// <summary>
/// A labelled world made for matching tests by a model of its own (not the demo generator): households of
/// Han, minority and pinyin-named residents with compound surnames, twins, spouses and namesakes, a clean
/// register holding most of them once, and a community ledger holding their duplicates, each corrupted by
/// <see cref="Corruptor"/>. Neither source carries an ID number: everything rests on the other fields.
/// </summary>
public sealed class IndependentWorld
{
    public const string Register = "register";
    public const string Ledger = "ledger";

    public List<WorldPerson> People { get; } = [];
    public List<WorldRow> Rows { get; } = [];

    public IndependentWorld(int persons, int seed)
    {
        var random = new Random(seed);
        while (People.Count < persons)
        {
            AddHousehold(random);
        }

        var corruptor = new Corruptor(random);
        var ledgerNo = 0;
        foreach (var person in People)
        {
            var inRegister = random.NextDouble() < 0.85;
            if (inRegister)
            {
                Rows.Add(Clean(person, Register, $"R{person.Entity:00000}"));
            }

            var roll = random.NextDouble();
            var duplicates = roll < 0.35 ? 0 : roll < 0.7 ? 1 : roll < 0.9 ? 2 : 3;
            if (!inRegister && duplicates == 0)
            {
                duplicates = 1;
            }

            for (var i = 0; i < duplicates; i++)
            {
                Rows.Add(corruptor.Corrupt(person, $"L{++ledgerNo:00000}"));
            }
        }
    }

    private static WorldRow Clean(WorldPerson person, string source, string key) =>
        new(source, key, person.Entity, person.Name, person.Gender, person.Birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            AddressText.Render(person.Address), person.Phone ?? "", person.Community, ["clean"]);

    private void AddHousehold(Random random)
    {
        var district = random.Next(NamePool.Districts.Length);
        var address = new Address(NamePool.Districts[district], NamePool.Streets[random.Next(NamePool.Streets.Length)], random.Next(1, 60),
            random.Next(1, 25), random.Next(1, 7), random.Next(1, 25) * 100 + random.Next(1, 5));
        var community = $"1101{district + 1:00}001{random.Next(1, 3):000}";
        var sharedPhone = random.NextDouble() < 0.2 ? Phone(random) : null;
        var script = random.NextDouble() switch { < 0.08 => Script.Minority, < 0.14 => Script.Pinyin, _ => Script.Han };
        var headBirth = new DateOnly(1935, 1, 1).AddDays(random.Next(0, 365 * 60));
        var head = Add(random, script, Surname(random, script), headBirth, address, sharedPhone, community);
        var size = random.NextDouble() switch { < 0.4 => 1, < 0.65 => 2, < 0.85 => 3, _ => 4 };
        if (size >= 2)
        {
            Add(random, script, Surname(random, script), headBirth.AddDays(random.Next(-1500, 1500)), address, sharedPhone, community);
        }

        var childBirth = headBirth.AddYears(random.Next(22, 36)).AddDays(random.Next(0, 365));
        var twins = size == 4 && random.NextDouble() < 0.3;
        for (var child = 2; child < size; child++)
        {
            var birth = twins ? childBirth : childBirth.AddDays(random.Next(400, 3000) * (child - 1));
            Add(random, script, head.NameParts[0], birth, address, sharedPhone, community);
        }
    }

    private WorldPerson Add(Random random, Script script, string surname, DateOnly birth, Address address, string? sharedPhone, string community)
    {
        string[] parts;
        if (script == Script.Minority)
        {
            var first = NamePool.MinorityParts[random.Next(NamePool.MinorityParts.Length)];
            var second = NamePool.MinorityParts.Where(p => p != first).ElementAt(random.Next(NamePool.MinorityParts.Length - 1));
            parts = [first, second];
        }
        else if (script == Script.Han && random.NextDouble() < 0.04)
        {
            var popular = NamePool.Popular[random.Next(NamePool.Popular.Length)];
            parts = [popular[..1], popular[1..]];
        }
        else
        {
            var given = Given(random);
            parts = script == Script.Pinyin
                ? [NamePool.Surnames.Concat(NamePool.Compound).FirstOrDefault(s => s.Surname == surname).Pinyin ?? surname, string.Concat(given.Select(NamePool.PinyinOf))]
                : [surname, given];
        }

        var phone = random.NextDouble() < 0.85 ? sharedPhone ?? Phone(random) : null;
        var person = new WorldPerson(People.Count, script, parts, random.Next(2) == 0 ? "男" : "女", birth, address, phone, community);
        People.Add(person);
        return person;
    }

    private static string Surname(Random random, Script script) => random.NextDouble() < 0.08
        ? NamePool.Compound[random.Next(NamePool.Compound.Length)].Surname
        : NamePool.Surnames[random.Next(NamePool.Surnames.Length)].Surname;

    private static string Given(Random random)
    {
        var length = random.NextDouble() < 0.7 ? 2 : 1;
        var text = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            var group = NamePool.Given[random.Next(NamePool.Given.Length)].Characters;
            text.Append(group[random.Next(group.Length)]);
        }

        return text.ToString();
    }

    internal static string Phone(Random random) => $"1{"358"[random.Next(3)]}{random.Next(0, 1_000_000_000):000000000}";

    /// <summary>The source's CSV: no ID number column at all.</summary>
    public string Csv(string source)
    {
        var text = new StringBuilder("编号,姓名,性别,出生日期,社区,住址,电话\n");
        foreach (var row in Rows.Where(r => r.Source == source))
        {
            text.Append(CultureInfo.InvariantCulture, $"{row.Key},{row.Name},{row.Gender},{row.Birth},{row.Community},{row.Address},{row.Phone}\n");
        }

        return text.ToString();
    }

    /// <summary>The truth as <c>match evaluate</c> reads it: source_id,source_key,entity.</summary>
    public string TruthCsv()
    {
        var text = new StringBuilder("source_id,source_key,entity\n");
        foreach (var row in Rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"{row.Source},{row.Key},{row.Entity}\n");
        }

        return text.ToString();
    }

    public static string Definition(string source, bool mapIdNumber) => $$"""
        { "id": "{{source}}", "name": "{{source}}", "department": "community", "kind": "csv", "settings": { "path": "{{source}}.csv" }, "priority": {{(source == Register ? 10 : 1)}},
          "streams": [{ "name": "persons", "entity": "person", "key": ["编号"], "fields": {
            {{(mapIdNumber ? "\"id_number\": { \"from\": \"编号\", \"parse\": \"id_number\", \"onInvalid\": \"flag\" }," : "")}}
            "name": { "from": "姓名" }, "gender": { "from": "性别" }, "birth_date": { "from": "出生日期", "parse": "date", "onInvalid": "flag" },
            "community_code": { "from": "社区" }, "address": { "from": "住址" }, "phone": { "from": "电话", "onInvalid": "flag" } } }] }
        """;
}

/// <summary>How the world writes names.</summary>
internal static class NameText
{
    public static string Render(Script script, string[] parts) => script switch
    {
        Script.Minority => string.Join('·', parts),
        Script.Pinyin => string.Join(' ', parts.Where(p => p.Length > 0).Select(Capital)),
        _ => string.Concat(parts),
    };

    private static string Capital(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}

/// <summary>How the world writes addresses, and the other ways a clerk writes the same flat.</summary>
internal static class AddressText
{
    private const string Numerals = "零一二三四五六七八九";

    public static string Render(Address a) => $"{a.District}{a.Street}{a.Compound}号院{a.Building}号楼{a.Unit}单元{a.Room}";

    public static string Variant(Address a, Random random) => random.Next(5) switch
    {
        0 => $"{a.Street}{a.Compound}号院{a.Building}栋{a.Unit}门{a.Room}室",
        1 => $"{a.District}{a.Street}{a.Compound}号院{a.Building}-{a.Unit}-{a.Room}",
        2 => $"{a.District}{a.Street}{a.Compound}号院{Chinese(a.Building)}号楼{Chinese(a.Unit)}单元{a.Room}",
        3 => $"{a.District}{a.Street}{a.Building}号楼{a.Unit}单元{a.Room}",
        _ => $"北京市{a.District} {a.Street} {a.Compound}号院 {a.Building}号楼 {a.Unit}单元 {a.Room}",
    };

    private static string Chinese(int n) => n < 10 ? Numerals[n].ToString() : n < 20 ? "十" + (n % 10 == 0 ? "" : Numerals[n % 10].ToString()) : Numerals[n / 10] + "十" + (n % 10 == 0 ? "" : Numerals[n % 10].ToString());
}
