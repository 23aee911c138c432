using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using DataPool.Demo.Simulator;

namespace DataPool.Benchmarks;

/// <summary>
/// The REST source of the issue: the legacy-system simulator (<see cref="LegacySimulator"/>, the demo project's
/// own) started inside the benchmark on 127.0.0.1, serving N generated family doctor contracts in pages of 500
/// (its cap), and a <c>kind: rest</c> definition that reads them into the pool entity <c>family_doctor</c>. One
/// timed full sync per store. The simulator runs in this process, so the child's peak RSS is the client's alone.
/// </summary>
internal sealed class RestScenarios : IDisposable
{
    public const string SourceId = "health-bench";
    public const string Full = "full sync";
    public const int PageSize = LegacySimulator.MaxPageSize;

    /// <summary>The variables the definition reads with <c>${env:…}</c>; set for the child only.</summary>
    public const string UrlVariable = "DATAPOOL_BENCH_REST_URL";
    public const string TokenVariable = "DATAPOOL_BENCH_REST_TOKEN";

    private static readonly string[] Doctors = ["刘志强", "张丽萍", "陈静", "王建国", "李秀英", "赵敏", "孙立新", "周红"];
    private static readonly string[] Clinics = ["多福巷社区卫生服务站", "东华门社区卫生服务中心", "景山社区卫生服务站", "交道口社区卫生服务中心", "和平里社区卫生服务中心"];
    private static readonly string[] Conditions = ["高血压", "糖尿病", "高血压,糖尿病", "冠心病", "慢阻肺"];

    private readonly ServerExe _server;
    private readonly string _work;
    private readonly string _folder;
    private readonly SimulatorHandle _simulator;
    private bool _disposed;

    public RestScenarios(ServerExe server, int records, int seed, string work)
    {
        _server = server;
        _work = work;
        Records = records;
        _folder = Path.Combine(work, "rest-source");
        var seeds = Path.Combine(_folder, "seeds");
        Directory.CreateDirectory(Path.Combine(seeds, "health"));
        Console.WriteLine($"rest: generating {records:N0} contracts …");
        var clock = Stopwatch.StartNew();
        Generate(Path.Combine(seeds, "health", "contracts.json"), records, seed);
        DefinitionPath = Path.Combine(_folder, "health-bench.source.json");
        File.WriteAllText(DefinitionPath, Definition);
        _simulator = LegacySimulator.Start(seeds, "http://127.0.0.1:0", SimulatorFaults.None, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        if (_simulator.RecordCount != records)
        {
            throw new BenchmarkException($"rest: the simulator serves {_simulator.RecordCount} records, expected {records}");
        }

        Console.WriteLine($"rest:   {clock.Elapsed.TotalSeconds:F2} s; simulator at {_simulator.BaseUrl}/api/contracts, {PageSize} per page");
    }

    public int Records { get; }

    public string DefinitionPath { get; }

    public IReadOnlyList<ScenarioResult> Run(IStoreTarget store, string label)
    {
        store.Reset();
        Console.WriteLine($"[{label}] rest {Full} …");
        _simulator.ClearRequests();
        var environment = new Dictionary<string, string> { [UrlVariable] = _simulator.BaseUrl, [TokenVariable] = _simulator.Token };
        var run = ChildRunner.Run(_server.Dotnet, _server.Args(["sync", DefinitionPath, .. store.ServerArgs]), _work, environment: environment).EnsureSuccess();
        var counts = SyncLine.Parse(SourceId, run);
        var requests = _simulator.Requests;
        Console.WriteLine($"[{label}]   {run.Wall.TotalSeconds:F2} s, peak {run.PeakRssMb:F0} MB, {requests.Count} requests: {counts}");
        var checks = CountExpectations.Identities(counts);
        checks.AddRange([Exact("read", counts.Read, Records), Exact("quarantined", counts.Quarantined, 0), Exact("new", counts.New, Records),
            Exact("updated", counts.Updated, 0), Exact("unchanged", counts.Unchanged, 0), Exact("deleted", counts.Deleted, 0),
            // Every page once, plus the empty page that ends the paging; any retry would show here.
            Exact("requests (pages + 1)", requests.Count, (Records + PageSize - 1) / PageSize + 1),
            Exact("requests answered 200", requests.Count(r => r.Status == 200), requests.Count)]);
        return [new ScenarioResult(store.Name, "rest", Full, run, counts, checks)];
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _simulator.Dispose();
        }
    }

    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    private static CountCheck Exact(string field, long actual, long expected) => new(field, actual, expected, expected);

    // The demo's health.source.json, pointed at the benchmark's simulator, with the page style at the API's cap.
    private const string Definition = """
        {
          "id": "health-bench",
          "name": "家庭医生签约（基准测试）",
          "department": "health-commission",
          "kind": "rest",
          "settings": {
            "baseUrl": "${env:DATAPOOL_BENCH_REST_URL}",
            "headers": { "Authorization": "Bearer ${env:DATAPOOL_BENCH_REST_TOKEN}" },
            "retry": { "maxAttempts": 4, "baseDelayMs": 500 },
            "timeoutSeconds": 30,
            "totalTimeoutSeconds": 120
          },
          "streams": [
            {
              "name": "contracts",
              "entity": "family_doctor",
              "key": ["id_number"],
              "mode": "full",
              "settings": {
                "path": "/api/contracts",
                "recordsPath": "$.data",
                "pagination": { "style": "page", "pageParam": "page", "sizeParam": "size", "size": 500, "firstPage": 1 }
              },
              "fields": {
                "id_number": { "from": "id_number", "parse": "id_number" },
                "contract_no": { "from": "contract_no" },
                "doctor_name": { "from": "doctor_name" },
                "clinic": { "from": "clinic" },
                "signed_date": { "from": "signed_date", "parse": "date" },
                "expiry_date": { "from": "expiry_date", "parse": "date" },
                "chronic_conditions": { "from": "chronic_conditions" }
              }
            }
          ]
        }
        """;

    /// <summary>contracts.json in the shape of the demo's seed (nested team, services array), every record valid.</summary>
    private static void Generate(string path, int records, int seed)
    {
        var random = new Random(seed);
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartArray();
        for (var i = 0; i < records; i++)
        {
            var doctor = Doctors[random.Next(Doctors.Length)];
            var signed = new DateOnly(2016, 1, 1).AddDays(random.Next(3000));
            w.WriteStartObject();
            w.WriteString("id_number", IdNumbers.Make(i, ["110106", "110108"]));
            w.WriteString("contract_no", string.Create(CultureInfo.InvariantCulture, $"JTYS001{signed.Year}{i + 1:D8}"));
            w.WriteString("doctor_name", doctor);
            w.WriteString("clinic", Clinics[random.Next(Clinics.Length)]);
            w.WriteString("signed_date", signed.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            w.WriteString("expiry_date", signed.AddYears(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            if (random.Next(3) == 0)
            {
                w.WriteString("chronic_conditions", Conditions[random.Next(Conditions.Length)]);
            }
            else
            {
                w.WriteNull("chronic_conditions");
            }

            w.WriteStartObject("team");
            w.WriteString("name", doctor + "家庭医生团队");
            w.WriteString("phone", string.Create(CultureInfo.InvariantCulture, $"010-6525{random.Next(10000):D4}"));
            w.WriteEndObject();
            w.WriteStartArray("services");
            w.WriteStringValue("基本公共卫生服务");
            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
