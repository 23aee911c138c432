using System.Text;

namespace DataPool.Demo.Seeding.World;

/// <summary>Chinese personal names: common surnames by frequency, given names by era, minority names.</summary>
internal static class Names
{
    // Surnames with weights roughly proportional to their share in the 2020 census (per 10,000).
    private static readonly WeightedList<string> Surnames = new(
        ("王", 710), ("李", 700), ("张", 660), ("刘", 540), ("陈", 460), ("杨", 310), ("赵", 230), ("黄", 220),
        ("周", 210), ("吴", 200), ("徐", 170), ("孙", 160), ("胡", 130), ("朱", 130), ("高", 130), ("林", 120),
        ("何", 120), ("郭", 120), ("马", 110), ("罗", 90), ("梁", 90), ("宋", 90), ("郑", 80), ("谢", 80),
        ("韩", 70), ("唐", 70), ("冯", 70), ("于", 70), ("董", 60), ("肖", 60), ("程", 50), ("曹", 50),
        ("袁", 50), ("邓", 50), ("许", 50), ("傅", 50), ("沈", 50), ("曾", 50), ("彭", 50), ("吕", 50),
        ("苏", 40), ("卢", 40), ("蒋", 40), ("蔡", 40), ("贾", 40), ("丁", 40), ("魏", 40), ("薛", 40),
        ("叶", 40), ("阎", 30), ("余", 30), ("潘", 30), ("杜", 30), ("戴", 30), ("夏", 30), ("钟", 30),
        ("汪", 30), ("田", 30), ("任", 30), ("姜", 30), ("范", 30), ("方", 30), ("石", 30), ("姚", 30),
        ("谭", 30), ("廖", 20), ("邹", 20), ("熊", 20), ("金", 20), ("陆", 20), ("郝", 20), ("孔", 20),
        ("白", 20), ("崔", 20), ("康", 20), ("毛", 20), ("邱", 20), ("秦", 20), ("江", 20), ("史", 20),
        ("顾", 20), ("侯", 20), ("邵", 20), ("孟", 20), ("龙", 20), ("万", 20), ("段", 20), ("雷", 20),
        ("钱", 20), ("汤", 20), ("尹", 20), ("黎", 20), ("易", 20), ("常", 20), ("武", 20), ("乔", 20),
        ("贺", 20), ("赖", 20), ("龚", 20), ("文", 20), ("欧阳", 5), ("司马", 2), ("上官", 2), ("诸葛", 1));

    private static readonly WeightedList<string> ManchuSurnames = new(("关", 30), ("佟", 25), ("那", 20), ("金", 15), ("赵", 15), ("富", 10), ("索", 8), ("伊", 5), ("王", 15), ("爱新觉罗", 1));
    private static readonly WeightedList<string> HuiSurnames = new(("马", 40), ("白", 15), ("杨", 10), ("丁", 10), ("哈", 6), ("沙", 6), ("米", 4), ("纳", 4), ("刘", 8), ("李", 8));
    private static readonly WeightedList<string> KoreanSurnames = new(("金", 40), ("李", 30), ("朴", 25), ("崔", 15), ("郑", 10), ("姜", 8), ("赵", 8), ("尹", 6));

