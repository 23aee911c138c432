using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using DataPool.Abstractions;

namespace DataPool.Connectors.FixedWidth;

/// <summary>
/// The <c>fixedwidth</c> connector kind: streams the records of a mainframe-style text export whose
/// columns sit at fixed <b>byte</b> positions, checking the trailer record's row count at the end.
/// See README.md for the settings and how bytes, characters, short lines and trailers are handled.
/// </summary>
public sealed class FixedWidthConnector : IConnector
{
    public string Kind => "fixedwidth";

    public async IAsyncEnumerable<RawRow> ReadAsync(
        ConnectorContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = FixedWidthOptions.From(context);
        await using var reader = await OpenAsync(options, cancellationToken);
        var header = new RowHeader(options.Fields.Select(f => f.Name).ToList());
        var boundaries = new bool[options.LayoutBytes + 1];
        context.Progress.SetTotal(reader.Bytes.Length, ProgressUnit.Bytes);

        for (var skipped = 0; skipped < options.SkipLines; skipped++)
        {
            if (await reader.ReadLineAsync(cancellationToken) is null)
            {
                break;
            }
        }

        long number = 0;
        long? trailerLine = null;
        long trailerCount = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (line.IsEmpty)
            {
                // Blank lines carry no record (and are not counted against the trailer).
                continue;
            }

            if (trailerLine is not null)
            {
                // Rows after the trailer would be read but not counted by it; more likely two files
                // were concatenated or the prefix matches a data record.
                throw new ConnectorException(
                    $"{options.FileName} line {reader.LineNumber}: a record after the trailer at line {trailerLine} — the trailer must be the last record (check settings.trailer.prefix)");
            }

            if (options.Trailer is not null && line.Span.StartsWith(options.TrailerPrefix))
            {
                trailerLine = reader.LineNumber;
                trailerCount = ReadTrailerCount(line.Span, options, reader.LineNumber);
                continue;
            }

            number++;
            context.Progress.ReportPosition(reader.Bytes.Read);
            if (boundaries.Length < line.Length + 1)
            {
                boundaries = new bool[line.Length + 1];
            }

            var row = ToRow(header, line.Span, boundaries, options, number, reader.LineNumber);
            // A short last line without a line feed is where a transfer stopped mid-record; a file without a
            // trailer has no other evidence of being whole, so the sync is told (see RawRow.CutOff).
            yield return reader.Unterminated && line.Length < options.LayoutBytes
                ? row with { Problem = $"{row.Problem}; it ends the file mid-record: the export may be cut off", CutOff = true }
                : row;
        }

        if (options.Trailer is not null)
        {
            if (trailerLine is null)
            {
                throw new ConnectorException(
                    $"{options.FileName}: no trailer record (a line starting with '{options.Trailer.Prefix}') — the export may be cut short; nothing was imported");
            }

            if (trailerCount != number)
            {
                throw new ConnectorException(
                    $"{options.FileName}: the trailer says {Rows(trailerCount)}, the file has {number.ToString("N0", CultureInfo.InvariantCulture)} (trailer at line {trailerLine}) — the export is incomplete or the trailer is wrong; nothing was imported");
            }
        }
    }

    private static string Rows(long count) => count == 1 ? "1 row" : $"{count.ToString("N0", CultureInfo.InvariantCulture)} rows";

    private static async Task<ByteLineReader> OpenAsync(FixedWidthOptions options, CancellationToken cancellationToken)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(options.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, useAsync: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConnectorException($"{options.FileName}: cannot be opened: {ex.Message}", ex);
        }

        try
        {
            var prefix = new byte[FixedWidthEncoding.SniffBytes];
            var length = await stream.ReadAtLeastAsync(prefix, prefix.Length, throwOnEndOfStream: false, cancellationToken);
            var skip = options.Encoding.Sniff(prefix.AsSpan(0, length), length < prefix.Length, options.FileName);
            var reader = new ByteLineReader(stream, options.FileName);
            reader.Skip(skip);
            return reader;
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    private static long ReadTrailerCount(ReadOnlySpan<byte> line, FixedWidthOptions options, long lineNumber)
    {
        var trailer = options.Trailer!;
        var start = trailer.CountStart - 1;
        var end = start + trailer.CountLength;
        var where = $"bytes {trailer.CountStart}–{end}";
        if (line.Length < end)
        {
            throw new ConnectorException(
                $"{options.FileName} line {lineNumber}: the trailer is {line.Length} bytes long, its row count should be at {where} — check settings.trailer");
        }

        var text = Encoding.Latin1.GetString(line[start..end]).Trim();
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            throw new ConnectorException(
                $"{options.FileName} line {lineNumber}: the trailer's row count ({where}) is '{text}', not a number — check settings.trailer");
        }

        return count;
    }

    private static RawRow ToRow(
        RowHeader header,
        ReadOnlySpan<byte> line,
        Span<bool> boundaries,
        FixedWidthOptions options,
        long number,
        long lineNumber)
    {
        List<string>? problems = null;
        if (line.Length < options.LayoutBytes)
        {
            var last = options.Fields.MaxBy(f => f.End)!;
            (problems ??= []).Add(
                $"line {lineNumber} is {line.Length} bytes long, the layout needs {options.LayoutBytes} ('{last.Name}' ends at byte {last.End})");
        }

        options.Encoding.MarkBoundaries(line, boundaries);
        var values = new string?[options.Fields.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var field = options.Fields[i];
            if (field.Offset >= line.Length)
            {
                // Entirely past the end of a short line: reported above.
                continue;
            }

            var end = Math.Min(field.End, line.Length);
            if (!boundaries[field.Offset] || !boundaries[end])
            {
                var at = boundaries[field.Offset] ? $"its last byte {field.End}" : $"its first byte {field.Start}";
                (problems ??= []).Add(
                    $"line {lineNumber}: '{field.Name}' (bytes {field.Start}–{field.End}) cuts a multi-byte {options.Encoding.Declared} character in two at {at} — the record is shifted or settings.fields is wrong");
                continue;
            }

            string text;
            try
            {
                text = options.Encoding.Decode(line[field.Offset..end]);
            }
            catch (DecoderFallbackException)
            {
                (problems ??= []).Add(
                    $"line {lineNumber}: '{field.Name}' (bytes {field.Start}–{field.End}) holds bytes that are not valid {options.Encoding.Declared}");
                continue;
            }

            if (options.Trim)
            {
                // Mainframe layouts pad with spaces; Chinese ones often with full-width spaces.
                text = text.Trim(' ', '\u3000', '\t');
            }

            values[i] = text.Length == 0 ? null : text;
        }

        return new RawRow(
            header,
            values,
            number,
            $"{options.FileName} line {lineNumber}",
            problems is null ? null : string.Join("; ", problems));
    }
}
