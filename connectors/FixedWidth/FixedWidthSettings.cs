using System.Text.Json;
using DataPool.Abstractions;

namespace DataPool.Connectors.FixedWidth;

/// <summary>
/// The <c>settings</c> of a <c>fixedwidth</c> source (contract: see DESIGN.md and this project's README).
/// Positions and lengths count <b>bytes</b> of the line in <see cref="Encoding"/>, as mainframe record
/// layouts (copybooks) do: a Chinese character is 2 bytes in GB18030, 3 in UTF-8.
/// </summary>
/// <param name="Path">The file, relative to the source definition's folder.</param>
/// <param name="Encoding">The file's encoding; any name or code page .NET knows (GBK and GB2312 decode as GB18030).</param>
/// <param name="Fields">The record layout: one entry per column.</param>
/// <param name="Trailer">The trailer record and where its row count sits; null when the file has none.</param>
/// <param name="SkipLines">Lines at the top that are not records (a header record, a title); default 0.</param>
/// <param name="Trim">Strip the padding (spaces, full-width spaces) around each value; default true.</param>
public sealed record FixedWidthSettings(
    string Path,
    string Encoding = "GB18030",
    IReadOnlyList<FixedWidthField>? Fields = null,
    FixedWidthTrailer? Trailer = null,
    int SkipLines = 0,
    bool Trim = true);

/// <summary>One column of the record layout.</summary>
/// <param name="Name">The column name the stream's field mappings refer to.</param>
/// <param name="Start">1-based byte position of the first byte.</param>
/// <param name="Length">Number of bytes.</param>
public sealed record FixedWidthField(string Name, int Start, int Length)
{
    /// <summary>0-based offset of the first byte.</summary>
    internal int Offset => Start - 1;

    /// <summary>0-based offset just past the last byte.</summary>
    internal int End => Start - 1 + Length;
}

/// <summary>
/// The trailer record: the line starting with <see cref="Prefix"/>, carrying the number of data records
/// at bytes <see cref="CountStart"/> … <see cref="CountStart"/> + <see cref="CountLength"/> − 1.
/// </summary>
public sealed record FixedWidthTrailer(string Prefix, int CountStart, int CountLength);

/// <summary>The settings checked and turned into what the reader needs.</summary>
internal sealed record FixedWidthOptions(
    string FullPath,
    string FileName,
    FixedWidthEncoding Encoding,
    IReadOnlyList<FixedWidthField> Fields,
    int LayoutBytes,
    FixedWidthTrailer? Trailer,
    byte[] TrailerPrefix,
    int SkipLines,
    bool Trim)
{
    /// <summary>The most count digits a long holds without overflow.</summary>
    private const int MaxCountDigits = 18;

    public static FixedWidthOptions From(ConnectorContext context)
    {
        FixedWidthSettings settings;
        try
        {
            settings = context.Bind<FixedWidthSettings>();
        }
        catch (JsonException ex)
        {
            // The JSON path in the message ($.fields[1].start, …) tells the person which setting is wrong.
            throw new ConnectorException($"settings: {ex.Message}", ex);
        }

        // Settings that are wrong whatever the file holds are reported before the file is looked at.
        var encoding = FixedWidthEncoding.Resolve(settings.Encoding);
        var fields = CheckFields(settings.Fields);
        var trailerPrefix = CheckTrailer(settings.Trailer, encoding);
        if (settings.SkipLines < 0)
        {
            throw new ConnectorException($"settings.skipLines: {settings.SkipLines} must be 0 or more");
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

        return new FixedWidthOptions(
            fullPath,
            System.IO.Path.GetFileName(fullPath),
            encoding,
            fields,
            fields.Max(f => f.End),
            settings.Trailer,
            trailerPrefix,
            settings.SkipLines,
            settings.Trim);
    }

    private static IReadOnlyList<FixedWidthField> CheckFields(IReadOnlyList<FixedWidthField>? fields)
    {
        if (fields is null || fields.Count == 0)
        {
            throw new ConnectorException("settings.fields: the record layout is required — at least one { \"name\", \"start\", \"length\" }");
        }

        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i] ?? throw new ConnectorException($"settings.fields[{i}]: a field is required, not null");
            if (string.IsNullOrWhiteSpace(field.Name))
            {
                throw new ConnectorException($"settings.fields[{i}].name: a name is required");
            }

            if (!names.TryAdd(field.Name, i))
            {
                throw new ConnectorException($"settings.fields[{i}].name: '{field.Name}' is already the name of fields[{names[field.Name]}]");
            }

            if (field.Start < 1)
            {
                throw new ConnectorException($"settings.fields[{i}].start: {field.Start} is not a byte position (the first byte is 1)");
            }

            if (field.Length < 1)
            {
                throw new ConnectorException($"settings.fields[{i}].length: {field.Length} must be positive");
            }

            if ((long)field.Start + field.Length - 1 > int.MaxValue / 2)
            {
                throw new ConnectorException($"settings.fields[{i}]: bytes {field.Start}–{(long)field.Start + field.Length - 1} are past any line's length");
            }
        }

        // Two fields claiming the same bytes is a layout typo (a start copied, a length mistyped).
        var byStart = fields.Select((f, i) => (Field: f, Index: i)).OrderBy(x => x.Field.Start).ToList();
        for (var k = 1; k < byStart.Count; k++)
        {
            var (before, beforeIndex) = byStart[k - 1];
            var (field, index) = byStart[k];
            if (field.Offset < before.End)
            {
                throw new ConnectorException(
                    $"settings.fields[{index}]: '{field.Name}' (bytes {field.Start}–{field.End}) overlaps fields[{beforeIndex}] '{before.Name}' (bytes {before.Start}–{before.End})");
            }
        }

        return fields;
    }

    private static byte[] CheckTrailer(FixedWidthTrailer? trailer, FixedWidthEncoding encoding)
    {
        if (trailer is null)
        {
            return [];
        }

        if (string.IsNullOrEmpty(trailer.Prefix))
        {
            throw new ConnectorException("settings.trailer.prefix: the text the trailer line starts with is required (e.g. \"TRL\")");
        }

        if (trailer.CountStart < 1)
        {
            throw new ConnectorException($"settings.trailer.countStart: {trailer.CountStart} is not a byte position (the first byte is 1)");
        }

        if (trailer.CountLength is < 1 or > MaxCountDigits)
        {
            throw new ConnectorException($"settings.trailer.countLength: {trailer.CountLength} must be between 1 and {MaxCountDigits}");
        }

        var prefix = encoding.GetBytes(trailer.Prefix, "trailer.prefix");
        if (trailer.CountStart <= prefix.Length)
        {
            throw new ConnectorException(
                $"settings.trailer.countStart: {trailer.CountStart} is inside the prefix '{trailer.Prefix}' (bytes 1–{prefix.Length})");
        }

        return prefix;
    }
}
