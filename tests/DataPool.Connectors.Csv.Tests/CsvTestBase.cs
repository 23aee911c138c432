using System.Text;
using System.Text.Json;
using DataPool.Abstractions;

namespace DataPool.Connectors.Csv.Tests;

/// <summary>A fresh temp folder per test, real files in it, and a context reading them.</summary>
public abstract class CsvTestBase
{
    static CsvTestBase()
    {
        // The tests write GB18030/GBK files themselves.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    protected static Encoding Gb18030 => Encoding.GetEncoding("GB18030");

    protected static Encoding Utf8NoBom { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    protected string Folder { get; private set; } = "";

    [SetUp]
    public void CreateFolder()
    {
        Folder = Path.Combine(Path.GetTempPath(), "datapool-csv-tests", Guid.NewGuid().ToString("N"));
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

    protected string WriteFile(string name, string text, Encoding encoding, bool bom = false)
    {
        var path = Path.Combine(Folder, name);
        using var stream = File.Create(path);
        if (bom)
        {
            // Utf8NoBom has an empty preamble; the BOM is written explicitly so the test has one.
            byte[] preamble = encoding is UTF8Encoding ? [0xEF, 0xBB, 0xBF] : encoding.GetPreamble();
            Assert.That(preamble, Is.Not.Empty);
            stream.Write(preamble);
        }

        stream.Write(encoding.GetBytes(text));
        return path;
    }

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

    protected ConnectorContext Context(string settingsJson)
    {
        using var document = JsonDocument.Parse(settingsJson);
        var settings = document.RootElement.Clone();
        var stream = new StreamDefinition { Name = "persons", Entity = "person", Key = ["身份证号"] };
        var source = new SourceDefinition { Id = "hukou", Name = "户籍系统", Kind = "csv", Settings = settings, Streams = [stream] };
        return new ConnectorContext(source, stream, settings, Folder);
    }

    protected static async Task<List<RawRow>> ReadAllAsync(ConnectorContext context, CancellationToken cancellationToken = default)
    {
        var rows = new List<RawRow>();
        await foreach (var row in new CsvConnector().ReadAsync(context, cancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    protected Task<List<RawRow>> ReadAllAsync(string settingsJson) => ReadAllAsync(Context(settingsJson));

    /// <summary>The ConnectorException a read ends with; fails the test when it ends without one.</summary>
    protected async Task<ConnectorException> ReadFailureAsync(string settingsJson)
    {
        try
        {
            var rows = await ReadAllAsync(settingsJson);
            Assert.Fail($"expected a ConnectorException, but {rows.Count} rows were read");
        }
        catch (ConnectorException ex)
        {
            return ex;
        }

        throw new InvalidOperationException("unreachable");
    }
}
