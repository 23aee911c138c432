using System.Globalization;
using System.Text.Json.Nodes;
using DataPool.Demo.Seeding.World;
using Microsoft.Data.Sqlite;
using static DataPool.Demo.Seeding.Sources.DirtKinds;

namespace DataPool.Demo.Seeding.Sources;

/// <summary>
/// Human resources and social security (人社): the employment and unemployment registry (就业失业登记),
/// a SQLite database employment.db with one table <c>registrations</c>, read by the <c>sql</c> connector
/// as an incremental stream on <c>updated_at</c>. Working-age residents appear with a status as the
/// registry spells it (labels and aliases of the employment_status code table), registered unemployed
/// ones with a registration date and a certificate number. The file is written with journal_mode=DELETE
/// and holds no timestamp of its own, so the same seed gives the same bytes.
/// </summary>
internal sealed class EmploymentSource : IDisposable
{
    public const string Id = "employment";
    public const string Folder = "employment";
    public const string File = "employment.db";
    public const string Table = "registrations";

    private static readonly string[] Employers =
    [
        "北京东华门商贸有限公司", "北京市东城区第一幼儿园", "王府井百货大楼", "北京同仁堂股份有限公司", "北京京港地铁有限公司", "首都机场集团",
        "中国邮政集团北京分公司", "北京市东城区环境卫生服务中心", "北京全聚德餐饮有限公司", "北京银泰置业有限公司", "个体经营", "北京东方广场物业",
    ];

    // How the registry spells each status: the code table's labels and aliases (understood without a codes map).
    private static readonly string[][] StatusSpellings =
    [
        [], ["单位就业", "在职", "就业"], ["灵活就业", "灵活就业人员", "零工"], ["自主创业", "个体工商户", "个体"], ["登记失业", "失业人员", "失业"],
        ["未就业未登记", "待业", "无业"], ["退休", "离退休", "已退休"],
    ];

    private static readonly DateTime FirstUpdate = new(2024, 1, 2, 8, 0, 0, DateTimeKind.Unspecified);

    private readonly Random _r;
    private readonly SourceTally _tally = new(Id, "human-resources", "sql", Folder, "employment.source.json");
    private readonly StreamTally _stream;
    private readonly SqliteConnection _db;
    private readonly SqliteTransaction _transaction;
    private readonly SqliteCommand _insert;
    private readonly DirtCycle _dirt = new(BadCheck, UnknownCode, Spaces, ImpossibleDate, LowerX);
    private readonly int _meanStepSeconds;
    private DateTime _updated = FirstUpdate;
    private long _rows;
    private bool _disposed;

    public EmploymentSource(string root, int seed, int persons)
    {
        _r = new Random(seed + 505);
        var folder = Directory.CreateDirectory(Path.Combine(root, Folder)).FullName;
        var path = Path.Combine(folder, File);
        System.IO.File.Delete(path);
        _stream = _tally.Stream("registrations", "employment");
        _tally.File(File);

        // Changes spread over the ~34 months before "today", whatever the scale: about 12% of residents are registered.
        _meanStepSeconds = Math.Max(2, (int)(86_000_000 / Math.Max(1.0, persons * 0.12)));

        _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ConnectionString);
        _db.Open();
        Execute("PRAGMA journal_mode=DELETE");
        Execute(
            $"""
            CREATE TABLE {Table} (
                id INTEGER PRIMARY KEY,
                id_number TEXT,
                name TEXT,
                status TEXT,
                unemployment_registered INTEGER NOT NULL DEFAULT 0,
                registration_date TEXT,
                certificate_no TEXT,
                last_employer TEXT,
                updated_at TEXT NOT NULL
            )
            """);
        _transaction = _db.BeginTransaction();
        _insert = _db.CreateCommand();
        _insert.Transaction = _transaction;
        _insert.CommandText = $"INSERT INTO {Table} (id_number, name, status, unemployment_registered, registration_date, certificate_no, last_employer, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
        for (var i = 1; i <= 8; i++)
        {
            _insert.Parameters.Add(new SqliteParameter($"${i}", null));
        }

