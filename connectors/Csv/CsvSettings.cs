using System.Text;
using System.Text.Json;
using DataPool.Abstractions;

namespace DataPool.Connectors.Csv;

/// <summary>
/// The <c>settings</c> of a <c>csv</c> source (contract: see DESIGN.md and this project's README).
/// </summary>
/// <param name="Path">The file, relative to the source definition's folder.</param>
/// <param name="Encoding">Any name <see cref="System.Text.Encoding.GetEncoding(string)"/> knows, plus GBK/GB2312/GB18030.</param>
/// <param name="Separator">One character; <c>\t</c> or <c>tab</c> for a tab.</param>
/// <param name="HeaderRow">1-based physical line of the header; lines above it (titles) are skipped.</param>
public sealed record CsvSettings(string Path, string Encoding = "utf-8", string Separator = ",", int HeaderRow = 1);

/// <summary>The settings checked and turned into what the reader needs.</summary>
internal sealed record CsvOptions(
    string FullPath,
    string FileName,
    CsvEncoding Encoding,
    char Separator,
    int HeaderRow)
{
    public static CsvOptions From(ConnectorContext context)
    {
        CsvSettings settings;
        try
        {
            settings = context.Bind<CsvSettings>();
        }
        catch (JsonException ex)
        {
            // The JSON path in the message ($.headerRow, …) tells the person which setting is wrong.
            throw new ConnectorException($"settings: {ex.Message}", ex);
        }

        // Settings that are wrong whatever the file holds are reported before the file is looked at.
        var encoding = CsvEncoding.Resolve(settings.Encoding);
        var separator = ParseSeparator(settings.Separator);
        if (settings.HeaderRow < 1)
        {
            throw new ConnectorException($"settings.headerRow: {settings.HeaderRow} is not a line number (the first line is 1)");
        }

        var fullPath = context.ResolvePath(settings.Path);
        if (Directory.Exists(fullPath))
        {
            throw new ConnectorException($"settings.path: '{settings.Path}' is a folder, not a file");
        }

        if (!File.Exists(fullPath))
        {
            throw new ConnectorException($"settings.path: file '{settings.Path}' not found");
        }

        return new CsvOptions(fullPath, System.IO.Path.GetFileName(fullPath), encoding, separator, settings.HeaderRow);
    }

    private static char ParseSeparator(string? separator)
    {
        if (string.IsNullOrEmpty(separator))
        {
            return ',';
        }

        // "\t" arrives either as a real tab (JSON "\t") or as the two characters \ and t (JSON "\\t").
        if (separator is "\\t" || separator.Equals("tab", StringComparison.OrdinalIgnoreCase))
        {
            return '\t';
        }

        if (separator.Length != 1)
        {
            throw new ConnectorException($"settings.separator: '{separator}' must be one character (or \"tab\")");
        }

        var c = separator[0];
        if (c is '"' or '\r' or '\n')
        {
            throw new ConnectorException($"settings.separator: a quote or a line break cannot separate fields");
        }

        return c;
    }
}

/// <summary>A declared encoding: the name the person wrote, and a decoder that throws on bytes it cannot read.</summary>
internal sealed class CsvEncoding
{
    static CsvEncoding()
    {
        // GB18030, GBK and the other legacy code pages live in CodePagesEncodingProvider, not in the
        // default set of .NET; registering is process-wide and only needs to happen once.
        System.Text.Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    private const int Utf8CodePage = 65001;
    private const int Gb18030CodePage = 54936;

    private CsvEncoding(string declared, Encoding strict, bool isUnicode)
    {
        Declared = declared;
        Strict = strict;
        IsUnicode = isUnicode;
        Preamble = strict.CodePage == Utf8CodePage ? [0xEF, 0xBB, 0xBF] : System.Text.Encoding.GetEncoding(strict.CodePage).GetPreamble();
    }

    /// <summary>The name as the settings give it, for messages.</summary>
    public string Declared { get; }

    /// <summary>Decodes with exception fallback: a wrong encoding fails instead of importing mojibake.</summary>
    public Encoding Strict { get; }

    public bool IsUtf8 => Strict.CodePage == Utf8CodePage;

    /// <summary>UTF-8/16/32: files that are valid UTF-8 are no evidence of a mistake.</summary>
    public bool IsUnicode { get; }

    /// <summary>The byte order mark of the encoding, skipped when the file starts with it.</summary>
    public byte[] Preamble { get; }

    /// <summary>The name used in messages: UTF-8 spelled one way, anything else as declared.</summary>
    public string DisplayName => IsUtf8 ? "UTF-8" : Declared;

    public static CsvEncoding Resolve(string? name)
    {
        var declared = string.IsNullOrWhiteSpace(name) ? "utf-8" : name.Trim();
        var codePage = LegacyEncodings.FindCodePage(declared)
            ?? throw new ConnectorException($"settings.encoding: '{declared}' is not a known encoding");

        if (codePage == Utf8CodePage)
        {
            return new CsvEncoding(declared, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true), isUnicode: true);
        }

        // GBK (936) and GB2312 (20936) are subsets of GB18030. Legacy "GBK" exports routinely carry
        // GB18030-only characters (rare characters in names), which a strict GBK decoder would refuse.
        var decodeAs = codePage is 936 or 20936 ? Gb18030CodePage : codePage;
        var strict = System.Text.Encoding.GetEncoding(decodeAs, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        return new CsvEncoding(declared, strict, isUnicode: codePage is 1200 or 1201 or 12000 or 12001 or 65000);
    }

}
