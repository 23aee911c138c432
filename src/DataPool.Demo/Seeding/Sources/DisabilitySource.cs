using System.Text;
using DataPool.Demo.Seeding.Output;
using DataPool.Demo.Seeding.World;
using static DataPool.Demo.Seeding.Sources.DirtKinds;

namespace DataPool.Demo.Seeding.Sources;

/// <summary>
/// The disabled persons' federation (残联): disability.csv in UTF-8, one row per certificate holder,
/// dates as 19570302, some 15-digit IDs, 20-character certificate numbers. Two streams read it:
/// certificates (the disability entity) and holders (what the federation knows of the person).
/// </summary>
internal sealed class DisabilitySource : IDisposable
{
    public const string Id = "disability";
    public const string Folder = "disability";

    public static readonly string[] Columns = ["残疾人证号", "姓名", "性别", "身份证号", "出生日期", "残疾类别", "残疾等级", "发证日期", "有效期至", "联系电话", "住址", "监护人"];
    private static readonly string[] Categories = ["", "视力", "听力", "言语", "肢体", "智力", "精神", "多重"];
    private static readonly string[] Grades = ["", "一级", "二级", "三级", "四级"];
    private const int AddressColumn = 10;

    private readonly Random _r;
    private readonly CsvOut _file;
    private readonly SourceTally _tally = new(Id, "disabled-persons-federation", "csv", Folder, "disability.source.json");
    private readonly StreamTally _certificates;
    private readonly StreamTally _holders;
    private readonly List<(string[] Fields, RowFate Fate)> _duplicates = [];
    private readonly DirtCycle _dirt = new(BadCheck, GenderMismatch, BirthMismatch, FullWidth, ImpossibleDate, UnknownCode, Spaces, Ragged);

    public DisabilitySource(string root, int seed)
    {
        _r = new Random(seed + 303);
        var folder = Directory.CreateDirectory(Path.Combine(root, Folder)).FullName;
        _certificates = _tally.Stream("certificates", "disability");
        _holders = _tally.Stream("holders", "person");
        _file = new CsvOut(Path.Combine(folder, "disability.csv"), new UTF8Encoding(false));
        _tally.File(_file.FileName);
        _file.WriteRow(Columns);
    }

    public void Add(DemoCommunityData data)
    {
        foreach (var person in data.Persons)
        {
            if (person.Disability is { } d)
            {
                WriteRow(person, d);
            }
        }

        foreach (var (fields, fate) in _duplicates)
        {
            Write(fields, fate);
        }

        _duplicates.Clear();
    }

    public SourceSummary Finish()
    {
        Dispose();
        return _tally.ToSummary();
    }

    public void Dispose() => _file.Dispose();

    private void WriteRow(DemoPerson p, DisabilityFact d)
    {
        var certificate = p.IdNumber + d.Category + d.Grade;
        var longTerm = p.Age >= 60 && _r.NextDouble() < 0.05;
        var phone = p.Phone.Length > 0 && _r.NextDouble() < 0.05 ? Render.NewMobile(_r) : p.Phone;
        string[] f =
        [
            certificate, p.Name, Render.Gender(p.Gender), p.IdNumber, Render.Compact(p.BirthDate), Categories[d.Category[0] - '0'],
            Grades[d.Grade[0] - '0'], Render.Compact(d.Issued), longTerm ? "长期" : Render.Compact(d.ValidUntil), phone, p.Household.Address,
            d.Guardian ?? "",
        ];
        if (!ReferenceEquals(phone, p.Phone))
        {
            _tally.Note(PhoneDiffers);
        }

        var both = _tally.Mask(_certificates) | _tally.Mask(_holders);
        var flag = longTerm ? _tally.Mask(_certificates) : 0;
        RowFate fate;
        if (_r.NextDouble() < 0.045)
        {
            switch (_dirt.Next())
            {
                case BadCheck:
                    f[3] = IdNumbers.WithWrongCheck(p.IdNumber, _r);
                    fate = new RowFate(f[3], BadCheck, both, flag);
                    break;
                case GenderMismatch:
                    f[2] = Render.Flip(p.Gender);
                    fate = new RowFate(f[3], GenderMismatch, _tally.Mask(_holders), flag);
                    break;
                case BirthMismatch:
                    f[4] = Render.Compact(Render.Typo(p.BirthDate, _r));
                    fate = new RowFate(f[3], BirthMismatch, _tally.Mask(_holders), flag);
                    break;
                case ImpossibleDate:
                    f[7] = Render.Impossible(d.Issued, _r, Render.CompactParts);
                    fate = new RowFate(f[3], ImpossibleDate, _tally.Mask(_certificates), flag);
                    break;
                case UnknownCode:
                    f[5] = _r.Next(2) == 0 ? "待评定" : "其它类";
                    fate = new RowFate(f[3], UnknownCode, _tally.Mask(_certificates), flag);
                    break;
                case Ragged:
                    f = [.. f[..AddressColumn], .. f[(AddressColumn + 1)..]];
                    fate = new RowFate(f[3], Ragged, both, flag);
                    break;
                case FullWidth:
                    f[3] = IdNumbers.FullWidth(p.IdNumber);
                    fate = new RowFate(f[3], FullWidth, 0, flag);
                    break;
                default:
                    f[3] = IdNumbers.WithSpaces(p.IdNumber, _r);
                    fate = new RowFate(f[3], Spaces, 0, flag);
                    break;
            }
        }
        else if (p.BirthDate.Year < 2000 && _r.NextDouble() < 0.08)
        {
            f[3] = IdNumbers.To15(p.IdNumber);
            fate = new RowFate(f[3], Id15, 0, flag);
        }
        else if (IdNumbers.EndsWithX(p.IdNumber) && _r.NextDouble() < 0.3)
        {
            f[3] = IdNumbers.LowerX(p.IdNumber);
            fate = new RowFate(f[3], LowerX, 0, flag);
        }
        else
        {
            fate = new RowFate(f[3], longTerm ? LongTerm : null, 0, flag);
            if (!longTerm && _r.NextDouble() < 0.004)
            {
                _duplicates.Add((f, fate with { Duplicate = true }));
            }
        }

        if (longTerm && fate.Dirt != LongTerm)
        {
            _tally.Note(LongTerm);
        }

        Write(f, fate);
    }

    private void Write(string[] fields, in RowFate fate)
    {
        _file.WriteRow(fields);
        _tally.Row($"{_file.FileName} line {_file.Lines}", fate, _certificates, _holders);
    }
}
