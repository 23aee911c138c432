using DataPool.Demo.Seeding.Output;
using DataPool.Demo.Seeding.World;
using static DataPool.Demo.Seeding.Sources.DirtKinds;

namespace DataPool.Demo.Seeding.Sources;

/// <summary>Veterans affairs (退役军人事务): the roster of special-care recipients (优抚对象), one Excel sheet.</summary>
internal sealed class VeteransSource : IDisposable
{
    public const string Id = "veterans";
    public const string Folder = "veterans";
    public const string Sheet = "优抚对象名册";

    public static readonly string[] Columns = ["序号", "姓名", "性别", "身份证号", "优抚类别", "优抚证号", "享受起始日期", "月抚恤补助金额（元）", "联系电话", "住址", "所属社区"];

    /// <summary>How the veterans' office writes the categories: labels, common abbreviations, its own shorthand.</summary>
    public static readonly Dictionary<string, string[]> CareSpellings = new()
    {
        ["01"] = ["残疾军人", "伤残军人"], ["02"] = ["烈士遗属", "烈属"], ["03"] = ["因公牺牲军人遗属"], ["04"] = ["病故军人遗属", "病故遗属"],
        ["05"] = ["在乡复员军人", "复员军人"], ["06"] = ["带病回乡退伍军人", "带病回乡"], ["07"] = ["参战退役人员", "参试退役人员", "参战", "参试"],
        ["08"] = ["农村籍退役士兵"], ["09"] = ["军属", "现役军人家属"], ["99"] = ["其他"],
    };

    /// <summary>The office's own shorthand that no code table knows: the source's <c>codes</c> map.</summary>
    public static readonly Dictionary<string, string> OwnCodes = new() { ["参战"] = "07", ["参试"] = "07" };

    private readonly Random _r;
    private readonly SourceTally _tally = new(Id, "veterans-affairs", "excel", Folder, "veterans.source.json");
    private readonly StreamTally _stream;
    private readonly ExcelBook _book;
    private readonly ExcelSheet _sheet;
    private readonly double _dirtRate;
    private readonly DirtCycle _dirt = new(UnknownCode, BadCheck, FullWidth, ImpossibleDate, Spaces);
    private int _rows;

    public VeteransSource(string root, int seed, int persons)
    {
        _r = new Random(seed + 404);
        var folder = Directory.CreateDirectory(Path.Combine(root, Folder)).FullName;
        _stream = _tally.Stream("special-care", "special_care");
        _tally.File("special-care.xlsx");
        _book = new ExcelBook(Path.Combine(folder, "special-care.xlsx"));
        _sheet = _book.AddSheet(Sheet, ExcelBook.Widths(Columns, ["999", "阿依古丽·买买提", "性别", "110101195703021234", "带病回乡退伍军人", "110101201500001", "2016年10月31日", "6800.00", "010-65231234", "东城区东华门街道多福巷社区12号楼3单元402", "南池子社区"]), 2);
        var cells = new XCell[Columns.Length];
        cells[0] = XCell.Str($"优抚对象信息名册（{DemoWorld.ReferenceDate.AddDays(-1):yyyy年M月}）", CellStyle.Title);
        _sheet.WriteRow(cells, 32);
        _sheet.Merge(1, 1, 1, Columns.Length);
        _sheet.WriteRow(Columns.Select(c => XCell.Str(c, CellStyle.Header)).ToArray(), 20);
        // The roster is small (about 0.4% of residents), so dirt is denser to show every kind at demo scale.
        _dirtRate = Math.Max(0.03, 3.0 / Math.Max(1, persons * 0.004));
    }

    public void Add(DemoCommunityData data)
    {
        foreach (var p in data.Persons)
        {
            if (p.SpecialCare is { } care)
            {
                Write(p, care);
            }
        }
    }

    public SourceSummary Finish()
    {
        Dispose();
        return _tally.ToSummary();
    }

    public void Dispose() => _book.Dispose();

    private void Write(DemoPerson p, SpecialCareFact c)
    {
        _rows++;
        var spellings = CareSpellings[c.CareType];
        var care = spellings[_r.Next(spellings.Length)];
        var id = p.IdNumber;
        var since = _r.NextDouble() < 0.5 ? XCell.Date(c.Since) : XCell.Str(Render.AnyFormat(c.Since, _r));
        var bad = _tally.Mask(_stream);
        RowFate fate;
        if (_r.NextDouble() < _dirtRate)
        {
            switch (_dirt.Next())
            {
                case BadCheck:
                    id = IdNumbers.WithWrongCheck(p.IdNumber, _r);
                    fate = new RowFate(id, BadCheck, bad);
                    break;
                case UnknownCode:
                    care = "待认定";
                    fate = new RowFate(id, UnknownCode, bad);
                    break;
                case ImpossibleDate:
                    since = XCell.Str(Render.Impossible(c.Since, _r, (y, m, d) => $"{y}年{m}月{d}日"));
                    fate = new RowFate(id, ImpossibleDate, bad);
                    break;
                case FullWidth:
                    id = IdNumbers.FullWidth(p.IdNumber);
                    fate = new RowFate(id, FullWidth);
                    break;
                default:
                    id = IdNumbers.WithSpaces(p.IdNumber, _r);
                    fate = new RowFate(id, Spaces);
                    break;
            }
        }
        else if (IdNumbers.EndsWithX(id) && _r.NextDouble() < 0.3)
        {
            id = IdNumbers.LowerX(id);
            fate = new RowFate(id, LowerX);
        }
        else
        {
            fate = RowFate.Clean(id);
        }

        XCell[] row =
        [
            XCell.Num(_rows), XCell.Str(p.Name), XCell.Str(Render.Gender(p.Gender)), XCell.Str(id), XCell.Str(care), XCell.Str(c.CertificateNo),
            since, XCell.Num((double)c.MonthlyAmount, CellStyle.Money), XCell.Str(p.Phone), XCell.Str(p.Household.Address),
            XCell.Str(p.Household.Community.Name),
        ];
        _sheet.WriteRow(row);
        _tally.Row($"{_book.FileName} {Sheet}!row {_sheet.Row}", fate, _stream);
        if (fate.Dirt is null && _r.NextDouble() < 0.01)
        {
            _sheet.WriteRow(row);
            _tally.Row($"{_book.FileName} {Sheet}!row {_sheet.Row}", fate with { Duplicate = true }, _stream);
        }
    }
}
