using DataPool.Demo.Seeding.Output;
using DataPool.Demo.Seeding.World;
using static DataPool.Demo.Seeding.Sources.DirtKinds;

namespace DataPool.Demo.Seeding.Sources;

/// <summary>
/// Civil affairs (民政): the social-assistance roster (title row, two-level header, household cells
/// merged over their members), the 80+ age-allowance roster, and the register of communities.
/// </summary>
internal sealed class CivilAffairsSource : IDisposable
{
    public const string Id = "civil-affairs";
    public const string Folder = "civil-affairs";
    public const string AssistanceSheet = "救助对象花名册";
    public const string ElderlySheet = "高龄津贴发放名册";
    public const string CommunitySheet = "社区名录";

    public static readonly string[] AssistanceGroups = ["序号", "家庭信息", "", "", "", "成员信息", "", "", "", "", "救助情况", "", ""];
    public static readonly string[] AssistanceColumns = ["", "户号", "救助类别", "保障人数", "月救助金额（元）", "姓名", "与户主关系", "身份证号", "性别", "出生日期", "救助起始日期", "救助状态", "所属社区"];
    public static readonly string[] ElderlyColumns = ["序号", "姓名", "性别", "身份证号", "出生日期", "年龄", "津贴档次", "月发放金额（元）", "起始日期", "是否独居", "所属社区", "联系电话"];
    public static readonly string[] CommunityColumns = ["序号", "区代码", "区名称", "街道代码", "街道名称", "社区代码", "社区名称", "社区居委会地址", "联系电话", "户数", "人口数"];
    private static readonly int[] HouseholdColumns = [1, 2, 3, 4, 5, 11, 12, 13];
    private static readonly string[] Types = ["", "低保", "特困", "低收入"];
    private static readonly string[] Statuses = ["", "在保", "暂停", "停保", "待审核"];
    private static readonly string[] Bands = ["", "80-89周岁", "90-99周岁", "100周岁及以上"];

    private readonly Random _r;
    private readonly SourceTally _tally = new(Id, "civil-affairs", "excel", Folder, "civil-affairs.source.json");
    private readonly StreamTally _assistance;
    private readonly StreamTally _elderly;
    private readonly StreamTally _communities;
    private readonly ExcelBook _assistanceBook;
    private readonly ExcelBook _elderlyBook;
    private readonly ExcelBook _communityBook;
    private readonly ExcelSheet _assistanceSheet;
    private readonly ExcelSheet _elderlySheet;
    private readonly ExcelSheet _communitySheet;
    private int _assistedHouseholds;
    private int _elderlyRows;
    private readonly DirtCycle _memberDirt = new(BadCheck, FullWidth, Spaces, BadCheck);
    private readonly DirtCycle _elderlyDirt = new(BadCheck, FullWidth, ImpossibleDate, Spaces, UnknownCode);

    public CivilAffairsSource(string root, int seed)
    {
        _r = new Random(seed + 202);
        var folder = Directory.CreateDirectory(Path.Combine(root, Folder)).FullName;
        _assistance = _tally.Stream("assistance", "social_assistance");
        _elderly = _tally.Stream("elderly", "elderly");
        _communities = _tally.Stream("communities", "community");
        var month = $"{DemoWorld.ReferenceDate.AddDays(-1):yyyy年M月}";

        _assistanceBook = Open(folder, "assistance.xlsx");
        _assistanceSheet = _assistanceBook.AddSheet(AssistanceSheet,
            ExcelBook.Widths(AssistanceColumns, ["9999", "1000010001", "低收入", "保障人数", "2900.00", "阿依古丽·买买提", "与户主关系", "110101195703021234", "性别", "2026-10-31", "2026-10-31", "待审核", "南池子社区"]), 3);
        Title(_assistanceSheet, $"城乡社会救助对象花名册（{month}）", AssistanceColumns.Length);
        _assistanceSheet.WriteRow(AssistanceGroups.Select(g => XCell.Str(g, CellStyle.Header)).ToArray(), 20);
        _assistanceSheet.WriteRow(AssistanceColumns.Select(c => XCell.Str(c, CellStyle.Header)).ToArray(), 30);
        _assistanceSheet.Merge(2, 1, 3, 1);
        _assistanceSheet.Merge(2, 2, 2, 5);
        _assistanceSheet.Merge(2, 6, 2, 10);
        _assistanceSheet.Merge(2, 11, 2, 13);

        _elderlyBook = Open(folder, "elderly-allowance.xlsx");
        _elderlySheet = _elderlyBook.AddSheet(ElderlySheet,
            ExcelBook.Widths(ElderlyColumns, ["99999", "阿依古丽·买买提", "性别", "110101195703021234", "1940-10-31", "年龄", "100周岁及以上", "800.00", "2016年10月31日", "是否独居", "南池子社区", "010-65231234"]), 2);
        Title(_elderlySheet, $"高龄老年人津贴发放名册（{month}）", ElderlyColumns.Length);
        _elderlySheet.WriteRow(ElderlyColumns.Select(c => XCell.Str(c, CellStyle.Header)).ToArray(), 20);

        _communityBook = Open(folder, "communities.xlsx");
        _communitySheet = _communityBook.AddSheet(CommunitySheet,
            ExcelBook.Widths(CommunityColumns, ["999", "110101", "石景山区", "110101001", "崇文门外街道", "110101001001", "南池子社区", "东城区崇文门外街道南池子社区居委会", "010-65231234", "9999", "9999"]), 2);
        Title(_communitySheet, "社区（居）民委员会名录", CommunityColumns.Length);
        _communitySheet.WriteRow(CommunityColumns.Select(c => XCell.Str(c, CellStyle.Header)).ToArray(), 20);
    }

