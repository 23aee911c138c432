using System.Text;
using System.Text.Unicode;
using DataPool.Abstractions;

namespace DataPool.Connectors.FixedWidth;

/// <summary>
/// A declared encoding: a strict decoder (a wrong byte fails instead of turning into mojibake), and the
/// knowledge of where characters start in a line of bytes, so a field cut in the middle of a character
/// is caught instead of being decoded into a wrong one.
/// </summary>
internal sealed class FixedWidthEncoding
{
    static FixedWidthEncoding()
    {
        // GB18030, GBK and the other legacy code pages live in CodePagesEncodingProvider, not in the
        // default set of .NET; registering is process-wide and idempotent.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    private const int Utf8CodePage = 65001;
    private const int Gb18030CodePage = 54936;

    /// <summary>How much of the file is examined before reading, to catch a wrong declaration.</summary>
    public const int SniffBytes = 64 * 1024;

    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    private enum Layout { SingleByte, Utf8, Gb18030, Other }

    private readonly Layout _layout;

    private FixedWidthEncoding(string declared, Encoding strict)
    {
        Declared = declared;
        Strict = strict;
        _layout = strict.CodePage switch
        {
            Utf8CodePage => Layout.Utf8,
            Gb18030CodePage => Layout.Gb18030,
            _ when strict.IsSingleByte => Layout.SingleByte,
            _ => Layout.Other,
        };
        Preamble = strict.CodePage == Utf8CodePage ? Utf8Bom : Encoding.GetEncoding(strict.CodePage).GetPreamble();
    }

    /// <summary>The name as the settings give it, for messages.</summary>
    public string Declared { get; }

    /// <summary>Decodes with exception fallback.</summary>
    public Encoding Strict { get; }

    public bool IsUtf8 => _layout == Layout.Utf8;

    /// <summary>
    /// Decodes one field strictly (throws <see cref="DecoderFallbackException"/> on invalid bytes).
    /// ASCII bytes (ID numbers, dates, codes: most fields) take the vectorised ASCII path in GB18030
    /// and UTF-8, where they mean the same.
    /// </summary>
    public string Decode(ReadOnlySpan<byte> bytes) =>
        _layout is Layout.Gb18030 or Layout.Utf8 && !bytes.ContainsAnyExceptInRange((byte)0, (byte)0x7F)
            ? Encoding.ASCII.GetString(bytes)
            : Strict.GetString(bytes);

    /// <summary>The encoding's byte order mark, skipped when the file starts with it.</summary>
    public byte[] Preamble { get; }

    public static FixedWidthEncoding Resolve(string? name)
    {
        var declared = string.IsNullOrWhiteSpace(name) ? "GB18030" : name.Trim();
        var codePage = LegacyEncodings.FindCodePage(declared)
            ?? throw new ConnectorException($"settings.encoding: '{declared}' is not a known encoding (e.g. GB18030, GBK, utf-8)");

        Encoding strict;
        if (codePage == Utf8CodePage)
        {
            strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        }
        else
        {
            // GBK (936) and GB2312 (20936) are subsets of GB18030: "GBK" exports routinely carry
            // GB18030-only characters of names, which a strict GBK decoder would refuse.
            var decodeAs = codePage is 936 or 20936 ? Gb18030CodePage : codePage;
            strict = Encoding.GetEncoding(decodeAs, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }

        // Lines are split on the line-feed byte and the trailer prefix is matched on bytes: both need
        // an encoding that writes ASCII as ASCII (UTF-16 and EBCDIC do not).
        const string ascii = "\n\r 0123456789AZaz";
        byte[] bytes;
        try
        {
            bytes = strict.GetBytes(ascii);
        }
        catch (EncoderFallbackException)
        {
            bytes = [];
        }

        if (!bytes.AsSpan().SequenceEqual(Encoding.ASCII.GetBytes(ascii)))
        {
            throw new ConnectorException(
                $"settings.encoding: '{declared}' does not write ASCII as single bytes (UTF-16, EBCDIC, …); a fixed-width file must be in an ASCII-compatible encoding such as GB18030 or utf-8");
        }

        return new FixedWidthEncoding(declared, strict);
    }

    /// <summary>The bytes of a setting's text in this encoding, or a message naming the setting.</summary>
    public byte[] GetBytes(string text, string settingName)
    {
        try
        {
            return Strict.GetBytes(text);
        }
        catch (EncoderFallbackException ex)
        {
            throw new ConnectorException($"settings.{settingName}: '{text}' cannot be written in {Declared}", ex);
        }
    }

    /// <summary>
    /// Marks in <paramref name="boundaries"/> (length ≥ line length + 1) every offset where a character
    /// starts, and the end of the line. Malformed bytes count as one character each: decoding the field
    /// holding them reports them.
    /// </summary>
    public void MarkBoundaries(ReadOnlySpan<byte> line, Span<bool> boundaries)
    {
        boundaries[..(line.Length + 1)].Clear();
        switch (_layout)
        {
            case Layout.SingleByte:
                boundaries[..(line.Length + 1)].Fill(true);
                return;

            case Layout.Utf8:
                for (var i = 0; i < line.Length; i++)
                {
                    // Continuation bytes are 10xxxxxx; every other byte starts a character.
                    boundaries[i] = (line[i] & 0xC0) != 0x80;
                }

                break;

            case Layout.Gb18030:
                for (var i = 0; i < line.Length;)
                {
                    boundaries[i] = true;
                    var b = line[i];
                    if (b is < 0x81 or > 0xFE || i + 1 >= line.Length)
                    {
                        i++;
                    }
                    else if (line[i + 1] is >= 0x30 and <= 0x39)
                    {
                        // Four-byte sequence: lead, digit, lead, digit.
                        i += 4;
                    }
                    else
                    {
                        i += 2;
                    }
                }

                break;

            default:
                MarkWithDecoder(line, boundaries);
                break;
        }

        boundaries[line.Length] = true;
    }

    /// <summary>Any other multi-byte code page (Big5, Shift-JIS, …): a character ends where the decoder emits one.</summary>
    private void MarkWithDecoder(ReadOnlySpan<byte> line, Span<bool> boundaries)
    {
        var decoder = Encoding.GetEncoding(Strict.CodePage, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback).GetDecoder();
        Span<char> chars = stackalloc char[8];
        var start = true;
        for (var i = 0; i < line.Length; i++)
        {
            boundaries[i] = start;
            start = decoder.GetChars(line.Slice(i, 1), chars, flush: false) > 0;
        }
    }

    /// <summary>
    /// Checks the start of the file against the declaration and returns how many bytes of byte order
    /// mark to skip. A wrong declaration does not fail by itself: GB18030 decodes almost any bytes,
    /// so a UTF-8 file read as GB18030 would import mojibake names that match nobody.
    /// </summary>
    public int Sniff(ReadOnlySpan<byte> prefix, bool atEnd, string fileName)
    {
        if (!IsUtf8 && prefix.StartsWith(Utf8Bom))
        {
            throw DeclaredButUtf8(fileName);
        }

        var nul = prefix.IndexOf((byte)0);
        if (nul >= 0)
        {
            throw new ConnectorException(
                $"{fileName}: NUL bytes near line {prefix[..nul].Count((byte)'\n') + 1}; it looks like UTF-16 or a binary file, not {Declared} text — set settings.encoding or export the file as text");
        }

        var skip = Preamble.Length > 0 && prefix.StartsWith(Preamble) ? Preamble.Length : 0;
        var text = prefix[skip..];

        // Judge only whole lines: the sniffed block may end in the middle of a character.
        if (!atEnd)
        {
            var lastBreak = text.LastIndexOf((byte)'\n');
            text = lastBreak >= 0 ? text[..(lastBreak + 1)] : [];
        }

        if (!IsUtf8 && text.ContainsAnyExceptInRange((byte)0, (byte)0x7F) && Utf8.IsValid(text))
        {
            throw DeclaredButUtf8(fileName);
        }

        return skip;
    }

    private ConnectorException DeclaredButUtf8(string fileName) =>
        new($"{fileName}: declared {Declared} but the file is UTF-8 — set settings.encoding to utf-8");

}
