using System.Text;
using DataPool.Abstractions;

namespace DataPool.Connectors.Csv;

/// <summary>
/// Refuses a file whose bytes do not match the declared encoding. A wrong encoding never fails
/// loudly on its own: it imports mojibake names that then match nobody. So the start of the file
/// is sniffed before any row is read, and a decoding failure later on is located and explained.
/// </summary>
internal static class CsvEncodingCheck
{
    /// <summary>How much of the file is examined before reading; large enough for hundreds of rows.</summary>
    public const int SniffBytes = 64 * 1024;

    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Checks the start of the file against the declared encoding and returns how many bytes of
    /// byte order mark to skip before decoding.
    /// </summary>
    public static async Task<int> SniffAsync(Stream stream, CsvOptions options, CancellationToken cancellationToken)
    {
        var buffer = new byte[SniffBytes];
        var length = await stream.ReadAtLeastAsync(buffer, SniffBytes, throwOnEndOfStream: false, cancellationToken);
        var atEnd = length >= stream.Length;
        var prefix = buffer.AsSpan(0, length);
        var encoding = options.Encoding;

        if (!encoding.IsUnicode && prefix.StartsWith(Utf8Bom))
        {
            throw DeclaredButUtf8(options);
        }

        // UTF-16 text and binary files (an .xlsx renamed .csv) are full of NUL bytes, which no CSV
        // export in a single- or multi-byte encoding contains.
        var utf16Or32 = encoding.IsUnicode && !encoding.IsUtf8;
        var nul = prefix.IndexOf((byte)0);
        if (!utf16Or32 && nul >= 0)
        {
            var (line, _) = LineAt(prefix, nul);
            throw new ConnectorException(
                $"{options.FileName}: NUL bytes near line {line}; it looks like UTF-16 or a binary file (e.g. an Excel workbook), not {encoding.DisplayName} text — set settings.encoding or export the file as CSV");
        }

        var skip = encoding.Preamble.Length > 0 && prefix.StartsWith(encoding.Preamble) ? encoding.Preamble.Length : 0;
        var body = prefix[skip..];

        // Checked before strict decoding: for a UTF-8 file declared GB18030, "the file is UTF-8" is
        // the useful message, not "invalid GB18030 at line 2".
        if (!encoding.IsUnicode && body.ContainsAnyExceptInRange((byte)0, (byte)0x7F) && FirstInvalidByte(body, StrictUtf8, atEnd) is null)
        {
            throw DeclaredButUtf8(options);
        }

        if (FirstInvalidByte(body, encoding.Strict, atEnd) is { } invalid)
        {
            var (line, lineStart) = LineAt(prefix, skip + invalid);
            throw NotValid(options, line, Guess(prefix[lineStart..], encoding, atEnd, atFileStart: lineStart == 0));
        }

        return skip;
    }

