using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DataPool.Abstractions;

namespace DataPool.Core.Sources;

/// <summary>One row of a sample as the connector reads it: where it is, its values in column order, and why it cannot be read.</summary>
public sealed record PreviewRow(string Location, IReadOnlyList<string?> Values, string? Problem);

/// <summary>
/// A sample's columns and first rows, read by the connector of its kind with the given settings. <c>Encoding</c> is the
/// one used: the settings' own, or the one detected when they name none. <c>Settings</c> are the settings as used
/// (a definition can take them as they are). <c>Failure</c> says why the file cannot be read with these settings.
/// </summary>
public sealed record SamplePreview(string Kind, string? Encoding, JsonNode? Settings, IReadOnlyList<string> Columns,
    IReadOnlyList<PreviewRow> Rows, string? Failure);

/// <summary>
/// The source editor's look into a sample file: the same connectors a sync uses read its first rows, so what the admin
/// sees is what a sync would read (title rows skipped, merged cells filled, GB18030 decoded). Paths resolve against
/// the given folder and cannot leave it (<see cref="ConnectorContext.ResolvePath"/>).
/// </summary>
public sealed class SamplePreviewer(IEnumerable<IConnector> connectors)
{
    /// <summary>The column of a fixed-width sample shown before its layout is written: each line as it is.</summary>
    public const string LineColumn = "#line";

    public const int MaxRows = 200;
    private const int SniffBytes = 64 * 1024;
    private static readonly TimeSpan ReadLimit = TimeSpan.FromSeconds(15);
    private static readonly string[] FileKinds = ["csv", "excel", "fixedwidth"];

    private readonly Dictionary<string, IConnector> _connectors = connectors.ToDictionary(c => c.Kind, StringComparer.Ordinal);

    public static bool Previews(string kind) => FileKinds.Contains(kind, StringComparer.Ordinal);

    public async Task<SamplePreview> PreviewAsync(string kind, JsonObject settings, string baseDirectory, int rows, CancellationToken cancellationToken = default)
    {
        rows = Math.Clamp(rows, 1, MaxRows);
        settings = (JsonObject)settings.DeepClone();
        var definition = new SourceDefinition
        {
            Id = "preview",
            Kind = kind,
            Settings = JsonSerializer.SerializeToElement(settings),
            Streams = [new StreamDefinition { Name = "sample", Entity = "sample" }],
        };
        string? encoding = null;
        try
        {
            if (!Previews(kind) || !_connectors.TryGetValue(kind, out var connector))
            {
                throw new ConnectorException($"kind: '{kind}' has no sample preview (csv, excel, fixedwidth)");
            }

            var context = new ConnectorContext(definition, definition.Streams[0], definition.Settings, baseDirectory);
            if (kind != "excel")
            {
                encoding = settings["encoding"]?.GetValue<string>() is { Length: > 0 } declared && declared != "auto"
                    ? declared
                    : Detect(context.ResolvePath(settings["path"]?.GetValue<string>() ?? ""));
                settings["encoding"] = encoding;
                context = context with { Settings = JsonSerializer.SerializeToElement(settings), Source = definition with { Settings = JsonSerializer.SerializeToElement(settings) } };
            }

            if (kind == "fixedwidth" && settings["fields"] is not JsonArray { Count: > 0 })
            {
                return new SamplePreview(kind, encoding, settings, [LineColumn], await LinesAsync(context, encoding ?? "utf-8", rows, cancellationToken), null);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ReadLimit);
            var shown = new List<PreviewRow>();
            IReadOnlyList<string> columns = [];
            await foreach (var row in connector.ReadAsync(context, timeout.Token))
            {
                columns = row.Header.Columns;
                shown.Add(new PreviewRow(row.Location, row.Values, row.Problem));
                if (shown.Count >= rows)
                {
                    break;
                }
            }

            return new SamplePreview(kind, encoding, settings, columns, shown, null);
        }
        catch (Exception e) when (e is ConnectorException or IOException or JsonException or InvalidOperationException or DecoderFallbackException)
        {
            return new SamplePreview(kind, encoding, settings, [], [], e.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SamplePreview(kind, encoding, settings, [], [], $"the sample could not be read within {ReadLimit.TotalSeconds:0} s");
        }
    }

    /// <summary>
    /// The encoding a text export is in, judged from its first bytes: a byte order mark, else strict UTF-8, else GB18030
    /// (what this domain's legacy systems write), else UTF-8, for the connector to explain what is wrong.
    /// </summary>
    public static string Detect(string path)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var head = new byte[SniffBytes];
        var length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var bytes = head.AsSpan(0, length);
        var whole = stream.Length <= length;
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return "utf-8";
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return "utf-16";
        }

        if (Decodes(bytes, new UTF8Encoding(false, throwOnInvalidBytes: true), whole))
        {
            return "utf-8";
        }

        var gb18030 = Encoding.GetEncoding(54936, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        return Decodes(bytes, gb18030, whole) ? "GB18030" : "utf-8";
    }

    private static bool Decodes(ReadOnlySpan<byte> bytes, Encoding strict, bool final)
    {
        try
        {
            strict.GetDecoder().GetCharCount(bytes, flush: final);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>A fixed-width file before its layout is written: its first lines as text, so the admin can count the positions.</summary>
    private static async Task<IReadOnlyList<PreviewRow>> LinesAsync(ConnectorContext context, string encoding, int rows, CancellationToken cancellationToken)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var path = context.ResolvePath(context.Settings.GetProperty("path").GetString() ?? "");
        var codePage = LegacyEncodings.FindCodePage(encoding) ?? throw new ConnectorException($"settings.encoding: '{encoding}' is not a known encoding");
        using var reader = new StreamReader(path, Encoding.GetEncoding(codePage), detectEncodingFromByteOrderMarks: true);
        var lines = new List<PreviewRow>();
        while (lines.Count < rows && await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            lines.Add(new PreviewRow($"line {lines.Count + 1}", [line], null));
        }

        return lines;
    }
}