    public void Add(DemoCommunityData data)
    {
        var c = data.Community;
        _communitySheet.WriteRow(
        [
            XCell.Num(c.Ordinal), XCell.Num(int.Parse(c.DistrictCode, System.Globalization.CultureInfo.InvariantCulture)), XCell.Str(c.DistrictName),
            XCell.Str(c.StreetCode), XCell.Str(c.StreetName), XCell.Str(c.Code), XCell.Str(c.Name), XCell.Str(c.OfficeAddress),
            XCell.Str(c.OfficePhone), XCell.Num(data.Households.Count), XCell.Num(data.Households.Sum(h => h.Members.Count)),
        ]);
        _tally.Row($"{_communityBook.FileName} {CommunitySheet}!row {_communitySheet.Row}", RowFate.Clean(c.Code), _communities);

        foreach (var household in data.Households)
        {
            if (household.Assistance is { } assistance)
            {
                WriteAssisted(household, assistance);
            }

            foreach (var person in household.Members)
            {
                if (person.Elderly is { } elderly)
                {
                    WriteElderly(person, elderly);
                }
            }
        }
    }

    public SourceSummary Finish()
    {
        Dispose();
        return _tally.ToSummary();
    }

    /// <summary>Saves the three workbooks, side by side.</summary>
    public void Dispose() => Parallel.Invoke(_assistanceBook.Dispose, _elderlyBook.Dispose, _communityBook.Dispose);

    private ExcelBook Open(string folder, string file)
    {
        _tally.File(file);
        return new ExcelBook(Path.Combine(folder, file));
    }

    private static void Title(ExcelSheet sheet, string title, int columns)
    {
        var cells = new XCell[columns];
        cells[0] = XCell.Str(title, CellStyle.Title);
        sheet.WriteRow(cells, 32);
        sheet.Merge(1, 1, 1, columns);
    }

    private void WriteAssisted(DemoHousehold h, AssistanceFact a)
    {
        _assistedHouseholds++;
        var unknownStatus = _assistedHouseholds % 40 == 7;
        var status = unknownStatus ? "核查中" : Statuses[a.Status[0] - '0'];
        var amount = a.MonthlyAmount is { } m
            ? (_r.NextDouble() < 0.1 ? XCell.Str(m.ToString("#,##0.00", System.Globalization.CultureInfo.InvariantCulture), CellStyle.Merged) : XCell.Num((double)m, CellStyle.Money))
            : XCell.Str(null, CellStyle.Merged);
        var since = _r.NextDouble() < 0.8 ? XCell.Date(a.Since) : XCell.Str(Render.AnyFormat(a.Since, _r), CellStyle.Merged);
        var first = _assistanceSheet.Row + 1;
        var top = true;
        foreach (var p in h.Members)
        {
            var (id, fate) = MemberId(p, _assistance, _r.NextDouble() < 0.025 ? _memberDirt.Next() : null);
            if (unknownStatus)
            {
                fate = fate with { Dirt = UnknownCode, BadFor = _tally.Mask(_assistance) };
            }

            XCell[] row =
            [
                Top(XCell.Num(_assistedHouseholds, CellStyle.Merged), top), Top(XCell.Str(h.Number, CellStyle.Merged), top),
                Top(XCell.Str(Types[a.Type[0] - '0'], CellStyle.Merged), top), Top(XCell.Num(h.Members.Count, CellStyle.Merged), top), Top(amount, top),
                XCell.Str(p.Name), XCell.Str(Render.CasualRelation(p.Relation)), XCell.Str(id), XCell.Str(Render.Gender(p.Gender)), XCell.Date(p.BirthDate),
                Top(since, top), Top(XCell.Str(status, CellStyle.Merged), top), Top(XCell.Str(h.Community.Name, CellStyle.Merged), top),
            ];
            _assistanceSheet.WriteRow(row);
            _tally.Row($"{_assistanceBook.FileName} {AssistanceSheet}!row {_assistanceSheet.Row}", fate, _assistance);
            if (fate.Dirt is null && _r.NextDouble() < 0.005)
            {
                // The same member typed twice: the household's merged cells span both rows.
                row = [.. row.Select((cell, i) => HouseholdColumns.Contains(i + 1) ? XCell.Str(null, CellStyle.Merged) : cell)];
                _assistanceSheet.WriteRow(row);
                _tally.Row($"{_assistanceBook.FileName} {AssistanceSheet}!row {_assistanceSheet.Row}", fate with { Duplicate = true }, _assistance);
            }

            top = false;
        }

        if (_assistanceSheet.Row > first)
        {
            foreach (var column in HouseholdColumns)
            {
                _assistanceSheet.Merge(first, column, _assistanceSheet.Row, column);
            }
        }
    }

