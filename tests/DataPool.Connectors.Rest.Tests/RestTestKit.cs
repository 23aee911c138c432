using System.Text.Json;
using System.Text.Json.Nodes;
using DataPool.Abstractions;
using DataPool.Demo.Simulator;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Connectors.Rest.Tests;

/// <summary>A connector built the way the server builds it, contexts for a stream, and the seeds to serve.</summary>
internal static class RestTestKit
{
    public static readonly string[] Mapped = ["id_number", "contract_no", "doctor_name", "clinic", "signed_date", "expiry_date", "chronic_conditions"];

    public static ServiceProvider Services() => new ServiceCollection().AddLogging().AddRestConnector().BuildServiceProvider();

    public static RestConnector Connector(IServiceProvider services) => services.GetServices<IConnector>().OfType<RestConnector>().Single();

    /// <summary>The repository's seeds folder (seeds/health/contracts.json is the demo's data).</summary>
    public static string RepoSeeds()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "seeds");
            if (File.Exists(Path.Combine(candidate, "health", "contracts.json")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("no seeds/health/contracts.json above the test binaries");
    }

    /// <summary>A seeds folder with <paramref name="count"/> small contracts, for the fault tests.</summary>
    public static string SmallSeeds(int count)
    {
        var root = Directory.CreateTempSubdirectory("datapool-rest-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "health"));
        var records = new JsonArray();
        for (var i = 1; i <= count; i++)
        {
            records.Add(new JsonObject
            {
                ["id_number"] = $"ID{i:D4}",
                ["contract_no"] = $"C{i:D4}",
                ["doctor_name"] = "李秀兰",
                ["clinic"] = "多福巷社区卫生服务站",
                ["signed_date"] = "2025-01-02",
                ["expiry_date"] = "2026-01-02",
                ["chronic_conditions"] = null,
            });
        }

        File.WriteAllText(Path.Combine(root, "health", "contracts.json"), records.ToJsonString());
        return root;
    }

    public static ConnectorContext Context(JsonObject settings, string mode = StreamModes.Full)
    {
        var fields = Mapped.ToDictionary(f => f, f => new FieldMapping { From = [f] });
        var stream = new StreamDefinition { Name = "contracts", Entity = "family_doctor", Key = ["id_number"], Mode = mode, Fields = fields };
        var source = new SourceDefinition { Id = "health-test", Kind = "rest", Streams = [stream] };
        using var document = JsonDocument.Parse(settings.ToJsonString());
        return new ConnectorContext(source, stream, document.RootElement.Clone(), AppContext.BaseDirectory);
    }

    public static JsonObject Settings(SimulatorHandle simulator, string path, string recordsPath, JsonObject? pagination, string? token = null)
    {
        var settings = new JsonObject
        {
            ["baseUrl"] = simulator.BaseUrl,
            ["headers"] = new JsonObject { ["Authorization"] = $"Bearer {token ?? simulator.Token}" },
            ["path"] = path,
            ["recordsPath"] = recordsPath,
            ["retry"] = new JsonObject { ["maxAttempts"] = 4, ["baseDelayMs"] = 10 },
            ["timeoutSeconds"] = 5,
        };
        if (pagination is not null)
        {
            settings["pagination"] = pagination;
        }

        return settings;
    }

    public static async Task<List<RawRow>> ReadAllAsync(IConnector connector, ConnectorContext context)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var rows = new List<RawRow>();
        await foreach (var row in connector.ReadAsync(context, timeout.Token))
        {
            rows.Add(row);
        }

        return rows;
    }
}
