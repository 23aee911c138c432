using System.Globalization;
using System.Text;
using DataPool.Core.Values;

namespace DataPool.Benchmarks;

/// <summary>
/// The matching benchmark's world: N persons in a household register (valid ID numbers) and four
/// departmental sources keyed by their own record numbers, each holding a random 40% of the persons.
/// 30% of persons lack an ID number in at least one source; other rows carry bad check characters,
/// 15-digit IDs, traditional characters and swapped day/month. The truth is each row's person number.
/// </summary>
internal sealed class MatchingWorld
{
    public static readonly string[] Departments = ["civil", "disability", "health", "ledger"];
    private const string Surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
    private const string GivenChars = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华国红建东玉志文辉春梅海燕鹏飞宇浩然子涵欣怡佳俊晨雨轩博瑞嘉琪思源晓峰凯婷颖慧莉萍鑫斌宁林成龙凤云彬亮波锋";
    private static readonly Dictionary<char, char> Traditional = new()
    {
        ['张'] = '張', ['陈'] = '陳', ['刘'] = '劉', ['杨'] = '楊', ['黄'] = '黃', ['赵'] = '趙', ['吴'] = '吳', ['郑'] = '鄭', ['孙'] = '孫', ['马'] = '馬',
        ['冯'] = '馮', ['许'] = '許', ['伟'] = '偉', ['丽'] = '麗', ['强'] = '強', ['军'] = '軍', ['杰'] = '傑', ['涛'] = '濤', ['兰'] = '蘭', ['华'] = '華',
        ['国'] = '國', ['东'] = '東', ['红'] = '紅', ['艳'] = '艷', ['龙'] = '龍', ['凤'] = '鳳', ['云'] = '雲', ['鹏'] = '鵬', ['飞'] = '飛', ['辉'] = '輝',
    };

    public MatchingWorld(int persons, int seed) => (Persons, Seed) = (persons, seed);

    public int Persons { get; }
    public int Seed { get; }

    /// <summary>Writes hukou.csv and one CSV per department (plus the truth: record number → person), and returns the rows written.</summary>
    public long Write(string folder)
    {
        var random = new Random(Seed);
        var writers = Departments.ToDictionary(d => d, d => new StreamWriter(Path.Combine(folder, d + ".csv"), false, new UTF8Encoding(false)));
        using var hukou = new StreamWriter(Path.Combine(folder, "hukou.csv"), false, new UTF8Encoding(false));
        using var truth = new StreamWriter(Path.Combine(folder, "truth.csv"), false, new UTF8Encoding(false));
        hukou.WriteLine("身份证号,姓名,性别,出生日期,社区,住址,电话");
        foreach (var writer in writers.Values)
        {
            writer.WriteLine("编号,身份证号,姓名,性别,出生日期,社区,住址,电话");
        }

        long rows = 0, record = 0;
        for (var n = 0; n < Persons; n++)
        {
            var birth = new DateOnly(1930, 1, 1).AddDays(random.Next(0, 365 * 75));
            var male = random.Next(2) == 0;
            var area = 110101 + random.Next(0, 16);
            var first17 = $"{area}{birth:yyyyMMdd}{(n % 499 * 2) + (male ? 1 : 2):000}";
            var id = first17 + IdNumber.CheckCharacter(first17);
            var name = $"{Surnames[random.Next(Surnames.Length)]}{GivenChars[random.Next(GivenChars.Length)]}{(random.Next(3) == 0 ? "" : GivenChars[random.Next(GivenChars.Length)].ToString())}";
            var community = $"{area}001{random.Next(1, 30):000}";
            var address = $"{community[^3..]}社区{random.Next(1, 60)}号楼{random.Next(1, 6)}单元{random.Next(101, 1900)}";
            var phone = $"13{random.Next(100000000, 999999999)}";
            var gender = male ? "男" : "女";
            hukou.WriteLine($"{id},{name},{gender},{birth:yyyy-MM-dd},{community},{address},{phone}");
            rows++;
            var present = Departments.Where(_ => random.Next(10) < 4).ToList();
            // 30% of persons lack an ID number in at least one source (when they are in one at all).
            var missing = present.Count > 0 && random.NextDouble() < 0.3 / 0.87 ? present[random.Next(present.Count)] : null;
            foreach (var department in present)
            {
                var key = $"R{++record:0000000}";
                var dirt = random.Next(100);
                var rowId = department == missing ? "" : dirt switch
                {
                    < 3 => first17 + (id[17] == '0' ? '1' : '0'),
                    < 6 when birth.Year < 2000 => id[..6] + id[8..17],
                    < 9 => id.Replace('X', 'x').Insert(6, " "),
                    _ => id,
                };
                var rowBirth = rowId.Length == 0 && dirt >= 80 && birth.Day <= 12 && birth.Day != birth.Month
                    ? $"{birth.Year}-{birth.Day:00}-{birth.Month:00}"
                    : birth.ToString("yyyy/M/d", CultureInfo.InvariantCulture);
                var rowName = random.Next(10) == 0 ? new string(name.Select(c => Traditional.GetValueOrDefault(c, c)).ToArray()) : name;
                var rowPhone = random.Next(4) == 0 ? $"13{random.Next(100000000, 999999999)}" : phone;
                writers[department].WriteLine($"{key},{rowId},{rowName},{gender},{rowBirth},{community},{address},{rowPhone}");
                truth.WriteLine($"{department},{key},{id},{(rowId.Length > 0 ? 1 : 0)}");
                rows++;
            }
        }

        foreach (var writer in writers.Values)
        {
            writer.Dispose();
        }

        foreach (var source in Departments.Prepend("hukou"))
        {
            var key = source == "hukou" ? "身份证号" : "编号";
            var idMapping = source == "hukou" ? """{ "from": "身份证号", "parse": "id_number" }""" : """{ "from": "身份证号", "parse": "id_number", "onInvalid": "flag" }""";
            File.WriteAllText(Path.Combine(folder, source + ".source.json"), $$"""
                { "id": "{{source}}", "name": "{{source}}", "department": "{{(source == "hukou" ? "public-security" : source)}}", "kind": "csv",
                  "settings": { "path": "{{source}}.csv" }, "priority": {{(source == "hukou" ? 10 : 1)}},
                  "streams": [{ "name": "persons", "entity": "person", "key": ["{{key}}"], "fields": {
                    "id_number": {{idMapping}}, "name": { "from": "姓名" }, "gender": { "from": "性别" },
                    "birth_date": { "from": "出生日期", "parse": "date" }, "community_code": { "from": "社区" }, "address": { "from": "住址" },
                    "phone": { "from": "电话", "onInvalid": "flag" } } }] }
                """);
        }

        return rows;
    }
}
