namespace DataPool.Core.Tests.Matching.Independent;

/// <summary>
/// The characters the independent world names people with, each with its toneless pinyin, grouped by sound:
/// a group is what a pinyin input method offers for one syllable, so swapping within it is a homophone typo.
/// Written by hand for this test set, independent of the matcher's own pinyin table.
/// </summary>
internal static class NamePool
{
    public static readonly (string Surname, string Pinyin)[] Surnames =
    [
        ("张", "zhang"), ("王", "wang"), ("李", "li"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"), ("赵", "zhao"), ("黄", "huang"),
        ("周", "zhou"), ("吴", "wu"), ("徐", "xu"), ("孙", "sun"), ("胡", "hu"), ("朱", "zhu"), ("高", "gao"), ("林", "lin"),
        ("何", "he"), ("郭", "guo"), ("马", "ma"), ("罗", "luo"), ("梁", "liang"), ("宋", "song"), ("郑", "zheng"), ("谢", "xie"),
        ("韩", "han"), ("唐", "tang"), ("冯", "feng"), ("于", "yu"), ("董", "dong"), ("萧", "xiao"), ("程", "cheng"), ("曹", "cao"),
        ("袁", "yuan"), ("邓", "deng"), ("傅", "fu"), ("沈", "shen"), ("曾", "zeng"), ("彭", "peng"), ("吕", "lv"), ("苏", "su"),
    ];

    public static readonly (string Surname, string Pinyin)[] Compound =
    [
        ("欧阳", "ouyang"), ("司马", "sima"), ("诸葛", "zhuge"), ("上官", "shangguan"), ("东方", "dongfang"), ("皇甫", "huangfu"),
        ("慕容", "murong"), ("尉迟", "yuchi"), ("令狐", "linghu"), ("公孙", "gongsun"),
    ];

    /// <summary>Syllable → the characters written for it in given names.</summary>
    public static readonly (string Pinyin, string Characters)[] Given =
    [
        ("wei", "伟玮炜唯维薇"), ("ming", "明鸣铭"), ("li", "丽莉俐立力"), ("jing", "静婧晶菁"), ("hua", "华桦"), ("jun", "军君俊骏"),
        ("hong", "红虹宏鸿"), ("ying", "英颖莹瑛"), ("mei", "梅美玫"), ("ling", "玲琳铃凌"), ("xin", "欣新馨鑫"), ("yu", "宇玉雨钰"),
        ("hao", "浩昊皓"), ("jie", "杰洁婕"), ("fang", "芳方"), ("qiang", "强蔷"), ("lei", "磊蕾"), ("yan", "燕艳妍彦"),
        ("tao", "涛韬"), ("ping", "平萍"), ("gang", "刚钢"), ("hui", "辉慧惠晖"), ("xiu", "秀修"), ("lan", "兰岚"), ("zhi", "志智芝"),
        ("guo", "国"), ("jian", "建健剑"), ("dong", "东冬栋"), ("yang", "阳洋扬"), ("feng", "峰锋枫丰"), ("chao", "超朝"), ("na", "娜"),
        ("ting", "婷亭"), ("xia", "霞"), ("bo", "波博"), ("yun", "云芸"), ("kai", "凯恺"), ("rui", "瑞睿"), ("jia", "佳嘉"),
        ("qing", "清青晴庆"), ("wen", "文雯"), ("bin", "斌彬滨"), ("chun", "春"), ("shu", "淑舒"), ("zhen", "珍真贞"), ("ning", "宁"),
        ("peng", "鹏"), ("long", "龙"), ("fei", "飞菲"), ("xue", "雪"), ("yi", "怡毅艺"), ("chen", "晨辰"), ("hai", "海"), ("tian", "天甜"),
    ];

    /// <summary>Parts of Uyghur, Mongolian and Tibetan names, written in characters and joined by '·'.</summary>
    public static readonly string[] MinorityParts =
    [
        "阿依古丽", "买买提", "努尔", "艾力", "古丽娜", "阿不都", "吐尔逊", "热依拉", "卡德尔", "帕提古丽", "艾买提", "依明",
        "斯琴", "巴特尔", "其其格", "乌兰", "扎西", "次仁", "卓玛", "格桑", "多吉", "央金", "阿迪力", "玉素甫",
    ];

    /// <summary>Names so common that several people carry them (the namesakes precision must survive).</summary>
    public static readonly string[] Popular = ["王伟", "王芳", "李娜", "张伟", "刘洋", "李静", "张敏", "王静", "刘伟", "李强"];

    public static readonly string[] Districts = ["东城区", "西城区", "朝阳区", "海淀区", "丰台区"];
    public static readonly string[] Streets = ["和平里", "安定门", "交道口", "景山", "东华门", "建国门", "朝阳门", "东直门", "北新桥", "东四"];

    private static readonly Dictionary<char, string> Syllables = BuildSyllables();

    public static string PinyinOf(char c) => Syllables[c];

    /// <summary>The other characters sharing this character's syllable.</summary>
    public static string Homophones(char c)
    {
        foreach (var (_, characters) in Given)
        {
            if (characters.Contains(c, StringComparison.Ordinal))
            {
                return characters.Replace(c.ToString(), "", StringComparison.Ordinal);
            }
        }

        return "";
    }

    private static Dictionary<char, string> BuildSyllables()
    {
        var map = new Dictionary<char, string>();
        foreach (var (characters, pinyin) in Surnames.Concat(Compound))
        {
            // A compound surname spells as one word; its characters read by the halves of it.
            if (characters.Length == 1)
            {
                map[characters[0]] = pinyin;
            }
        }

        foreach (var (pinyin, characters) in Given)
        {
            foreach (var c in characters)
            {
                map[c] = pinyin;
            }
        }

        return map;
    }
}
