using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using DataPool.Abstractions;

namespace DataPool.Connectors.Csv;

/// <summary>
/// Reads a CSV file record by record with CsvHelper's parser, knowing the physical line each record
/// starts on, and turning every low-level failure into a <see cref="ConnectorException"/> that names
/// the file and the line.
/// </summary>
internal sealed class CsvRecordReader : IDisposable
{
    /// <summary>
    /// The longest value accepted. Without a limit an unclosed quote would pull the rest of a
    /// multi-gigabyte file into one string.
    /// </summary>
    public const int MaxFieldChars = 1_000_000;

    private readonly CsvOptions _options;
    private readonly FileStream _stream;
    private readonly StreamReader _text;
    private readonly CsvParser _parser;
    private readonly List<string> _badFields = [];
    private int _skip;
    private int _previousRow;
    private long _previousEndLine;

    private CsvRecordReader(CsvOptions options, FileStream stream)
    {
        _options = options;
        _stream = stream;
        _text = new StreamReader(stream, options.Encoding.Strict, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024, leaveOpen: true);
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = options.Separator.ToString(),
            Mode = CsvMode.RFC4180,
            IgnoreBlankLines = true,
            TrimOptions = TrimOptions.None,
            AllowComments = false,
            DetectColumnCountChanges = false,
            MaxFieldSize = MaxFieldChars,
            // Rows hold personal data; CsvHelper's messages would otherwise carry raw lines into logs.
            ExceptionMessagesContainRawData = false,
            // A stray quote is a problem of its row, not of the file: note it and go on.
            BadDataFound = args => _badFields.Add(args.Field),
        };
        _parser = new CsvParser(_text, configuration, leaveOpen: true);
    }

    /// <summary>How many bytes of the file have been consumed (read ahead into the parser's buffer included), and how many it has.</summary>
    public (long Read, long Length) Bytes => (_stream.Position, _stream.Length);

    /// <summary>How many bytes of the file have been consumed: <see cref="Bytes"/> without asking the file system for its length, for every row.</summary>
    public long Position => _stream.Position;

    /// <summary>The fields of the current record, as written (quotes removed, nothing trimmed).</summary>
    public string[] Fields { get; private set; } = [];

    /// <summary>The 1-based physical line the current record starts on, title lines included.</summary>
    public long StartLine { get; private set; }

    /// <summary>
    /// The current record ends at a line break. Only the file's last record can end without one: a complete
    /// export may simply lack the final newline, but a record that also misses fields was cut off there.
    /// </summary>
    public bool EndsWithLineBreak { get; private set; }

    /// <summary>A quoted value of the current record runs to the end of the file without its closing quote.</summary>
    public bool QuoteLeftOpen { get; private set; }

    /// <summary>Fields of the current record CsvHelper found malformed (a quote in an unquoted field, …).</summary>
    public IReadOnlyList<string> BadFields => _badFields;

    /// <summary>Opens the file, refuses a mis-declared encoding, and skips the lines above the header.</summary>
    public static async Task<CsvRecordReader> OpenAsync(CsvOptions options, CancellationToken cancellationToken)
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
            var skip = await CsvEncodingCheck.SniffAsync(stream, options, cancellationToken);
            stream.Position = skip;
            var reader = new CsvRecordReader(options, stream) { _skip = skip };
            await reader.SkipTitleLinesAsync(cancellationToken);
            return reader;
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    /// <summary>Reads the next non-blank record; false at the end of the file.</summary>
    /// <remarks>
    /// Synchronous under its async name: the file is local and read 64 KB at a time, and the sync already
    /// reads a connector on a task of its own. CsvHelper's <c>ReadAsync</c> costs a state machine and a task
    /// for every record, which an unchanged re-sync (little more than this read) paid on every row.
    /// </remarks>
    public ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read());
    }

    private bool Read()
    {
        _badFields.Clear();
        bool more;
        try
        {
            more = _parser.Read();
        }
        catch (Exception ex) when (Describe(ex) is { } failure)
        {
            throw failure;
        }

        if (!more)
        {
            return false;
        }

        // CsvHelper's Row counts records and skipped blank lines, one each; a record's own line
        // breaks are counted from its raw text. (RawRow is not used: it is off by one for a quote
        // left open to the end of the file.)
        var skippedBlankLines = _parser.Row - _previousRow - 1;
        StartLine = _previousEndLine + 1 + skippedBlankLines;
        // RawRecord builds a new string on every call: once a row.
        var raw = _parser.RawRecord;
        _previousEndLine = StartLine + InnerLineBreaks(raw);
        _previousRow = _parser.Row;
        Fields = _parser.Record ?? [];
        EndsWithLineBreak = raw.Length > 0 && raw[^1] is '\r' or '\n';
        QuoteLeftOpen = !EndsWithLineBreak && OpenQuote(raw);

        // A malformed value spanning lines means a quote opened and not closed where it should be:
        // the following lines were read into this value. Quarantining one row would silently drop
        // those lines (and a full sync would delete their records), so the whole file is refused.
        if (_badFields.Count > 0 && _badFields.Any(f => f.AsSpan().IndexOfAny('\r', '\n') >= 0))
        {
            throw new ConnectorException(
                $"{_options.FileName} line {StartLine}: a quote opened here is not closed where it should be, so lines up to {_previousEndLine} run into one value — fix the quoting");
        }

        return true;
    }

    public void Dispose()
    {
        _parser.Dispose();
        _text.Dispose();
        _stream.Dispose();
    }

    private async Task SkipTitleLinesAsync(CancellationToken cancellationToken)
    {
        // Title lines are skipped as plain lines, before the CSV parser sees them, so a title with a
        // quote or a separator in it cannot disturb the parse; headerRow counts physical lines.
        for (var line = 1; line < _options.HeaderRow; line++)
        {
            var text = await GuardAsync(() => _text.ReadLineAsync(cancellationToken).AsTask());
            if (text is null)
            {
                throw new ConnectorException(
                    $"{_options.FileName}: the file ends before line {_options.HeaderRow}, so there is no header there — check settings.headerRow");
            }
        }

        _previousEndLine = _options.HeaderRow - 1;
    }

    private async Task<T> GuardAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception ex) when (Describe(ex) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>A low-level read failure as the connector reports it, naming the file and the line; null for any other exception.</summary>
    private ConnectorException? Describe(Exception ex) => ex switch
    {
        DecoderFallbackException decoding => CsvEncodingCheck.DescribeDecodingFailure(_options, _skip, decoding),
        MaxFieldSizeException => new ConnectorException(
            $"{_options.FileName} line {_previousEndLine + 1}: a value runs past {MaxFieldChars.ToString("N0", CultureInfo.InvariantCulture)} characters — most likely a quote that is never closed", ex),
        CsvHelperException => new ConnectorException($"{_options.FileName} near line {_previousEndLine + 1}: cannot be read as CSV: {ex.Message}", ex),
        IOException => new ConnectorException($"{_options.FileName}: reading failed near line {_previousEndLine + 1}: {ex.Message}", ex),
        _ => null,
    };

    /// <summary>Whether a record ends inside a quoted value: an odd number of quotes opened at a field's start.</summary>
    private bool OpenQuote(string raw)
    {
        var quoted = false;
        var fieldStart = true;
        foreach (var c in raw)
        {
            if (quoted)
            {
                // A doubled quote inside a value closes and reopens: the parity comes out right.
                quoted = c != '"';
                fieldStart = false;
            }
            else if (c == '"' && fieldStart)
            {
                quoted = true;
            }
            else
            {
                fieldStart = c == _options.Separator;
            }
        }

        return quoted;
    }

    /// <summary>Line breaks inside a raw record (\r\n, \r or \n), not counting the one that ends it.</summary>
    private static int InnerLineBreaks(string raw)
    {
        var end = raw.Length;
        if (raw.EndsWith("\r\n", StringComparison.Ordinal))
        {
            end -= 2;
        }
        else if (end > 0 && raw[end - 1] is '\r' or '\n')
        {
            end -= 1;
        }

        // Nearly every record is one line: a vectorised search settles those.
        if (raw.AsSpan(0, end).IndexOfAny('\r', '\n') < 0)
        {
            return 0;
        }

        var breaks = 0;
        for (var i = 0; i < end; i++)
        {
            if (raw[i] == '\n' || (raw[i] == '\r' && (i + 1 >= end || raw[i + 1] != '\n')))
            {
                breaks++;
            }
        }

        return breaks;
    }
}
