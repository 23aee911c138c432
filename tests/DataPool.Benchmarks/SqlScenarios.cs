using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace DataPool.Benchmarks;

/// <summary>
/// The SQL source of the issue: a generated SQLite database with one <c>registrations</c> table (the shape of
/// the demo's employment.db) mapped to the pool entity <c>employment</c>, read by a <c>kind: sql</c> definition
/// with one incremental stream on <c>updated_at</c>. Two timed syncs per store: the full first run into an empty
/// pool, then an incremental run after 1% of the rows were changed and their <c>updated_at</c> bumped.
/// </summary>
internal sealed class SqlScenarios
{
    public const string SourceId = "employment-bench";
    public const string Full = "full sync";
    public const string Incremental = "1% changed incremental";

    /// <summary>Every row's <c>updated_at</c> lies in 2024; changed rows get this later second, so the checkpoint
    /// of the full run (the largest 2024 value) lets exactly them through.</summary>
    private const string ChangedAt = "2025-06-01 00:00:00";

    private static readonly string[] Statuses = ["单位就业", "灵活就业", "自主创业", "登记失业", "未就业未登记", "退休", "在校学生", "丧失劳动能力", "其他"];
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林"];
    private static readonly string[] Given = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞"];
    private static readonly string[] Employers = ["中国邮政集团北京分公司", "北京市东城区人民医院", "北京首都开发控股有限公司", "北京燕京啤酒股份有限公司", "国家电网北京市电力公司", "北京银行股份有限公司"];

    private readonly ServerExe _server;
    private readonly string _work;
    private readonly string _folder;
    private readonly string _pristine;

    public SqlScenarios(ServerExe server, int rows, int seed, string work)
    {
        _server = server;
        _work = work;
        Rows = rows;
        _folder = Path.Combine(work, "sql-source");
        Database = Path.Combine(_folder, "registrations.db");
        _pristine = Database + ".original";
        DefinitionPath = Path.Combine(_folder, "employment-bench.source.json");
        Directory.CreateDirectory(_folder);
        Console.WriteLine($"sql: generating {rows:N0} registrations in {Database} …");
        var clock = Stopwatch.StartNew();
        Generate(_pristine, rows, seed);
        File.WriteAllText(DefinitionPath, Definition);
        Console.WriteLine($"sql:   {clock.Elapsed.TotalSeconds:F2} s ({new FileInfo(_pristine).Length / 1048576.0:F0} MB)");
    }

    public int Rows { get; }

    /// <summary>Rows the 1% change touches: every 100th id.</summary>
    public long Changed => Rows / 100;

    public string Database { get; }

    public string DefinitionPath { get; }

    /// <summary>Full then incremental, from an empty pool and the generated (unchanged) database.</summary>
    public IReadOnlyList<ScenarioResult> Run(IStoreTarget store, string label)
    {
        store.Reset();
        File.Copy(_pristine, Database, overwrite: true);
        var full = Sync(store, label, Full);
        var fullChecks = CountExpectations.Identities(full.Counts);
        fullChecks.AddRange([Exact("read", full.Counts.Read, Rows), Exact("quarantined", full.Counts.Quarantined, 0), Exact("new", full.Counts.New, Rows),
            Exact("updated", full.Counts.Updated, 0), Exact("unchanged", full.Counts.Unchanged, 0), Exact("deleted", full.Counts.Deleted, 0)]);

        Console.WriteLine($"[{label}] sql: changing last_employer and bumping updated_at of every 100th row …");
        var changed = Change(Database);
        if (changed != Changed)
        {
            throw new BenchmarkException($"sql: the 1% update changed {changed} rows, expected {Changed}");
        }

        var incremental = Sync(store, label, Incremental);
        var incrementalChecks = CountExpectations.Identities(incremental.Counts);
        incrementalChecks.AddRange([Exact("read = rows changed", incremental.Counts.Read, Changed), Exact("quarantined", incremental.Counts.Quarantined, 0),
            Exact("updated = rows changed", incremental.Counts.Updated, Changed), Exact("new", incremental.Counts.New, 0),
            Exact("unchanged", incremental.Counts.Unchanged, 0), Exact("deleted", incremental.Counts.Deleted, 0)]);
        return [full with { Checks = fullChecks }, incremental with { Checks = incrementalChecks }];
    }

    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    private ScenarioResult Sync(IStoreTarget store, string label, string scenario)
    {
        Console.WriteLine($"[{label}] sql {scenario} …");
        var run = ChildRunner.Run(_server.Dotnet, _server.Args(["sync", DefinitionPath, .. store.ServerArgs]), _work).EnsureSuccess();
        var counts = SyncLine.Parse(SourceId, run);
        Console.WriteLine($"[{label}]   {run.Wall.TotalSeconds:F2} s, peak {run.PeakRssMb:F0} MB: {counts}");
        return new ScenarioResult(store.Name, "sql", scenario, run, counts, []);
    }

