using System.IO.Compression;
using System.Text.Json;
using ClosedXML.Excel;
using DataPool.Abstractions;

namespace DataPool.Connectors.Excel.Tests;

/// <summary>A temp folder holding workbooks built with ClosedXML, read back through the connector.</summary>
internal sealed class TestFolder : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("datapool-excel-").FullName;

    public string Workbook(string fileName, Action<XLWorkbook> build, bool saveFormulaValues = true)
    {
        var path = Path.Combine(Directory, fileName);
        using var workbook = new XLWorkbook();
        build(workbook);
        workbook.SaveAs(path, new SaveOptions { EvaluateFormulasBeforeSaving = saveFormulaValues });
        return path;
    }

    /// <summary>Rewrites one part of a saved workbook, to imitate what Excel (not ClosedXML) writes.</summary>
    public static void PatchPart(string path, string partName, Func<string, string> patch)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var entry = zip.GetEntry(partName) ?? throw new InvalidOperationException($"no part {partName}");
        string xml;
        using (var reader = new StreamReader(entry.Open()))
        {
            xml = reader.ReadToEnd();
        }

        entry.Delete();
        using var writer = new StreamWriter(zip.CreateEntry(partName).Open());
        writer.Write(patch(xml));
    }

    public static string ReadPart(string path, string partName)
    {
        using var zip = ZipFile.OpenRead(path);
        using var reader = new StreamReader(zip.GetEntry(partName)!.Open());
        return reader.ReadToEnd();
    }

    public async Task<List<RawRow>> ReadAsync(object settings)
    {
        var rows = new List<RawRow>();
        await foreach (var row in new ExcelConnector().ReadAsync(Context(settings), CancellationToken.None))
        {
            rows.Add(row);
        }

        return rows;
    }

    public ConnectorContext Context(object settings)
    {
        var json = settings as string ?? JsonSerializer.Serialize(settings);
        return new ConnectorContext(
            new SourceDefinition { Id = "test", Kind = "excel" },
            new StreamDefinition { Name = "rows", Entity = "person" },
            JsonDocument.Parse(json).RootElement.Clone(),
            Directory);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test over.
        }
    }
}