    private static XCell Top(XCell cell, bool top) => top ? cell : XCell.Str(null, CellStyle.Merged);

    /// <summary>A member's ID as the clerk typed it, and what that does to the row.</summary>
    private (string Id, RowFate Fate) MemberId(DemoPerson p, StreamTally stream, string? dirt)
    {
        switch (dirt)
        {
            case BadCheck:
                return Fate(IdNumbers.WithWrongCheck(p.IdNumber, _r), BadCheck, _tally.Mask(stream));
            case FullWidth:
                return Fate(IdNumbers.FullWidth(p.IdNumber), FullWidth, 0);
            case Spaces:
                return Fate(IdNumbers.WithSpaces(p.IdNumber, _r), Spaces, 0);
        }

        return IdNumbers.EndsWithX(p.IdNumber) && _r.NextDouble() < 0.3
            ? Fate(IdNumbers.LowerX(p.IdNumber), LowerX, 0)
            : (p.IdNumber, RowFate.Clean(p.IdNumber));

        static (string, RowFate) Fate(string id, string dirt, int bad) => (id, new RowFate(id, dirt, bad));
    }

    private void WriteElderly(DemoPerson p, ElderlyFact e)
    {
        _elderlyRows++;
        var dirt = _r.NextDouble() < 0.03 ? _elderlyDirt.Next() : null;
        var (id, fate) = MemberId(p, _elderly, dirt);
        var band = Bands[e.Band[0] - '0'];
        var since = _r.NextDouble() < 0.6 ? XCell.Date(e.Since) : XCell.Str(Render.AnyFormat(e.Since, _r));
        if (dirt == ImpossibleDate)
        {
            since = XCell.Str(Render.Impossible(e.Since, _r, Render.IsoParts));
            fate = new RowFate(id, ImpossibleDate, _tally.Mask(_elderly));
        }
        else if (dirt == UnknownCode)
        {
            band = "待核定";
            fate = new RowFate(id, UnknownCode, _tally.Mask(_elderly));
        }

        XCell[] row =
        [
            XCell.Num(_elderlyRows), XCell.Str(p.Name), XCell.Str(Render.Gender(p.Gender)), XCell.Str(id),
            XCell.Date(p.BirthDate, _r.Next(3) == 0 ? CellStyle.ChineseDate : CellStyle.Date), XCell.Num(p.Age), XCell.Str(band),
            XCell.Num((double)e.MonthlyAmount, CellStyle.Money), since, XCell.Str(e.LivingAlone ? "是" : "否"),
            XCell.Str(p.Household.Community.Name), XCell.Str(p.Phone),
        ];
        _elderlySheet.WriteRow(row);
        _tally.Row($"{_elderlyBook.FileName} {ElderlySheet}!row {_elderlySheet.Row}", fate, _elderly);
        if (fate.Dirt is null && _r.NextDouble() < 0.005)
        {
            _elderlySheet.WriteRow(row);
            _tally.Row($"{_elderlyBook.FileName} {ElderlySheet}!row {_elderlySheet.Row}", fate with { Duplicate = true }, _elderly);
        }
    }
}