    private static CountCheck Exact(string field, long actual, long expected) => new(field, actual, expected, expected);

    // Kind sql, provider sqlite, a Data Source relative to the definition's folder (as the connector requires).
    private const string Definition = """
        {
          "id": "employment-bench",
          "name": "就业失业登记（基准测试）",
          "department": "human-resources",
          "kind": "sql",
          "settings": { "provider": "sqlite", "connection": "Data Source=registrations.db" },
          "streams": [
            {
              "name": "registrations",
              "entity": "employment",
              "key": ["id_number"],
              "mode": "incremental",
              "cursor": "updated_at",
              "settings": { "table": "registrations" },
              "fields": {
                "id_number": { "from": "id_number", "parse": "id_number" },
                "status": { "from": "status" },
                "unemployment_registered": { "from": "unemployment_registered", "parse": "bool" },
                "registration_date": { "from": "registration_date", "parse": "date" },
                "unemployment_certificate_no": { "from": "certificate_no" },
                "last_employer": { "from": "last_employer" }
              }
            }
          ]
        }
        """;

    private static SqliteConnection Open(string path)
    {
        // No pooling: the file is released at once, before it is copied or the child opens it.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The source table, in one transaction with journaling off (the generation is not timed). An
    /// index on <c>updated_at</c>, as an incremental source would have, serves the connector's ORDER BY.</summary>
    private static void Generate(string path, int rows, int seed)
    {
        File.Delete(path);
        using var connection = Open(path);
        Execute(connection, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;");
        Execute(connection, """
            CREATE TABLE registrations (
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
        using (var transaction = connection.BeginTransaction())
        using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO registrations VALUES ($id, $id_number, $name, $status, $registered, $date, $certificate, $employer, $updated)";
            var p = new[] { "$id", "$id_number", "$name", "$status", "$registered", "$date", "$certificate", "$employer", "$updated" }
                .Select(n => insert.Parameters.Add(new SqliteParameter { ParameterName = n })).ToArray();
            insert.Prepare();
            var random = new Random(seed);
            var yearStart = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
            for (var i = 1; i <= rows; i++)
            {
                var status = Statuses[random.Next(Statuses.Length)];
                var unemployed = status == "登记失业";
                var registered = unemployed ? new DateOnly(2015, 1, 1).AddDays(random.Next(3600)) : (DateOnly?)null;
                p[0].Value = i;
                p[1].Value = IdNumbers.Make(i - 1, ["110101", "110102", "110105"]);
                p[2].Value = Surnames[random.Next(Surnames.Length)] + Given[random.Next(Given.Length)];
                p[3].Value = status;
                p[4].Value = unemployed ? 1 : 0;
                p[5].Value = registered is { } d ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : DBNull.Value;
                p[6].Value = unemployed ? string.Create(CultureInfo.InvariantCulture, $"1101{registered!.Value.Year}{i:D8}") : DBNull.Value;
                p[7].Value = status is "单位就业" or "退休" or "登记失业" ? Employers[random.Next(Employers.Length)] : DBNull.Value;
                p[8].Value = yearStart.AddSeconds(random.Next(366 * 86_400 - 1)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        Execute(connection, "CREATE INDEX registrations_updated_at ON registrations (updated_at)");
    }

    /// <summary>The 1%: every 100th row gets a new last employer (a value no row had) and a later updated_at.</summary>
    private static int Change(string path)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE registrations SET last_employer = '北京市变更后单位' || id, updated_at = '{ChangedAt}' WHERE id % 100 = 0";
        return command.ExecuteNonQuery();
    }
}
