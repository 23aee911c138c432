using System.IO.Compression;
using System.Text;

namespace DataPool.Testing;

/// <summary>
/// Hostile workbooks for the tests of the xlsx limits: a valid workbook's shared-string part replaced by one that
/// expands far beyond its compressed size (written in chunks, so the test never holds what it expands to).
/// </summary>
internal static class XlsxBombs
{
    private const string SharedStrings = "xl/sharedStrings.xml";
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    /// <summary>Shared strings "姓名", "张三" and then one string of <paramref name="bytes"/> letters A.</summary>
    public static void WithHugeSharedString(Stream workbook, long bytes) => ReplaceSharedStrings(workbook, part =>
    {
        Write(part, $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{Main}"><si><t>姓名</t></si><si><t>张三</t></si><si><t>""");
        var chunk = new byte[1024 * 1024];
        Array.Fill(chunk, (byte)'A');
        for (long written = 0; written < bytes; written += chunk.Length)
        {
            part.Write(chunk);
        }

        Write(part, "</t></si></sst>");
    });

    /// <summary>Shared strings "姓名", "张三" and then distinct short strings, <paramref name="count"/> in all.</summary>
    public static void WithSharedStrings(Stream workbook, int count) => ReplaceSharedStrings(workbook, part =>
    {
        var xml = new StringBuilder($"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{Main}"><si><t>姓名</t></si><si><t>张三</t></si>""");
        for (var i = 2; i < count; i++)
        {
            xml.Append("<si><t>s").Append(i).Append("</t></si>");
        }

        Write(part, xml.Append("</sst>").ToString());
    });

    /// <summary>The workbook in a file, changed by <paramref name="change"/>; returns the file's new size.</summary>
    public static long Change(string path, Action<Stream> change)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        change(file);
        return new FileInfo(path).Length;
    }

    /// <summary>
    /// Rewrites the zip rather than updating it: an updated zip buffers a new part uncompressed in memory, and the
    /// part is meant to expand to gigabytes; a created zip deflates it as it is written.
    /// </summary>
    private static void ReplaceSharedStrings(Stream workbook, Action<Stream> write)
    {
        using var original = new MemoryStream();
        workbook.Position = 0;
        workbook.CopyTo(original);
        original.Position = 0;
        workbook.SetLength(0);
        using var source = new ZipArchive(original, ZipArchiveMode.Read);
        using var target = new ZipArchive(workbook, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var entry in source.Entries.Where(e => e.FullName != SharedStrings))
        {
            using var from = entry.Open();
            using var to = target.CreateEntry(entry.FullName).Open();
            from.CopyTo(to);
        }

        using var part = target.CreateEntry(SharedStrings, CompressionLevel.Optimal).Open();
        write(part);
    }

    private static void Write(Stream part, string text) => part.Write(Encoding.UTF8.GetBytes(text));
}