    private static readonly string[] MaleOld = ["建国", "建华", "国庆", "卫东", "志强", "德明", "振华", "国华", "永生", "长江", "宝山", "福生", "玉林", "树森", "春生", "庆祥", "文明", "金山", "德福", "学文", "广才", "凤山", "世昌", "淑贤", "永", "福", "海", "祥", "明", "和平"];
    private static readonly string[] FemaleOld = ["秀英", "桂兰", "淑珍", "玉兰", "凤英", "秀兰", "桂英", "玉珍", "淑华", "秀珍", "桂芳", "凤兰", "玉梅", "秀云", "翠花", "淑英", "玉华", "桂珍", "素芬", "淑兰", "兰", "英", "珍", "芬"];
    private static readonly string[] MaleMid = ["伟", "强", "磊", "军", "勇", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞", "鑫", "波", "宁", "健", "志刚", "海波", "建军", "晓东", "立新", "海涛", "志勇", "红军", "晓明", "永强", "国强", "建平", "文杰", "宏伟", "东升", "卫国"];
    private static readonly string[] FemaleMid = ["丽", "静", "敏", "燕", "艳", "娟", "霞", "芳", "婷", "娜", "晶", "丽华", "晓燕", "红梅", "春燕", "海燕", "雪梅", "玉洁", "丽娟", "秀梅", "晓红", "丽萍", "美玲", "慧", "红", "颖", "琳", "洁", "倩"];
    private static readonly string[] MaleYoung = ["浩然", "子轩", "宇轩", "浩宇", "俊杰", "梓豪", "一鸣", "子墨", "皓轩", "博文", "天佑", "睿", "宇航", "嘉豪", "晨阳", "思远", "泽宇", "一凡", "明轩", "文博", "昊天", "子豪", "奕辰", "沐阳", "航", "琛", "哲", "凯"];
    private static readonly string[] FemaleYoung = ["欣怡", "梓涵", "子涵", "雨桐", "诗涵", "可馨", "一诺", "思琪", "紫萱", "梦瑶", "佳怡", "雨欣", "若曦", "芷若", "语嫣", "欣然", "佳琪", "梓萱", "诗雨", "雨涵", "可欣", "晨曦", "悦", "彤", "萌", "璐"];

    private static readonly string[] UyghurMale = ["艾力", "买买提", "阿不都", "艾合买提", "吐尔逊", "努尔", "热合曼", "伊力哈木", "艾尔肯", "阿迪力", "玉素甫", "肉孜"];
    private static readonly string[] UyghurFemale = ["古丽", "阿依古丽", "热依拉", "米热古丽", "帕提古丽", "迪丽拜尔", "阿依努尔", "努尔古丽", "布合力其"];
    private static readonly string[] KazakhMale = ["叶尔兰", "努尔兰", "别克", "达吾列提", "阿斯哈尔", "叶尔波拉提", "哈力木"];
    private static readonly string[] KazakhFemale = ["阿依达娜", "古丽娜尔", "加娜尔", "巴合提古丽", "阿娜尔"];
    private static readonly string[] TibetanMale = ["扎西", "次仁", "多吉", "格桑", "平措", "旺堆", "顿珠", "尼玛", "索朗"];
    private static readonly string[] TibetanFemale = ["卓玛", "拉姆", "央金", "德吉", "措姆", "白玛", "曲珍", "次仁", "格桑"];
    private static readonly string[] MongolMale = ["巴特尔", "额尔敦", "苏和", "宝音", "朝鲁", "乌力吉", "阿拉坦", "巴图", "孟和"];
    private static readonly string[] MongolFemale = ["斯琴", "其其格", "乌兰", "萨仁", "娜仁", "图雅", "塔娜", "高娃"];

    /// <summary>Simplified → traditional for the characters above that have a distinct traditional form.</summary>
    private static readonly Dictionary<char, char> Traditional = BuildTraditional(
        "刘劉陈陳张張杨楊黄黃赵趙吴吳孙孫马馬罗羅郑鄭谢謝韩韓冯馮邓鄧叶葉苏蘇吕呂卢盧钟鍾谭譚陆陸贾賈邹鄒龙龍顾顧龚龔万萬钱錢汤湯" +
        "华華国國兰蘭凤鳳丽麗军軍伟偉强強涛濤辉輝鹏鵬飞飛宁寧东東红紅艳艷云雲庆慶卫衛长長宝寶树樹刚剛晓曉杰傑轩軒诗詩诺諾梦夢瑶瑤" +
        "语語远遠阳陽鸣鳴静靜颖穎琳琳洁潔倩倩萱萱泽澤凯凱琛琛哲哲航航欣欣涵涵桐桐馨馨琪琪悦悅彤彤璐璐贤賢广廣才才昌昌金金贺賀乔喬" +
        "许許傅傅沈沈曾曾彭彭蒋蔣蔡蔡丁丁魏魏薛薛阎閻余余潘潘杜杜戴戴夏夏汪汪田田任任姜姜范范方方石石姚姚廖廖熊熊郝郝孔孔白白崔崔" +
        "康康毛毛邱邱秦秦江江史史侯侯邵邵孟孟段段雷雷尹尹黎黎易易常常武武赖賴文文萧蕭肖蕭阁閣门門义義岭嶺");

    public static string HanGivenName(Random r, bool male, int birthYear)
    {
        var pool = birthYear switch
        {
            < 1960 => male ? MaleOld : FemaleOld,
            < 1990 => male ? MaleMid : FemaleMid,
            _ => male ? MaleYoung : FemaleYoung,
        };
        return pool[r.Next(pool.Length)];
    }

    public static string Surname(Random r, string ethnicity) => ethnicity switch
    {
        "11" when r.NextDouble() < 0.6 => ManchuSurnames.Pick(r),
        "03" when r.NextDouble() < 0.7 => HuiSurnames.Pick(r),
        "10" => KoreanSurnames.Pick(r),
        _ => Surnames.Pick(r),
    };

    /// <summary>A full name fitting the ethnic group; <paramref name="surname"/> is used for Han-style names.</summary>
    public static string FullName(Random r, bool male, int birthYear, string ethnicity, string surname)
    {
        switch (ethnicity)
        {
            case "05":
                return Dotted(r, male ? UyghurMale : UyghurFemale, UyghurMale);
            case "17":
                return Dotted(r, male ? KazakhMale : KazakhFemale, KazakhMale);
            case "04":
                {
                    var pool = male ? TibetanMale : TibetanFemale;
                    var first = TibetanMale[r.Next(TibetanMale.Length)];
                    var second = pool[r.Next(pool.Length)];
                    return first == second ? first + (male ? "多吉" : "卓玛") : first + second;
                }
            case "02" when r.NextDouble() < 0.5:
                return male ? MongolMale[r.Next(MongolMale.Length)] : MongolFemale[r.Next(MongolFemale.Length)];
            default:
                return surname + HanGivenName(r, male, birthYear);
        }
    }

    /// <summary>The name with every character that has a traditional form converted; null when none has.</summary>
    public static string? ToTraditional(string name)
    {
        var changed = false;
        var sb = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (Traditional.TryGetValue(c, out var t) && t != c)
            {
                sb.Append(t);
                changed = true;
            }
            else
            {
                sb.Append(c);
            }
        }

        return changed ? sb.ToString() : null;
    }

    private static string Dotted(Random r, string[] given, string[] fathers) =>
        given[r.Next(given.Length)] + "·" + fathers[r.Next(fathers.Length)];

    private static Dictionary<char, char> BuildTraditional(string pairs)
    {
        var map = new Dictionary<char, char>();
        for (var i = 0; i + 1 < pairs.Length; i += 2)
        {
            map.TryAdd(pairs[i], pairs[i + 1]);
        }

        return map;
    }
}

/// <summary>Items picked at random in proportion to their weights.</summary>
internal sealed class WeightedList<T>
{
    private readonly T[] _items;
    private readonly int[] _cumulative;

    public WeightedList(params (T Item, int Weight)[] items)
    {
        _items = items.Select(i => i.Item).ToArray();
        _cumulative = new int[items.Length];
        var total = 0;
        for (var i = 0; i < items.Length; i++)
        {
            total += items[i].Weight;
            _cumulative[i] = total;
        }
    }

    public T Pick(Random r)
    {
        var x = r.Next(_cumulative[^1]);
        var i = Array.BinarySearch(_cumulative, x + 1);
        return _items[i >= 0 ? i : ~i];
    }
}
