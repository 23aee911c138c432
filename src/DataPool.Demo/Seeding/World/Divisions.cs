namespace DataPool.Demo.Seeding.World;

/// <summary>
/// Beijing's administrative divisions as the demo world uses them: real district codes (GB/T 2260)
/// and real street (街道) names; street and community codes are numbered in order under them
/// (9 and 12 digits, the statistical division codes' shape), so they are plausible, not official.
/// </summary>
internal static class Divisions
{
    public const int CommunitiesPerStreet = 10;

    public static readonly (string Code, string Name, string[] Streets)[] Districts =
    [
        ("110101", "东城区", ["东华门街道", "景山街道", "交道口街道", "安定门街道", "北新桥街道", "东四街道", "朝阳门街道", "建国门街道", "东直门街道", "和平里街道", "前门街道", "崇文门外街道", "东花市街道", "龙潭街道", "体育馆路街道", "天坛街道", "永定门外街道"]),
        ("110102", "西城区", ["西长安街街道", "新街口街道", "月坛街道", "展览路街道", "德胜街道", "金融街街道", "什刹海街道", "大栅栏街道", "天桥街道", "椿树街道", "陶然亭街道", "广安门内街道", "牛街街道", "白纸坊街道", "广安门外街道"]),
        ("110105", "朝阳区", ["建外街道", "朝外街道", "呼家楼街道", "三里屯街道", "左家庄街道", "香河园街道", "和平街街道", "安贞街道", "亚运村街道", "小关街道", "酒仙桥街道", "麦子店街道", "团结湖街道", "六里屯街道", "八里庄街道", "双井街道", "劲松街道", "潘家园街道", "垡头街道", "南磨房街道", "高碑店街道", "将台街道", "太阳宫街道", "大屯街道", "望京街道"]),
        ("110108", "海淀区", ["万寿路街道", "永定路街道", "羊坊店街道", "甘家口街道", "八里庄街道", "紫竹院街道", "北下关街道", "北太平庄街道", "学院路街道", "中关村街道", "海淀街道", "青龙桥街道", "清华园街道", "燕园街道", "香山街道", "清河街道", "花园路街道", "西三旗街道", "马连洼街道", "田村路街道", "上地街道", "万柳地区", "东升地区", "曙光街道"]),
        ("110106", "丰台区", ["右安门街道", "太平桥街道", "西罗园街道", "大红门街道", "南苑街道", "东高地街道", "东铁匠营街道", "六里桥街道", "丰台街道", "新村街道", "长辛店街道", "云岗街道", "方庄地区", "宛平地区", "马家堡街道", "和义街道", "卢沟桥街道", "花乡地区"]),
        ("110107", "石景山区", ["八宝山街道", "老山街道", "八角街道", "古城街道", "苹果园街道", "金顶街街道", "广宁街道", "五里坨街道", "鲁谷街道"]),
        ("110112", "通州区", ["中仓街道", "新华街道", "北苑街道", "玉桥街道", "永顺地区", "梨园地区", "通运街道", "文景街道", "九棵树街道", "临河里街道", "杨庄街道", "潞邑街道"]),
        ("110114", "昌平区", ["城北街道", "城南街道", "回龙观街道", "龙泽园街道", "史各庄街道", "霍营街道", "天通苑北街道", "天通苑南街道", "东小口地区", "北七家镇", "南口地区", "沙河地区"]),
    ];

    /// <summary>The real communities of 东华门街道 first, so the 5,000-person world has real-sounding names.</summary>
    private static readonly string[] FirstStreetCommunities = ["多福巷社区", "银闸社区", "东厂社区", "智德社区", "韶九社区", "南池子社区", "灯市口社区", "正义路社区", "台基厂社区", "霞公府社区"];

    private static readonly string[] Places =
    [
        "和平", "青年", "光明", "幸福", "新源", "团结", "育新", "景泰", "芳古", "安华", "安德", "花园", "兴隆", "百子", "南湖", "北湖", "西坝", "东坝",
        "柳荫", "银杏", "槐树", "枣林", "樱桃", "海棠", "丁香", "紫竹", "松榆", "桃园", "梨园", "石榴", "红莲", "白云", "翠微", "玉泉", "金台", "永安",
        "宏源", "朝晖", "晨光", "锦绣", "畅春", "怡海", "春秀", "秋实", "嘉园", "惠新", "安苑", "健翔", "清友", "双榆", "知春", "交大", "黄庄", "万泉",
    ];

    private static readonly string[] Suffixes = ["", "北里", "南里", "西里", "东里", "一区", "二区", "三区", "家园", "新村", "路", "胡同", "园", "苑"];

    /// <summary>The communities of a world of <paramref name="count"/> communities, in order.</summary>
    public static IReadOnlyList<DemoCommunity> Plan(int count)
    {
        var list = new List<DemoCommunity>(count);
        var streetNumber = 0;
        var streetCount = 0;
        var usedNames = new HashSet<string>(StringComparer.Ordinal);
        while (list.Count < count)
        {
            var (districtCode, districtName, streetName, streetIndex) = Street(streetNumber);
            var streetCode = districtCode + streetIndex.ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
            streetCount++;
            for (var c = 1; c <= CommunitiesPerStreet && list.Count < count; c++)
            {
                var name = streetNumber == 0 ? FirstStreetCommunities[c - 1] : CommunityName(streetNumber, c, usedNames);
                var code = streetCode + c.ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
                var ordinal = list.Count + 1;
                var office = $"{districtName}{streetName}{name}居委会";
                var phone = $"010-{(ordinal % 2 == 0 ? 6 : 8)}{(5_000_000 + ordinal * 7_919 % 4_999_999):D7}";
                list.Add(new DemoCommunity(ordinal, code, name, streetCode, streetName, districtCode, districtName, office, phone));
            }

            streetNumber++;
        }

        return list;
    }

    /// <summary>Street number n: the named streets district by district, then numbered ones.</summary>
    private static (string DistrictCode, string DistrictName, string StreetName, int StreetIndex) Street(int n)
    {
        var rest = n;
        foreach (var (code, name, streets) in Districts)
        {
            if (rest < streets.Length)
            {
                return (code, name, streets[rest], rest + 1);
            }

            rest -= streets.Length;
        }

        // Past the named streets (more than ~1,300 communities): numbered streets, spread over the districts.
        var district = Districts[rest % Districts.Length];
        var index = district.Streets.Length + 1 + rest / Districts.Length;
        return (district.Code, district.Name, $"{Places[index % Places.Length]}第{index}街道", index);
    }

    private static string CommunityName(int street, int c, HashSet<string> used)
    {
        for (var attempt = 0; ; attempt++)
        {
            var place = Places[(street * 7 + c * 13 + attempt * 5) % Places.Length];
            var suffix = Suffixes[(street + c * 3 + attempt) % Suffixes.Length];
            var name = place + suffix + "社区";
            if (used.Add(name) || attempt > 40)
            {
                return attempt > 40 ? $"{place}{suffix}{street}社区" : name;
            }
        }
    }
}
