using DataPool.Demo.Seeding.Output;
using DataPool.Demo.Seeding.World;
using static DataPool.Demo.Seeding.Sources.DirtKinds;

namespace DataPool.Demo.Seeding.Sources;

/// <summary>
/// The community's own ledger (社区台账), kept by hand in Excel by the first community of the world:
/// one sheet per building, a title row on each, a household's cells merged over its members. Phones
/// and addresses are sometimes newer than the household register; names sometimes traditional.
/// </summary>
internal sealed class LedgerSource : IDisposable
{
    public const string Id = "ledger";
    public const string Folder = "ledgers";

    public static readonly string[] Columns = ["户号", "单元", "门牌号", "姓名", "性别", "身份证号", "出生日期", "与户主关系", "联系电话", "住房类型", "现住址", "备注"];
    private static readonly int[] HouseholdColumns = [1, 2, 3, 10, 11];

    public static readonly Dictionary<string, string[]> HousingSpellings = new()
    {
        ["1"] = ["自有", "自有产权", "商品房", "房改房"], ["2"] = ["租住", "租房"], ["3"] = ["公租房"], ["4"] = ["廉租房"],
        ["5"] = ["单位宿舍"], ["6"] = ["借住亲戚家"], ["9"] = ["其它"],
    };

    /// <summary>Spellings of this ledger that no code table knows: the source's <c>codes</c> map.</summary>
    public static readonly Dictionary<string, string> OwnHousingCodes = new() { ["单位宿舍"] = "5", ["借住亲戚家"] = "6" };

    private static readonly string[] Remarks = ["独居", "空巢", "低保户", "残疾", "党员", "新迁入", "出租", "人户分离"];

    private readonly Random _r;
    private readonly SourceTally _tally = new(Id, "community", "excel", Folder, "ledger.source.json");
    private readonly StreamTally _residents;
    private readonly StreamTally _households;
    private readonly ExcelBook _book;
    private readonly DirtCycle _dirt = new(BadCheck, FullWidth, ImpossibleDate, GenderMismatch, Spaces, MissingId, ImpossibleDate, GenderMismatch, BadCheck);
    private ExcelSheet? _sheet;
    private int _householdCount;
    private int _building;

    public LedgerSource(string root, int seed)
    {
        _r = new Random(seed + 505);
        var folder = Directory.CreateDirectory(Path.Combine(root, Folder)).FullName;
        _residents = _tally.Stream("residents", "person");
        _households = _tally.Stream("households", "household", householdKeyed: true);
        _tally.File("ledger.xlsx");
        _book = new ExcelBook(Path.Combine(folder, "ledger.xlsx"));
    }

    /// <summary>The community whose ledger this is (the first of the world).</summary>
    public DemoCommunity? Community { get; private set; }

    public void Add(DemoCommunityData data)
    {
        Community = data.Community;
        foreach (var household in data.Households)
        {
            if (household.Building != _building)
            {
                _building = household.Building;
                StartSheet(data.Community, _building);
            }

            WriteHousehold(household);
        }
    }

    public SourceSummary Finish()
    {
        Dispose();
        return _tally.ToSummary();
    }

    public void Dispose() => _book.Dispose();

    private string SheetName => $"楼{_building}";

    private void StartSheet(DemoCommunity c, int building)
    {
        _sheet = _book.AddSheet(SheetName,
            ExcelBook.Widths(Columns, ["1000010001", "单元", "门牌号", "阿依古丽·买买提", "性别", "110101195703021234", "1957年10月12日", "与户主关系", "010-65231234", "自有产权", "东城区东华门街道多福巷社区12号楼3单元402", "人户分离"]), 2);
        var cells = new XCell[Columns.Length];
        cells[0] = XCell.Str($"{c.Name}{building}号楼居民信息台账", CellStyle.Title);
        _sheet.WriteRow(cells, 30);
        _sheet.Merge(1, 1, 1, Columns.Length);
        _sheet.WriteRow(Columns.Select(h => XCell.Str(h, CellStyle.Header)).ToArray(), 20);
    }

