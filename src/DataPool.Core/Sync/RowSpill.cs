using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using DataPool.Abstractions;
using DataPool.Core.Store.Writing;

namespace DataPool.Core.Sync;

/// <summary>
/// The rows of a walked stream's first read, kept on disk for its second (<see cref="StoredWalk"/>). The second read
/// then works exactly the rows the walk judged, however the source moved in between: an export job rewriting its
/// file, a departmental database taking updates, an API paging over a changing list. The source is read once; the
/// rows come back about as fast as the CSV connector parses them (docs/scale.md). Memory stays flat; the file is
/// sealed (<see cref="SealedSpillStream"/>) because it holds the rows themselves.
/// </summary>
internal sealed class RowSpill : IDisposable
{
    private const byte SameHeader = 0;
    private const byte NewHeader = 1;

    private readonly SealedSpillStream _stream;
    private readonly BinaryWriter _writer;
    private RowHeader? _header;

    public RowSpill(Stream file)
    {
        _stream = new SealedSpillStream(file);
        _writer = new BinaryWriter(_stream, Encoding.UTF8, leaveOpen: true);
    }

    public static RowSpill Create(string directory) => new(SpillFile.Create(directory, "rows"));

    /// <summary>Rows kept so far.</summary>
    public long Rows { get; private set; }

    /// <summary>Bytes kept so far, before sealing.</summary>
    public long Bytes => _stream.Written;

    /// <summary>The second read's progress: the rows of the first are its total.</summary>
    public ReadProgress Progress { get; } = new();

    /// <summary>Keeps one row of the first read. A header is written when it changes (an export of several sheets).</summary>
    public void Add(RawRow row)
    {
        try
        {
            Write(row);
        }
        catch (IOException e)
        {
            throw NoRoom(e);
        }

        Rows++;
    }

    /// <summary>A disk that fills fails the run, which changes nothing, with what to do about it.</summary>
    private static SyncException NoRoom(IOException e) =>
        new($"the rows of a walked stream could not be kept for its second read ({e.Message}). Nothing was changed. Give {SyncOptions.Section}:SpillDirectory " +
            $"room for the stream's rows (about their size as text), or set {SyncOptions.Section}:WalkRereadsSource to true to read the source twice instead.");

    private void Write(RawRow row)
    {
        if (ReferenceEquals(row.Header, _header))
        {
            _writer.Write(SameHeader);
        }
        else
        {
            _writer.Write(NewHeader);
            _writer.Write7BitEncodedInt(row.Header.Columns.Count);
            foreach (var column in row.Header.Columns)
            {
                _writer.Write(column);
            }

            _header = row.Header;
        }

        _writer.Write7BitEncodedInt64(row.Number);
        _writer.Write(row.Location);
        WriteOptional(row.Problem);
        _writer.Write(row.CutOff);
        _writer.Write7BitEncodedInt(row.Values.Length);
        foreach (var value in row.Values)
        {
            WriteOptional(value);
        }
    }

    private void WriteOptional(string? value)
    {
        _writer.Write(value is not null);
        if (value is not null)
        {
            _writer.Write(value);
        }
    }

    /// <summary>The kept rows, in the order they were added; call once, after the last <see cref="Add"/>.</summary>
    public async IAsyncEnumerable<RawRow> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        try
        {
            _writer.Flush();
            _stream.Rewind(); // seals the last chunk: a write too
        }
        catch (IOException e)
        {
            throw NoRoom(e);
        }

        Progress.SetTotal(Rows, ProgressUnit.Rows);
        using var reader = new BinaryReader(_stream, Encoding.UTF8, leaveOpen: true);
        RowHeader? header = null;
        for (var i = 0L; i < Rows; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return Read(reader, ref header);
            if ((i & 0xFFF) == 0)
            {
                await Task.Yield(); // the reads are synchronous (a local file): now and then the thread goes back to the pool
            }
        }
    }

    private static RawRow Read(BinaryReader reader, ref RowHeader? header)
    {
        try
        {
            if (reader.ReadByte() == NewHeader)
            {
                var columns = new string[reader.Read7BitEncodedInt()];
                for (var c = 0; c < columns.Length; c++)
                {
                    columns[c] = reader.ReadString();
                }

                header = new RowHeader(columns);
            }

            var number = reader.Read7BitEncodedInt64();
            var location = reader.ReadString();
            var problem = ReadOptional(reader);
            var cutOff = reader.ReadBoolean();
            var values = new string?[reader.Read7BitEncodedInt()];
            for (var v = 0; v < values.Length; v++)
            {
                values[v] = ReadOptional(reader);
            }

            return new RawRow(header ?? throw new InvalidDataException("a spilled row came before any header"), values, number, location, problem) { CutOff = cutOff };
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or CryptographicException)
        {
            throw new SyncException($"the rows kept between a walk's two reads could not be read back ({e.Message}); nothing was changed, run the sync again");
        }
    }

    private static string? ReadOptional(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;

    public void Dispose()
    {
        _writer.Dispose();
        _stream.Dispose();
    }
}
