using System.Globalization;

namespace DataPool.Demo.Seeding.Sources;

/// <summary>How legacy systems write codes, dates and names: the spellings of the demo exports.</summary>
internal static class Render
{
    /// <summary>GB/T 3304 labels by code (01 … 56, 97, 98), as schemas/codes/ethnicity.json has them.</summary>
    public static readonly IReadOnlyDictionary<string, string> Ethnicities = new Dictionary<string, string>
    {
        ["01"] = "汉族", ["02"] = "蒙古族", ["03"] = "回族", ["04"] = "藏族", ["05"] = "维吾尔族", ["06"] = "苗族", ["07"] = "彝族",
        ["08"] = "壮族", ["09"] = "布依族", ["10"] = "朝鲜族", ["11"] = "满族", ["12"] = "侗族", ["13"] = "瑶族", ["14"] = "白族",
        ["15"] = "土家族", ["16"] = "哈尼族", ["17"] = "哈萨克族", ["18"] = "傣族", ["19"] = "黎族", ["20"] = "傈僳族", ["21"] = "佤族",
        ["22"] = "畲族", ["23"] = "高山族", ["24"] = "拉祜族", ["25"] = "水族", ["26"] = "东乡族", ["27"] = "纳西族", ["28"] = "景颇族",
        ["29"] = "柯尔克孜族", ["30"] = "土族", ["31"] = "达斡尔族", ["32"] = "仫佬族", ["33"] = "羌族", ["34"] = "布朗族", ["35"] = "撒拉族",
        ["36"] = "毛南族", ["37"] = "仡佬族", ["38"] = "锡伯族", ["39"] = "阿昌族", ["40"] = "普米族", ["41"] = "塔吉克族", ["42"] = "怒族",
        ["43"] = "乌孜别克族", ["44"] = "俄罗斯族", ["45"] = "鄂温克族", ["46"] = "德昂族", ["47"] = "保安族", ["48"] = "裕固族", ["49"] = "京族",
        ["50"] = "塔塔尔族", ["51"] = "独龙族", ["52"] = "鄂伦春族", ["53"] = "赫哲族", ["54"] = "门巴族", ["55"] = "珞巴族", ["56"] = "基诺族",
        ["97"] = "其他", ["98"] = "外国血统中国籍人士",
    };

    private static readonly Dictionary<string, string[]> FormalRelations = new()
    {
        ["02"] = ["户主", "户主", "户主", "户主本人"], ["11"] = ["夫", "丈夫"], ["12"] = ["妻", "妻子"],
        ["20"] = ["子", "儿子", "之子"], ["30"] = ["女", "女儿", "之女"],
        ["21"] = ["独生子"], ["22"] = ["长子"], ["23"] = ["次子"], ["24"] = ["三子"], ["25"] = ["四子"], ["26"] = ["五子"],
        ["31"] = ["独生女"], ["32"] = ["长女"], ["33"] = ["次女"], ["34"] = ["三女"], ["35"] = ["四女"], ["36"] = ["五女"],
        ["28"] = ["女婿"], ["38"] = ["儿媳", "儿媳妇"], ["41"] = ["孙子"], ["42"] = ["孙女"], ["43"] = ["外孙子"], ["44"] = ["外孙女"],
        ["51"] = ["父亲", "父"], ["52"] = ["母亲", "母"],
    };

    private static readonly Dictionary<string, string> CasualRelations = new()
    {
        ["02"] = "户主", ["11"] = "丈夫", ["12"] = "妻子", ["20"] = "儿子", ["30"] = "女儿", ["38"] = "儿媳妇", ["43"] = "外孙",
        ["51"] = "父亲", ["52"] = "母亲",
    };

    private static readonly Dictionary<string, string> RelationLabels = new()
    {
        ["21"] = "独生子", ["22"] = "长子", ["23"] = "次子", ["24"] = "三子", ["25"] = "四子", ["26"] = "五子",
        ["31"] = "独生女", ["32"] = "长女", ["33"] = "次女", ["34"] = "三女", ["35"] = "四女", ["36"] = "五女",
        ["28"] = "女婿", ["41"] = "孙子", ["42"] = "孙女", ["44"] = "外孙女",
    };

    /// <summary>Every spelling of a relation the demo exports use, with its GB/T 4761 code.</summary>
    public static IEnumerable<(string Text, string Code)> RelationSpellings =>
        FormalRelations.SelectMany(p => p.Value.Select(t => (t, p.Key)))
            .Concat(CasualRelations.Select(p => (p.Value, p.Key)))
            .Concat(RelationLabels.Select(p => (p.Value, p.Key)))
            .Distinct();

    /// <summary>The household register's spelling (varies by the clerk who typed it).</summary>
    public static string FormalRelation(string code, Random r)
    {
        var options = FormalRelations[code];
        return options.Length == 1 ? options[0] : options[r.Next(options.Length)];
    }

    /// <summary>A community worker's spelling.</summary>
    public static string CasualRelation(string code) =>
        CasualRelations.TryGetValue(code, out var casual) ? casual : RelationLabels[code];

    public static string Gender(string code) => code == "1" ? "男" : "女";

    public static string Flip(string genderCode) => genderCode == "1" ? "女" : "男";

    public static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Compact(DateOnly d) => d.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>One of the legacy text spellings of a date.</summary>
    public static string AnyFormat(DateOnly d, Random r) => r.Next(5) switch
    {
        0 => Iso(d),
        1 => string.Create(CultureInfo.InvariantCulture, $"{d.Year}/{d.Month}/{d.Day}"),
        2 => string.Create(CultureInfo.InvariantCulture, $"{d.Year}.{d.Month}.{d.Day}"),
        3 => string.Create(CultureInfo.InvariantCulture, $"{d.Year}年{d.Month}月{d.Day}日"),
        _ => Compact(d),
    };

    /// <summary>A date that cannot exist (2月30日, 4月31日 …) near <paramref name="d"/>, in the given spelling.</summary>
    public static string Impossible(DateOnly d, Random r, Func<int, int, int, string> format)
    {
        var (month, day) = r.Next(3) switch { 0 => (2, 30), 1 => (2, 31), _ => (new[] { 4, 6, 9, 11 }[r.Next(4)], 31) };
        return format(d.Year, month, day);
    }

    public static string IsoParts(int y, int m, int d) => string.Create(CultureInfo.InvariantCulture, $"{y:D4}-{m:D2}-{d:D2}");

    public static string CompactParts(int y, int m, int d) => string.Create(CultureInfo.InvariantCulture, $"{y:D4}{m:D2}{d:D2}");

    public static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    public static string Int(long n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>Another mobile number: the one the person gave a newer department.</summary>
    public static string NewMobile(Random r) =>
        (r.Next(3) switch { 0 => "139", 1 => "186", _ => "177" }) + r.Next(100_000_000).ToString("D8", CultureInfo.InvariantCulture);

    /// <summary>A date a day or a month off from <paramref name="d"/>: a typo that disagrees with the ID.</summary>
    public static DateOnly Typo(DateOnly d, Random r) => r.Next(2) == 0 ? d.AddDays(r.Next(2) == 0 ? 1 : -1) : d.AddMonths(r.Next(2) == 0 ? 1 : -1);
}
