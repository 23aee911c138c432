using System.Text.Json;

namespace DataPool.Benchmarks;

/// <summary>How to start the built server: <c>dotnet datapool.dll …</c>.</summary>
internal sealed record ServerExe(string Dotnet, string Dll)
{
    /// <summary>
    /// The project reference copies datapool.dll (with its runtimeconfig and the schema files) next to the
    /// benchmark, built in the same configuration, so a Release benchmark times a Release server.
    /// </summary>
    public static ServerExe Locate()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "datapool.dll");
        if (!File.Exists(dll) || !File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")))
        {
            throw new BenchmarkException($"datapool.dll (with datapool.runtimeconfig.json) not found in {AppContext.BaseDirectory}; build the benchmark project, which copies the server next to it");
        }

        // `dotnet run` and the SDK set DOTNET_HOST_PATH to the muxer that is running us; prefer it over PATH.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return new ServerExe(host is { Length: > 0 } && File.Exists(host) ? host : "dotnet", dll);
    }

    public IReadOnlyList<string> Args(params IEnumerable<string> verbArgs) => [Dll, .. verbArgs];

    /// <summary>The child's GC mode, printed with the results because it dominates peak RSS.</summary>
    public string GcMode()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(Dll, ".runtimeconfig.json")));
        var server = doc.RootElement.TryGetProperty("runtimeOptions", out var o) && o.TryGetProperty("configProperties", out var c)
            && c.TryGetProperty("System.GC.Server", out var s) && s.ValueKind == JsonValueKind.True;
        var env = Environment.GetEnvironmentVariable("DOTNET_gcServer");
        return (server ? "server GC" : "workstation GC") + (env is null ? "" : $" (DOTNET_gcServer={env} overrides)");
    }
}

/// <summary>One CSV file a source reads: its stream, where it is, how to decode it, where its header is.</summary>
internal sealed record CsvFile(string Stream, string Entity, string Path, string Encoding, int HeaderRow, IReadOnlyList<string> Key);

/// <summary>The source under test, read from its definition (DESIGN.md "Source definition", contract).</summary>
internal sealed record SourceUnderTest(string Id, string DefinitionPath, IReadOnlyList<CsvFile> Files)
{
    private static readonly JsonDocumentOptions Lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public CsvFile Persons => Files.FirstOrDefault(f => f.Entity == "person")
        ?? throw new BenchmarkException($"{DefinitionPath}: no stream with entity 'person'");

    /// <summary>Finds the definition whose "id" is <paramref name="id"/> by content, not by file name.</summary>
    public static SourceUnderTest Find(string world, string id)
    {
        foreach (var path in Directory.EnumerateFiles(world, "*.source.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path), Lenient);
            if (doc.RootElement.TryGetProperty("id", out var found) && found.GetString() == id)
            {
                return Read(path, doc.RootElement);
            }
        }

        throw new BenchmarkException($"no *.source.json with \"id\": \"{id}\" under {world}");
    }

    private static SourceUnderTest Read(string path, JsonElement root)
    {
        var folder = System.IO.Path.GetDirectoryName(path)!;
        var source = root.TryGetProperty("settings", out var s) ? s : default;
        var files = new List<CsvFile>();
        foreach (var stream in root.GetProperty("streams").EnumerateArray())
        {
            // A stream's settings are merged over the source's (contract); only the CSV ones matter here.
            var own = stream.TryGetProperty("settings", out var o) ? o : default;
            var file = Setting(own, source, "path")?.GetString() ?? throw new BenchmarkException($"{path}: a stream has no settings.path");
            files.Add(new CsvFile(
                stream.GetProperty("name").GetString()!,
                stream.GetProperty("entity").GetString()!,
                System.IO.Path.GetFullPath(file, folder),
                Setting(own, source, "encoding")?.GetString() ?? "utf-8",
                Setting(own, source, "headerRow")?.GetInt32() ?? 1,
                stream.GetProperty("key").EnumerateArray().Select(k => k.GetString()!).ToList()));
        }

        return new SourceUnderTest(root.GetProperty("id").GetString()!, path, files);
    }

    private static JsonElement? Setting(JsonElement own, JsonElement source, string name) =>
        own.ValueKind == JsonValueKind.Object && own.TryGetProperty(name, out var v) ? v
        : source.ValueKind == JsonValueKind.Object && source.TryGetProperty(name, out var w) ? w
        : null;
}

/// <summary>
/// The generator's answer key (expected.json, written by <c>seed</c>): what a correct first sync reports and
/// which physical lines of the person file are meant to be quarantined. Optional: without it the count checks
/// fall back to consistency and tolerance.
/// </summary>
internal sealed record Expectation(long Read, long Quarantined, long Duplicates, IReadOnlySet<long> PersonBadLines)
{
    public static Expectation? Load(string world, SourceUnderTest source)
    {
        var path = Path.Combine(world, "expected.json");
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var entry = doc.RootElement.GetProperty("sources").EnumerateArray().First(e => e.GetProperty("id").GetString() == source.Id);
            var bad = new HashSet<long>();
            var personFile = Path.GetFileName(source.Persons.Path);
            foreach (var stream in entry.GetProperty("streams").EnumerateArray().Where(e => e.GetProperty("entity").GetString() == "person"))
            {
                foreach (var row in stream.GetProperty("badRows").EnumerateArray())
                {
                    // "persons.csv line 115": the physical line the row starts on.
                    var location = row.GetProperty("location").GetString() ?? "";
                    var prefix = personFile + " line ";
                    if (location.StartsWith(prefix, StringComparison.Ordinal) && long.TryParse(location.AsSpan(prefix.Length), out var line))
                    {
                        bad.Add(line);
                    }
                }
            }

            return new Expectation(entry.GetProperty("expectedRead").GetInt64(), entry.GetProperty("expectedQuarantined").GetInt64(),
                entry.GetProperty("duplicateRows").GetInt64(), bad);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            Console.WriteLine($"note: {path} is not in the expected shape ({e.Message}); count checks use tolerances instead");
            return null;
        }
    }
}