    private void WriteHousehold(DemoHousehold h)
    {
        var sheet = _sheet!;
        var spellings = HousingSpellings[h.HousingType];
        var housing = spellings[_r.Next(spellings.Length)];
        var unknownHousing = ++_householdCount % 80 == 41;
        if (unknownHousing)
        {
            housing = "待查";
        }

        var address = h.Address;
        if (_r.NextDouble() < 0.03)
        {
            address = _r.Next(2) == 0 ? address + "室" : $"朝阳区望京街道花家地西里{_r.Next(1, 12)}号楼{_r.Next(1, 5)}单元{_r.Next(1, 7)}0{_r.Next(1, 3)}";
        }

        var first = sheet.Row + 1;
        var top = true;
        foreach (var p in h.Members)
        {
            var (row, fate) = Member(p, h, housing, address, top, allowDirt: !unknownHousing);
            if (unknownHousing)
            {
                fate = fate with { Dirt = UnknownCode, BadFor = _tally.Mask(_households) };
            }

            if (!ReferenceEquals(address, h.Address))
            {
                _tally.Note(AddressDiffers);
            }

            sheet.WriteRow(row);
            _tally.Row($"{_book.FileName} {SheetName}!row {sheet.Row}", fate, _residents, _households);
            if (fate.Dirt is null && fate.FlagFor == 0 && _r.NextDouble() < 0.004)
            {
                row = [.. row.Select((cell, i) => HouseholdColumns.Contains(i + 1) ? XCell.Str(null, CellStyle.Merged) : cell)];
                sheet.WriteRow(row);
                _tally.Row($"{_book.FileName} {SheetName}!row {sheet.Row}", fate with { Duplicate = true }, _residents, _households);
            }

            top = false;
        }

        if (sheet.Row > first)
        {
            foreach (var column in HouseholdColumns)
            {
                sheet.Merge(first, column, sheet.Row, column);
            }
        }
    }

    private (XCell[] Row, RowFate Fate) Member(DemoPerson p, DemoHousehold h, string housing, string address, bool top, bool allowDirt)
    {
        var name = p.Name;
        if (_r.NextDouble() < 0.015 && Names.ToTraditional(p.Name) is { } traditional)
        {
            name = traditional;
            _tally.Note(Traditional);
        }

        var phone = p.Phone;
        var flag = 0;
        if (phone.Length > 0 && _r.NextDouble() < 0.06)
        {
            phone = Render.NewMobile(_r);
            _tally.Note(PhoneDiffers);
        }
        else if (phone.Length == 11 && _r.NextDouble() < 0.01)
        {
            phone = phone[..10];
            flag = _tally.Mask(_residents);
            _tally.Note(BadPhone);
        }

        var id = p.IdNumber;
        var gender = Render.Gender(p.Gender);
        var birth = _r.NextDouble() < 0.4 ? XCell.Date(p.BirthDate) : XCell.Str(Render.AnyFormat(p.BirthDate, _r));
        var bad = _tally.Mask(_residents);
        RowFate fate;
        if (_r.NextDouble() < 0.03 && allowDirt)
        {
            switch (_dirt.Next())
            {
                case BadCheck:
                    id = IdNumbers.WithWrongCheck(p.IdNumber, _r);
                    fate = new RowFate(id, BadCheck, bad, flag);
                    break;
                case ImpossibleDate:
                    birth = XCell.Str(Render.Impossible(p.BirthDate, _r, (y, m, d) => $"{y}.{m}.{d}"));
                    fate = new RowFate(id, ImpossibleDate, bad, flag);
                    break;
                case GenderMismatch:
                    gender = Render.Flip(p.Gender);
                    fate = new RowFate(id, GenderMismatch, bad, flag);
                    break;
                case MissingId:
                    id = "";
                    fate = new RowFate("", MissingId, bad, flag);
                    break;
                case FullWidth:
                    id = IdNumbers.FullWidth(p.IdNumber);
                    fate = new RowFate(id, FullWidth, 0, flag);
                    break;
                default:
                    id = IdNumbers.WithSpaces(p.IdNumber, _r);
                    fate = new RowFate(id, Spaces, 0, flag);
                    break;
            }
        }
        else if (IdNumbers.EndsWithX(id) && _r.NextDouble() < 0.3)
        {
            id = IdNumbers.LowerX(id);
            fate = new RowFate(id, LowerX, 0, flag);
        }
        else
        {
            fate = new RowFate(id, null, 0, flag);
        }

        // The households stream is keyed by 户号: its bad rows are named by it.
        fate = fate with { HouseholdKey = h.Number };
        var remark = _r.NextDouble() < 0.08 ? Remarks[_r.Next(Remarks.Length)] : null;
        XCell[] row =
        [
            Top(XCell.Str(h.Number, CellStyle.Merged), top), Top(XCell.Num(h.Unit, CellStyle.Merged), top), Top(XCell.Num(h.Room, CellStyle.Merged), top),
            XCell.Str(name), XCell.Str(gender), XCell.Str(id), birth, XCell.Str(Render.CasualRelation(p.Relation)), XCell.Str(phone),
            Top(XCell.Str(housing, CellStyle.Merged), top), Top(XCell.Str(address, CellStyle.Merged), top), XCell.Str(remark),
        ];
        return (row, fate);
    }

    private static XCell Top(XCell cell, bool top) => top ? cell : XCell.Str(null, CellStyle.Merged);
}
