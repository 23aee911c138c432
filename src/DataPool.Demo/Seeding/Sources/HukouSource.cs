using System.Text;
using DataPool.Demo.Seeding.Output;
using DataPool.Demo.Seeding.World;
using static DataPool.Demo.Seeding.Sources.DirtKinds;

namespace DataPool.Demo.Seeding.Sources;

/// <summary>
/// Household registration (户籍, public security): persons.csv and households.csv in GB18030 with a
/// title line above the Chinese header, as the old system exports them.
/// </summary>
internal sealed class HukouSource : IDisposable
{
    public const string Id = "hukou";
    public const string Folder = "hukou";

    public static readonly string[] PersonColumns = ["身份证号", "姓名", "性别", "出生日期", "民族", "户号", "与户主关系", "住址", "联系电话", "社区代码", "户籍登记日期"];
    public static readonly string[] HouseholdColumns = ["户号", "户别", "户主身份证号", "户主姓名", "住址", "社区代码", "户内人数", "立户日期"];
    private const int PhoneColumn = 8;
    private const int HouseholdPeopleColumn = 6;

    private readonly Random _r;
    private readonly CsvOut _persons;
    private readonly CsvOut _households;
    private readonly SourceTally _tally = new(Id, "public-security", "csv", Folder, "hukou.source.json");
    private readonly StreamTally _personStream;
    private readonly StreamTally _householdStream;
    private readonly List<(string[] Fields, RowFate Fate)> _personDuplicates = [];
    private readonly List<(string[] Fields, RowFate Fate)> _householdDuplicates = [];
    private readonly DirtCycle _personDirt = new(BadCheck, FullWidth, ImpossibleDate, Spaces, UnknownCode, GenderMismatch, BadCheck, Ragged, FullWidth, Spaces, GenderMismatch, ImpossibleDate);
    private readonly DirtCycle _householdDirt = new(Spaces, BadCheck, FullWidth, Ragged);

    public HukouSource(string root, int seed)
    {
        _r = new Random(seed + 101);
        var folder = Directory.CreateDirectory(Path.Combine(root, Folder)).FullName;
        var gb18030 = Encoding.GetEncoding("GB18030");
        _personStream = _tally.Stream("persons", "person");
        _householdStream = _tally.Stream("households", "household");
        _persons = new CsvOut(Path.Combine(folder, "persons.csv"), gb18030);
        _households = new CsvOut(Path.Combine(folder, "households.csv"), gb18030);
        _tally.File(_persons.FileName);
        _tally.File(_households.FileName);
        _persons.WriteTitle($"北京市公安局人口信息管理系统 户籍人口信息导出（截至{DemoWorld.ReferenceDate.AddDays(-1):yyyy年M月d日}）");
        _persons.WriteRow(PersonColumns);
        _households.WriteTitle($"北京市公安局人口信息管理系统 户信息导出（截至{DemoWorld.ReferenceDate.AddDays(-1):yyyy年M月d日}）");
        _households.WriteRow(HouseholdColumns);
    }

    public void Add(DemoCommunityData data)
    {
        foreach (var household in data.Households)
        {
            WriteHousehold(household);
            foreach (var person in household.Members)
            {
                WritePerson(person);
            }
        }

        // Duplicates show up where re-exports were appended: after the community's block.
        foreach (var (fields, fate) in _householdDuplicates)
        {
            Write(_households, fields, fate, _householdStream);
        }

        foreach (var (fields, fate) in _personDuplicates)
        {
            Write(_persons, fields, fate, _personStream);
        }

        _householdDuplicates.Clear();
        _personDuplicates.Clear();
    }

    public SourceSummary Finish()
    {
        Dispose();
        return _tally.ToSummary();
    }

    public void Dispose()
    {
        _persons.Dispose();
        _households.Dispose();
    }

    private void WritePerson(DemoPerson p)
    {
        var h = p.Household;
        string[] f =
        [
            p.IdNumber, p.Name, Render.Gender(p.Gender), Render.Iso(p.BirthDate), Render.Ethnicities[p.Ethnicity], h.Number,
            Render.FormalRelation(p.Relation, _r), h.Address, p.Phone, h.Community.Code,
            Render.Iso(p.Relation == "02" ? h.Registered : Max(h.Registered, p.BirthDate)),
        ];
        var bad = _tally.Mask(_personStream);
        RowFate fate;
        if (_r.NextDouble() < 0.026)
        {
            var dirt = _personDirt.Next();
            switch (dirt)
            {
                case BadCheck:
                    f[0] = IdNumbers.WithWrongCheck(p.IdNumber, _r);
                    break;
                case ImpossibleDate:
                    f[3] = Render.Impossible(p.BirthDate, _r, Render.IsoParts);
                    break;
                case UnknownCode:
                    f[2] = _r.Next(2) == 0 ? "未知x" : "3";
                    break;
                case GenderMismatch:
                    f[2] = Render.Flip(p.Gender);
                    break;
                case Ragged:
                    f = [.. f[..PhoneColumn], .. f[(PhoneColumn + 1)..]];
                    break;
                case FullWidth:
                    f[0] = IdNumbers.FullWidth(p.IdNumber);
                    bad = 0;
                    break;
                default:
                    f[0] = IdNumbers.WithSpaces(p.IdNumber, _r);
                    bad = 0;
                    break;
            }

            fate = new RowFate(f[0], dirt, bad);
        }
        else if (IdNumbers.EndsWithX(p.IdNumber) && _r.NextDouble() < 0.1)
        {
            f[0] = IdNumbers.LowerX(p.IdNumber);
            fate = new RowFate(f[0], LowerX);
        }
        else
        {
            fate = RowFate.Clean(f[0]);
            if (_r.NextDouble() < 0.004)
            {
                _personDuplicates.Add((f, fate with { Duplicate = true }));
            }
        }

        Write(_persons, f, fate, _personStream);
    }

    private void WriteHousehold(DemoHousehold h)
    {
        string[] f =
        [
            h.Number, h.HouseholdType == "1" ? "家庭户" : "集体户", h.Head.IdNumber, h.Head.Name, h.Address, h.Community.Code,
            Render.Int(h.Members.Count), Render.Iso(h.Registered),
        ];
        RowFate fate;
        if (_r.NextDouble() < 0.015)
        {
            var bad = _tally.Mask(_householdStream);
            (fate, f) = _householdDirt.Next() switch
            {
                BadCheck => (new RowFate(h.Number, BadCheck, bad), With(f, 2, IdNumbers.WithWrongCheck(h.Head.IdNumber, _r))),
                Ragged => (new RowFate(h.Number, Ragged, bad), [.. f[..HouseholdPeopleColumn], .. f[(HouseholdPeopleColumn + 1)..]]),
                Spaces => (new RowFate(h.Number, Spaces), With(f, 2, IdNumbers.WithSpaces(h.Head.IdNumber, _r))),
                _ => (new RowFate(h.Number, FullWidth), With(f, 2, IdNumbers.FullWidth(h.Head.IdNumber))),
            };
        }
        else
        {
            fate = RowFate.Clean(h.Number);
            if (_r.NextDouble() < 0.003)
            {
                _householdDuplicates.Add((f, fate with { Duplicate = true }));
            }
        }

        Write(_households, f, fate, _householdStream);
    }

    private void Write(CsvOut file, string[] fields, in RowFate fate, StreamTally stream)
    {
        file.WriteRow(fields);
        _tally.Row($"{file.FileName} line {file.Lines}", fate, stream);
    }

    private static string[] With(string[] fields, int index, string value)
    {
        fields[index] = value;
        return fields;
    }

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}
