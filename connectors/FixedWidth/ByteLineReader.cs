using System.Globalization;
using DataPool.Abstractions;

namespace DataPool.Connectors.FixedWidth;

/// <summary>
/// Reads a file line by line as bytes, never holding more than a buffer and the longest line. Lines end
/// at a line-feed byte (a preceding carriage return is dropped); in GB18030, UTF-8 and every
/// ASCII-compatible encoding that byte never occurs inside a multi-byte character.
/// </summary>
internal sealed class ByteLineReader(Stream stream, string fileName) : IAsyncDisposable
{
    /// <summary>The longest line accepted; a file without line breaks is not a fixed-width export.</summary>
    public const int MaxLineBytes = 1 << 20;

    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _eof;

    /// <summary>The 1-based physical line last returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The line last returned ended at the end of the file without a line feed (only the last line can).</summary>
    public bool Unterminated { get; private set; }

    /// <summary>How many bytes of the file have been consumed (read ahead into the buffer included), and how many it has.</summary>
    public (long Read, long Length) Bytes => (stream.Position, stream.Length);

    /// <summary>Skips bytes at the start of the file (a byte order mark).</summary>
    public void Skip(int bytes) => stream.Position = bytes;

    /// <summary>The next line without its line break, valid until the next call; false at the end of the file.</summary>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var feed = pending.IndexOf((byte)'\n');
            if (feed >= 0)
            {
                var line = _buffer.AsMemory(_start, feed);
                _start += feed + 1;
                LineNumber++;
                return WithoutCarriageReturn(line);
            }

            if (_eof)
            {
                if (_start == _end)
                {
                    return null;
                }

                var last = _buffer.AsMemory(_start, _end - _start);
                _start = _end;
                LineNumber++;
                Unterminated = true;
                return WithoutCarriageReturn(last);
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                if (_buffer.Length >= MaxLineBytes)
                {
                    throw new ConnectorException(
                        $"{fileName} line {LineNumber + 1}: longer than {MaxLineBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes without a line break — this is not a fixed-width text export");
                }

                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            int read;
            try
            {
                read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            }
            catch (IOException ex)
            {
                throw new ConnectorException($"{fileName}: reading failed near line {LineNumber + 1}: {ex.Message}", ex);
            }

            if (read == 0)
            {
                _eof = true;
            }

            _end += read;
        }
    }

    public ValueTask DisposeAsync() => stream.DisposeAsync();

    private static ReadOnlyMemory<byte> WithoutCarriageReturn(ReadOnlyMemory<byte> line) =>
        line.Length > 0 && line.Span[^1] == (byte)'\r' ? line[..^1] : line;
}
