using System.Globalization;
using System.Text;
using DataPool.Demo.Seeding.Output;
using DataPool.Demo.Seeding.World;

namespace DataPool.Demo.Seeding.Sources;

/// <summary>
/// A community's visit log of its older residents (为老服务走访登记), kept by hand in a spreadsheet exported as CSV.
/// It writes no ID numbers: a row is keyed by its own registration number, so every row reaches its resident only
/// through the matcher (name, birth date, gender, phone, community). Most rows agree with the register and link on
/// their own; a few were typed by ear (a homophone in the name), with the birth day and month swapped and a newer
/// mobile: the matcher cannot be sure of those, so they are the demo's review items.
/// </summary>
internal sealed class VisitsSource : IDisposable
{
    public const string Id = "visits";
    public const string Folder = "visits";
    public const string FileName = "visits.csv";

    /// <summary>Who is visited: residents of this age and older.</summary>
    public const int MinimumAge = 75;

    /// <summary>About one visited resident in this many is written by ear (at demo scale a handful of review items).</summary>
    private const int NearDuplicateEvery = 20;

    /// <summary>Hand-typed birth dates that cannot exist (quarantined), as in every export.</summary>
    private const double ImpossibleDateRate = 0.025;

    public static readonly string[] Columns = ["登记编号", "姓名", "性别", "出生日期", "联系电话", "社区代码", "走访日期", "走访人", "走访情况"];

    /// <summary>Characters of the older given names and a character a pinyin input method offers for the same sound.</summary>
    private static readonly Dictionary<char, char> Homophones = Pairs(
        "建健国果华化英鹰兰蓝珍真秀绣桂贵玉宇淑书凤风梅玫明鸣福富祥翔生升林琳山珊德得芳方云芸文闻学雪平萍和禾才财永勇" +
        "金今树书庆青春纯广光宝保世市翠脆花华素苏芬分贤闲卫为东冬志智强墙振震");

    private static readonly string[] Visitors = ["王慧敏", "李建新", "赵雪梅", "刘晓燕"];
    private static readonly string[] Notes = ["身体良好", "独居，已留联系卡", "行动不便，需助餐", "慢病随访已转介", "家属在场", "需协助申领高龄津贴"];

    private static readonly char[] Heard = [.. Homophones.Keys];

    private readonly Random _r;
    private readonly SourceTally _tally = new(Id, "community", "csv", Folder, "visits.source.json");
    private readonly StreamTally _stream;
    private readonly CsvOut _file;
    private int _rows;
    private int _sinceHeard;

    public VisitsSource(string root, int seed)
    {
        _r = new Random(seed + 606);
        var folder = Directory.CreateDirectory(Path.Combine(root, Folder)).FullName;
        _stream = _tally.Stream("visits", "person");
        _tally.File(FileName);
        _file = new CsvOut(Path.Combine(folder, FileName), new UTF8Encoding(false));
        _file.WriteRow(Columns);
    }

    /// <summary>The community whose log this is (the second one generated).</summary>
    public DemoCommunity? Community { get; private set; }

    public void Add(DemoCommunityData data)
    {
        Community = data.Community;
        foreach (var p in data.Persons.Where(p => p.Age >= MinimumAge))
        {
            Write(p);
        }
    }

    public SourceSummary Finish()
    {
        Dispose();
        return _tally.ToSummary();
    }

    public void Dispose() => _file.Dispose();

    private void Write(DemoPerson p)
    {
        _rows++;
        var key = string.Create(CultureInfo.InvariantCulture, $"ZF{p.Household.Community.Code[^3..]}{_rows:D5}");
        var (name, birth, phone) = (p.Name, p.BirthDate, p.Phone);
        var birthText = Render.AnyFormat(birth, _r);
        var fate = RowFate.Clean(key);
        if (++_sinceHeard >= NearDuplicateEvery && ByEar(p) is { } heard)
        {
            (name, birth, phone) = heard;
            birthText = Render.AnyFormat(birth, _r);
            _sinceHeard = 0;
            _tally.Note(DirtKinds.NearDuplicate);
        }
        else if (_r.NextDouble() < ImpossibleDateRate)
        {
            birthText = Render.Impossible(birth, _r, Render.IsoParts);
            fate = new RowFate(key, DirtKinds.ImpossibleDate, _tally.Mask(_stream));
        }

        var visited = DemoWorld.ReferenceDate.AddDays(-_r.Next(1, 180));
        _file.WriteRow(key, name, Render.Gender(p.Gender), birthText, phone, p.Household.Community.Code,
            Render.Iso(visited), Visitors[_r.Next(Visitors.Length)], Notes[_r.Next(Notes.Length)]);
        _tally.Row($"{_file.FileName} line {_file.Lines}", fate, _stream);
    }

    /// <summary>
    /// The resident as a visitor wrote them down by ear: a homophone in the given name, the birth day and month swapped,
    /// a newer mobile. Null when the person has no such character, a day and month that swap into the same or no date,
    /// or no phone to differ from (each alone would let the matcher link the row without asking).
    /// </summary>
    private (string Name, DateOnly Birth, string Phone)? ByEar(DemoPerson p)
    {
        var at = p.Name.AsSpan(1).IndexOfAny(Heard);
        var (day, month) = (p.BirthDate.Day, p.BirthDate.Month);
        if (at < 0 || day > 12 || day == month || p.Phone.Length == 0)
        {
            return null;
        }

        var name = new StringBuilder(p.Name);
        name[at + 1] = Homophones[p.Name[at + 1]];
        return (name.ToString(), new DateOnly(p.BirthDate.Year, day, month), Render.NewMobile(_r));
    }

    private static Dictionary<char, char> Pairs(string pairs)
    {
        var map = new Dictionary<char, char>();
        for (var i = 0; i + 1 < pairs.Length; i += 2)
        {
            map[pairs[i]] = pairs[i + 1];
        }

        return map;
    }
}