        _insert.Prepare();
    }

    public void Add(DemoCommunityData data)
    {
        foreach (var p in data.Persons)
        {
            if (p.Age is >= 16 and <= 70 && _r.NextDouble() < (p.Age >= 60 ? 0.08 : 0.16))
            {
                WriteRow(p);
            }
        }
    }

    public SourceSummary Finish()
    {
        Dispose();
        return _tally.ToSummary();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _transaction.Commit();
        _insert.Dispose();
        _transaction.Dispose();
        Execute("VACUUM");
        _db.Dispose();
    }

    private void WriteRow(DemoPerson p)
    {
        var status = p.Age >= 60 ? (_r.Next(4) == 0 ? 1 : 6) : _r.Next(10) switch
        {
            < 5 => 1,
            5 => 2,
            6 => 3,
            7 or 8 => 4,
            _ => 5,
        };
        var spellings = StatusSpellings[status];
        var registered = status == 4;
        var registeredOn = registered ? DemoWorld.ReferenceDate.AddDays(-_r.Next(30, 3_000)) : (DateOnly?)null;

        string? id = p.IdNumber;
        var statusText = spellings[_r.Next(spellings.Length)];
        var date = registeredOn is { } d ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
        var certificate = registeredOn is { } c ? string.Create(CultureInfo.InvariantCulture, $"{p.Household.Community.Code[..6]}{c.Year}{_r.Next(100_000, 1_000_000)}") : null;
        var employer = status is 1 or 4 or 6 || _r.Next(3) == 0 ? Employers[_r.Next(Employers.Length)] : null;

        RowFate fate;
        if (_r.NextDouble() < 0.04)
        {
            switch (_dirt.Next())
            {
                case BadCheck:
                    id = IdNumbers.WithWrongCheck(p.IdNumber, _r);
                    fate = new RowFate(id, BadCheck, 1);
                    break;
                case UnknownCode:
                    // Codes of an old version of the registry that no code table knows.
                    statusText = _r.Next(2) == 0 ? "待核实" : "9X";
                    fate = new RowFate(id, UnknownCode, 1);
                    break;
                case ImpossibleDate:
                    var on = registeredOn ?? DemoWorld.ReferenceDate.AddDays(-_r.Next(30, 3_000));
                    date = Render.Impossible(on, _r, Render.IsoParts);
                    fate = new RowFate(id, ImpossibleDate, 1);
                    break;
                case LowerX when IdNumbers.EndsWithX(p.IdNumber):
                    id = IdNumbers.LowerX(p.IdNumber);
                    fate = new RowFate(id, LowerX);
                    break;
                default:
                    id = IdNumbers.WithSpaces(p.IdNumber, _r);
                    fate = new RowFate(id, Spaces);
                    break;
            }
        }
        else
        {
            fate = RowFate.Clean(id);
        }

        // Strictly increasing: the connector reads in updated_at order, so row N is the N-th row written.
        _updated = _updated.AddSeconds(_r.Next(1, 2 * _meanStepSeconds));
        Insert(id, p.Name, statusText, registered ? 1 : 0, date, certificate, employer, _updated.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        _rows++;
        _tally.Row($"table {Table} row {_rows}", fate, _stream);
    }

    private void Insert(params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            _insert.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        _insert.ExecuteNonQuery();
    }

    private void Execute(string sql)
    {
        using var command = _db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The source definition written next to the database.</summary>
    public static JsonObject Definition() => new()
    {
        ["id"] = Id,
        ["name"] = "就业失业登记管理信息系统（人社）",
        ["department"] = "human-resources",
        ["kind"] = "sql",
        // Relative to this file's folder; a PostgreSQL registry would be "provider": "postgres" and
        // "connection": "Host=…;Database=…;Username=…;Password=${env:HR_DB_PASSWORD}".
        ["settings"] = new JsonObject { ["provider"] = "sqlite", ["connection"] = $"Data Source={File}" },
        ["schedule"] = "0 1 * * *",
        ["priority"] = 40,
        ["streams"] = new JsonArray(new JsonObject
        {
            ["name"] = "registrations",
            ["entity"] = "employment",
            ["key"] = new JsonArray("id_number"),
            ["mode"] = "incremental",
            ["cursor"] = "updated_at",
            // The registry states when each registration was last changed: the values' as-of, shown beside the import time.
            ["asOf"] = "updated_at",
            ["settings"] = new JsonObject { ["table"] = Table },
            ["fields"] = new JsonObject
            {
                ["id_number"] = new JsonObject { ["from"] = "id_number", ["parse"] = "id_number" },
                ["status"] = new JsonObject { ["from"] = "status" },
                ["unemployment_registered"] = new JsonObject { ["from"] = "unemployment_registered", ["parse"] = "bool" },
                ["registration_date"] = new JsonObject { ["from"] = "registration_date", ["parse"] = "date" },
                ["unemployment_certificate_no"] = new JsonObject { ["from"] = "certificate_no" },
                ["last_employer"] = new JsonObject { ["from"] = "last_employer" },
            },
        }),
    };
}