    /// <summary>
    /// Explains a decoding failure met while reading: finds the line of the first bad byte by
    /// decoding the file again (only on this failure path, streaming, so memory stays flat).
    /// </summary>
    public static ConnectorException DescribeDecodingFailure(CsvOptions options, int skip, Exception cause)
    {
        try
        {
            using var stream = new FileStream(options.FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.Position = skip;
            var decoder = options.Encoding.Strict.GetDecoder();
            var bytes = new byte[SniffBytes];
            var chars = new char[options.Encoding.Strict.GetMaxCharCount(bytes.Length)];
            long line = 1;
            long lineStart = 0;
            long offset = skip;
            while (true)
            {
                var read = stream.Read(bytes, 0, bytes.Length);
                var chunk = bytes.AsSpan(0, read);
                int? invalid = null;
                try
                {
                    decoder.GetChars(chunk, chars, flush: read == 0);
                }
                catch (DecoderFallbackException ex)
                {
                    // A negative index points into bytes held over from the previous chunk; those
                    // contain no line break, so the start of this chunk gives the same line.
                    invalid = Math.Max(0, ex.Index);
                }

                var upTo = invalid ?? read;
                for (var i = 0; i < upTo; i++)
                {
                    if (chunk[i] == (byte)'\n')
                    {
                        line++;
                        lineStart = offset + i + 1;
                    }
                }

                if (invalid is not null)
                {
                    return NotValid(options, line, GuessAt(options, lineStart), cause);
                }

                if (read == 0)
                {
                    // The reader failed but a fresh decode does not: report what we know.
                    return new ConnectorException($"{options.FileName}: not valid {options.Encoding.DisplayName} — set settings.encoding", cause);
                }

                offset += read;
            }
        }
        catch (IOException ex)
        {
            return new ConnectorException($"{options.FileName}: not valid {options.Encoding.DisplayName} — set settings.encoding ({ex.Message})", cause);
        }
    }

    private static string? GuessAt(CsvOptions options, long lineStart)
    {
        using var stream = new FileStream(options.FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Position = lineStart;
        var window = new byte[SniffBytes];
        var length = stream.ReadAtLeast(window, window.Length, throwOnEndOfStream: false);
        return Guess(window.AsSpan(0, length), options.Encoding, atEnd: stream.Position >= stream.Length, atFileStart: lineStart == 0);
    }

    /// <summary>Names the encoding the bytes (starting at a line start) most likely are in, or null.</summary>
    private static string? Guess(ReadOnlySpan<byte> bytes, CsvEncoding declared, bool atEnd, bool atFileStart)
    {
        if (atFileStart && (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])))
        {
            return "UTF-16";
        }

        var hasHighBytes = bytes.ContainsAnyExceptInRange((byte)0, (byte)0x7F);
        if (!hasHighBytes)
        {
            return null;
        }

        if (!declared.IsUtf8 && FirstInvalidByte(bytes, StrictUtf8, atEnd) is null)
        {
            return "UTF-8";
        }

        // GB18030 first: it is what the legacy systems of this domain export.
        var gb18030 = Encoding.GetEncoding(54936, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        if (declared.Strict.CodePage != 54936 && FirstInvalidByte(bytes, gb18030, atEnd) is null)
        {
            return "GB18030";
        }

        return null;
    }

    private static ConnectorException NotValid(CsvOptions options, long line, string? guess, Exception? cause = null)
    {
        var hint = guess is null
            ? " — set settings.encoding to the file's encoding"
            : $"; it looks like {guess} — set settings.encoding";
        return new ConnectorException($"{options.FileName}: not valid {options.Encoding.DisplayName} near line {line}{hint}", cause);
    }

    private static ConnectorException DeclaredButUtf8(CsvOptions options) => new(
        $"{options.FileName}: declared {options.Encoding.Declared} but the file is UTF-8 — set settings.encoding to utf-8");

    /// <summary>The index of the first byte the encoding cannot decode, or null when all decode.</summary>
    /// <param name="final">False when the bytes are a prefix: a sequence cut at the end is not an error.</param>
    private static int? FirstInvalidByte(ReadOnlySpan<byte> bytes, Encoding strict, bool final)
    {
        var decoder = strict.GetDecoder();
        var chars = new char[strict.GetMaxCharCount(bytes.Length)];
        try
        {
            decoder.GetChars(bytes, chars, flush: final);
            return null;
        }
        catch (DecoderFallbackException ex)
        {
            return Math.Max(0, ex.Index);
        }
    }

    /// <summary>The 1-based line holding the byte at index, and where that line starts.</summary>
    private static (long Line, int LineStart) LineAt(ReadOnlySpan<byte> bytes, int index)
    {
        // A line feed byte is a line feed in UTF-8, GB18030 and every ASCII-compatible encoding:
        // it never occurs inside a multi-byte sequence.
        var before = bytes[..index];
        var lastBreak = before.LastIndexOf((byte)'\n');
        return (before.Count((byte)'\n') + 1, lastBreak + 1);
    }
}
