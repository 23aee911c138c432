using System.Globalization;
using System.Text;
using DataPool.Core.Tests.Support;

namespace DataPool.Core.Tests.Matching;

/// <summary>One generated resident and the truth about them.</summary>
public sealed record TruePerson(int Number, string Id, string Name, string Gender, DateOnly Birth, string Community, string Address, string Phone);

/// <summary>A row of the second source with the truth behind it: whose row it is and whether it carries an ID number in any form.</summary>
public sealed record LabelledRow(string RecordNo, TruePerson Person, bool HasId, string Defect);

/// <summary>
/// A labelled world with known truth: a clean household register (every person, valid IDs) and a
/// dirty community ledger keyed by its own record number, whose rows carry bad check characters,
/// 15-digit IDs, lower-case x, spaces, no ID at all, swapped day and month, traditional characters and
/// other middle dots. Twins share a household (address and birth date); namesakes share a name and a
/// birth date in two communities.
/// </summary>
public sealed class LabelledWorld
{
    private static readonly string[] Surnames = ["张", "王", "李", "刘", "陈", "杨", "赵", "黄", "周", "吴", "郑", "孙", "马", "冯", "许"];
    private static readonly string[] Given = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "国华", "红", "建国", "丽华", "志强", "东", "玉兰"];
    private static readonly string[] Minority = ["阿依古丽·买买提", "努尔·艾力", "古丽娜·阿不都", "买买提·吐尔逊", "热依拉·卡德尔"];
    private static readonly string[] Communities = ["110101001001", "110101001002", "110101001003"];
    private static readonly Dictionary<char, char> Traditional = new() { ['张'] = '張', ['陈'] = '陳', ['刘'] = '劉', ['杨'] = '楊', ['黄'] = '黃', ['赵'] = '趙', ['吴'] = '吳', ['郑'] = '鄭', ['孙'] = '孫', ['马'] = '馬', ['冯'] = '馮', ['许'] = '許', ['伟'] = '偉', ['丽'] = '麗', ['强'] = '強', ['军'] = '軍', ['杰'] = '傑', ['涛'] = '濤', ['兰'] = '蘭', ['华'] = '華', ['国'] = '國', ['东'] = '東', ['红'] = '紅', ['艳'] = '艷', ['买'] = '買', ['尔'] = '爾' };

    public List<TruePerson> People { get; } = [];
    public List<LabelledRow> Ledger { get; } = [];

    public LabelledWorld(int persons, int seed)
    {
        var random = new Random(seed);
        TruePerson Make(DateOnly birth, string name, string community, string address)
        {
            var gender = random.Next(2) == 0 ? "男" : "女";
            var seq = (People.Count % 499 * 2) + (gender == "男" ? 1 : 2);
            var id = Residents.Id(birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture), seq);
            var person = new TruePerson(People.Count, id, name, gender, birth, community, address, $"13{random.Next(100000000, 999999999)}");
            People.Add(person);
            return person;
        }

        DateOnly Birth() => new DateOnly(1930, 1, 1).AddDays(random.Next(0, 365 * 75));
        string Name() => random.Next(25) == 0 ? Minority[random.Next(Minority.Length)] : Surnames[random.Next(Surnames.Length)] + Given[random.Next(Given.Length)];
        string Community() => Communities[random.Next(Communities.Length)];
        string Address(string community) => $"东城区{community[^1]}社区{random.Next(1, 40)}号楼{random.Next(1, 6)}单元{random.Next(101, 1800)}";

        while (People.Count < persons)
        {
            var roll = random.Next(100);
            if (roll < 4)
            {
                // Twins: one household, one birth date, two names, two ID numbers.
                var birth = Birth();
                var community = Community();
                var address = Address(community);
                var surname = Surnames[random.Next(Surnames.Length)];
                Make(birth, surname + "大" + Given[random.Next(Given.Length)][..1], community, address);
                Make(birth, surname + "小" + Given[random.Next(Given.Length)][..1], community, address);
            }
            else if (roll < 7)
            {
                // Namesakes: the same name and birth date in two communities, different people.
                var birth = Birth();
                var name = Name();
                Make(birth, name, Communities[0], Address(Communities[0]));
                Make(birth, name, Communities[1], Address(Communities[1]));
            }
            else
            {
                var community = Community();
                Make(Birth(), Name(), community, Address(community));
            }
        }

        var number = 0;
        foreach (var person in People.Where(_ => random.Next(10) < 8))
        {
            var defect = random.Next(100) switch
            {
                < 10 => "bad_check_character",
                < 18 => "fifteen_digits",
                < 24 => "spaces",
                < 28 => "lower_case_x",
                < 48 => "no_id",
                < 55 => "no_id_swapped_day_month",
                _ => "clean",
            };
            Ledger.Add(new LabelledRow($"L{++number:00000}", person, !defect.StartsWith("no_id", StringComparison.Ordinal), defect));
        }

        _traditional = Ledger.Where(_ => random.Next(100) < 20).Select(r => r.RecordNo).ToHashSet();
    }

    private readonly HashSet<string> _traditional;

    public string HukouCsv(Random? shuffle = null)
    {
        var text = new StringBuilder("身份证号,姓名,性别,出生日期,社区,住址,电话\n");
        foreach (var p in Order(People, shuffle))
        {
            text.Append(CultureInfo.InvariantCulture, $"{p.Id},{p.Name},{p.Gender},{p.Birth:yyyy-MM-dd},{p.Community},{p.Address},{p.Phone}\n");
        }

        return text.ToString();
    }

    /// <param name="phoneChange">Rows whose phone number changes in this export (to make re-syncs do work).</param>
    public string LedgerCsv(Random? shuffle = null, Func<LabelledRow, bool>? phoneChange = null)
    {
        var text = new StringBuilder("编号,身份证号,姓名,性别,出生日期,社区,住址,电话\n");
        foreach (var row in Order(Ledger, shuffle))
        {
            var p = row.Person;
            var id = row.Defect switch
            {
                "bad_check_character" => p.Id[..17] + (p.Id[17] == '0' ? '1' : '0'),
                "fifteen_digits" when p.Birth.Year < 2000 => p.Id[..6] + p.Id[8..17],
                "spaces" => $"{p.Id[..6]} {p.Id[6..14]} {p.Id[14..]}",
                "lower_case_x" => p.Id.Replace('X', 'x'),
                "no_id" or "no_id_swapped_day_month" => "",
                _ => p.Id,
            };
            var birth = row.Defect == "no_id_swapped_day_month" && p.Birth.Day <= 12 && p.Birth.Day != p.Birth.Month
                ? $"{p.Birth.Year}-{p.Birth.Day:00}-{p.Birth.Month:00}"
                : p.Birth.ToString("yyyy/M/d", CultureInfo.InvariantCulture);
            var name = _traditional.Contains(row.RecordNo)
                ? new string(p.Name.Select(c => Traditional.GetValueOrDefault(c, c)).ToArray()).Replace('·', '•')
                : p.Name;
            var phone = phoneChange?.Invoke(row) == true ? "139" + p.Phone[3..] : p.Phone;
            text.Append(CultureInfo.InvariantCulture, $"{row.RecordNo},{id},{name},{p.Gender},{birth},{p.Community},{p.Address.Replace("号楼", " 号楼")},{phone}\n");
        }

        return text.ToString();
    }

    public const string HukouDefinition = """
        { "id": "hukou", "name": "户籍", "department": "public-security", "kind": "csv", "settings": { "path": "hukou.csv" }, "priority": 10,
          "streams": [{ "name": "persons", "entity": "person", "key": ["身份证号"], "fields": {
            "id_number": { "from": "身份证号", "parse": "id_number" }, "name": { "from": "姓名" }, "gender": { "from": "性别" },
            "birth_date": { "from": "出生日期", "parse": "date" }, "community_code": { "from": "社区" }, "address": { "from": "住址" }, "phone": { "from": "电话" } } }] }
        """;

    public const string LedgerDefinition = """
        { "id": "ledger", "name": "台账", "department": "community", "kind": "csv", "settings": { "path": "ledger.csv" }, "priority": 1,
          "streams": [{ "name": "persons", "entity": "person", "key": ["编号"], "fields": {
            "id_number": { "from": "身份证号", "parse": "id_number", "onInvalid": "flag" }, "name": { "from": "姓名" }, "gender": { "from": "性别" },
            "birth_date": { "from": "出生日期", "parse": "date" }, "community_code": { "from": "社区" }, "address": { "from": "住址" }, "phone": { "from": "电话", "onInvalid": "flag" } } }] }
        """;

    private static IEnumerable<T> Order<T>(List<T> items, Random? shuffle) =>
        shuffle is null ? items : items.OrderBy(_ => shuffle.Next()).ToList();
}
