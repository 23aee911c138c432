using System.Buffers.Binary;
using System.Security.Cryptography;

namespace DataPool.Core.Store.Writing;

/// <summary>
/// A spill file that holds personal data (a walked stream's rows), sealed with AES-GCM under a key made for it and
/// kept only in this process's memory. The file is unlinked while open (<see cref="SpillFile"/>), but its blocks stay
/// on the disk until overwritten: sealed, they are unreadable once the process is gone, however it ended.
/// <para>
/// Written once from the start, then read once from the start (<see cref="Rewind"/>). The bytes go in chunks of
/// 64 KB, each with its length, tag and a nonce from its position, so a chunk altered, swapped or cut short fails
/// the read instead of handing back other rows.
/// </para>
/// </summary>
internal sealed class SealedSpillStream : Stream
{
    private const int ChunkBytes = 1 << 16;
    private const int TagBytes = 16;

    private readonly Stream _file;
    private readonly AesGcm _aes = new(RandomNumberGenerator.GetBytes(32), TagBytes);
    private readonly byte[] _plain = new byte[ChunkBytes];
    private readonly byte[] _sealed = new byte[ChunkBytes];
    private readonly byte[] _head = new byte[sizeof(int) + TagBytes];
    private readonly byte[] _nonce = new byte[12];
    private long _chunk;
    private int _filled; // writing: bytes waiting in _plain; reading: bytes opened in _plain
    private int _offset; // reading: the next of them to hand out
    private bool _reading;

    public SealedSpillStream(Stream file) => _file = file;

    /// <summary>The bytes written so far, sealed or waiting (what the spill costs on disk, give or take 20 bytes a chunk).</summary>
    public long Written { get; private set; }

    public override bool CanRead => _reading;
    public override bool CanWrite => !_reading;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_reading)
        {
            throw new InvalidOperationException("a spill is written whole before it is read");
        }

        Written += buffer.Length;
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, ChunkBytes - _filled);
            buffer[..take].CopyTo(_plain.AsSpan(_filled));
            _filled += take;
            buffer = buffer[take..];
            if (_filled == ChunkBytes)
            {
                Seal();
            }
        }
    }

    // Stream's own WriteByte and ReadByte make an array a byte; BinaryWriter and BinaryReader call them for every flag.
    public override void WriteByte(byte value) => Write([value]);

    /// <summary>Seals what is still waiting and turns the spill around: from here on it is read from its start.</summary>
    public void Rewind()
    {
        if (!_reading)
        {
            if (_filled > 0)
            {
                Seal();
            }

            _file.Flush();
            _file.Position = 0;
            (_reading, _chunk, _filled, _offset) = (true, 0, 0, 0);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (!_reading)
        {
            throw new InvalidOperationException("a spill is read only after Rewind");
        }

        if (_offset == _filled && !Open())
        {
            return 0;
        }

        var take = Math.Min(buffer.Length, _filled - _offset);
        _plain.AsSpan(_offset, take).CopyTo(buffer);
        _offset += take;
        return take;
    }

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    private void Seal()
    {
        _aes.Encrypt(NextNonce(), _plain.AsSpan(0, _filled), _sealed.AsSpan(0, _filled), _head.AsSpan(sizeof(int)));
        BinaryPrimitives.WriteInt32LittleEndian(_head, _filled);
        _file.Write(_head);
        _file.Write(_sealed, 0, _filled);
        _filled = 0;
    }

    /// <summary>Opens the next chunk; false at the spill's end.</summary>
    private bool Open()
    {
        var got = _file.ReadAtLeast(_head, _head.Length, throwOnEndOfStream: false);
        if (got == 0)
        {
            return false;
        }

        var length = got == _head.Length ? BinaryPrimitives.ReadInt32LittleEndian(_head) : -1;
        if (length is <= 0 or > ChunkBytes || _file.ReadAtLeast(_sealed.AsSpan(0, length), length, throwOnEndOfStream: false) != length)
        {
            throw new InvalidDataException("the spill file was cut short or altered");
        }

        // Throws AuthenticationTagMismatchException when the chunk is not the one sealed at this position.
        _aes.Decrypt(NextNonce(), _sealed.AsSpan(0, length), _head.AsSpan(sizeof(int)), _plain.AsSpan(0, length));
        (_filled, _offset) = (length, 0);
        return true;
    }

    private byte[] NextNonce()
    {
        BinaryPrimitives.WriteInt64LittleEndian(_nonce, _chunk++);
        return _nonce;
    }

    public override void Flush()
    {
        // Chunks are sealed whole: what waits is sealed by Rewind, not by a BinaryWriter's flush.
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _aes.Dispose();
            try
            {
                _file.Dispose();
            }
            catch (IOException)
            {
                // Closing flushes the file's buffer. The spill is thrown away either way, and a full disk must not hide
                // the failure that ended the run behind one of its own (the handle is closed all the same).
            }
        }

        base.Dispose(disposing);
    }
}
