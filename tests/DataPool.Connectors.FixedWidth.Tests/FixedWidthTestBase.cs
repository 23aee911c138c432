using System.Text;
using System.Text.Json;
using DataPool.Abstractions;

namespace DataPool.Connectors.FixedWidth.Tests;

/// <summary>A fresh temp folder per test, real files in it, and a context reading them.</summary>
public abstract class FixedWidthTestBase
{
    static FixedWidthTestBase()
    {
        // The tests write GB18030 files themselves.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    protected static Encoding Gb18030 => Encoding.GetEncoding("GB18030");

    /// <summary>
    /// The layout of the tests' file: 身份证号 18 bytes, 姓名 10 bytes (five Chinese characters in GB18030),
    /// 性别 2 bytes, 出生日期 8 bytes — 38 bytes a record.
    /// </summary>
    protected const string Fields = """
        [
          { "name": "身份证号", "start": 1,  "length": 18 },
          { "name": "姓名",     "start": 19, "length": 10 },
          { "name": "性别",     "start": 29, "length": 2 },
          { "name": "出生日期", "start": 31, "length": 8 }
        ]
        """;

    protected const string Trailer = """{ "prefix": "TRL", "countStart": 4, "countLength": 9 }""";

    protected string Folder { get; private set; } = "";

    [SetUp]
    public void CreateFolder()
    {
        Folder = Path.Combine(Path.GetTempPath(), "datapool-fixedwidth-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    [TearDown]
    public void DeleteFolder()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }

    /// <summary>
    /// One record of the tests' layout, each value padded with spaces to its width in GB18030
    /// <b>bytes</b> (what a mainframe export does), so "张三" takes 4 of 姓名's 10 bytes.
    /// </summary>
    protected static string Record(string id, string name, string gender, string birth) =>
        Pad(id, 18) + Pad(name, 10) + Pad(gender, 2) + Pad(birth, 8);

    protected static string Pad(string value, int bytes)
    {
        var length = Gb18030.GetByteCount(value);
        Assert.That(length, Is.LessThanOrEqualTo(bytes), $"'{value}' is {length} bytes");
        return value + new string(' ', bytes - length);
    }

    protected static string TrailerLine(long count) => "TRL" + count.ToString("D9");

    protected string WriteFile(string name, string text, Encoding? encoding = null)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllBytes(path, (encoding ?? Gb18030).GetBytes(text));
        return path;
    }

    protected string WriteLines(string name, params string[] lines) => WriteFile(name, string.Join("\r\n", lines) + "\r\n");

    protected string WriteBytes(string name, params byte[][] parts)
    {
        var path = Path.Combine(Folder, name);
        using var stream = File.Create(path);
        foreach (var part in parts)
        {
            stream.Write(part);
        }

        return path;
    }

    /// <summary>Settings for persons.dat with the tests' layout; <paramref name="extra"/> is appended inside the object.</summary>
    protected static string Settings(string extra = "") =>
        $$"""{ "path": "persons.dat", "fields": {{Fields}}{{(extra.Length == 0 ? "" : ", " + extra)}} }""";

    protected static string SettingsWithTrailer(string extra = "") =>
        Settings($"\"trailer\": {Trailer}" + (extra.Length == 0 ? "" : ", " + extra));

    protected ConnectorContext Context(string settingsJson)
    {
        using var document = JsonDocument.Parse(settingsJson);
        var settings = document.RootElement.Clone();
        var stream = new StreamDefinition { Name = "persons", Entity = "person", Key = ["身份证号"] };
        var source = new SourceDefinition { Id = "mainframe", Name = "大型机导出", Kind = "fixedwidth", Settings = settings, Streams = [stream] };
        return new ConnectorContext(source, stream, settings, Folder);
    }

    protected static async Task<List<RawRow>> ReadAllAsync(ConnectorContext context, CancellationToken cancellationToken = default)
    {
        var rows = new List<RawRow>();
        await foreach (var row in new FixedWidthConnector().ReadAsync(context, cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    protected Task<List<RawRow>> ReadAllAsync(string settingsJson) => ReadAllAsync(Context(settingsJson));

    /// <summary>The ConnectorException a read ends with, and the rows yielded before it; fails the test when it ends without one.</summary>
    protected async Task<(ConnectorException Error, List<RawRow> RowsBefore)> ReadFailureAsync(string settingsJson)
    {
        var rows = new List<RawRow>();
        try
        {
            await foreach (var row in new FixedWidthConnector().ReadAsync(Context(settingsJson), CancellationToken.None))
            {
                rows.Add(row);
            }
        }
        catch (ConnectorException ex)
        {
            return (ex, rows);
        }

        Assert.Fail($"expected a ConnectorException, but {rows.Count} rows were read");
        throw new InvalidOperationException("unreachable");
    }
}
