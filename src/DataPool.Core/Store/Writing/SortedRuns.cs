using System.Runtime.InteropServices;

namespace DataPool.Core.Store.Writing;

/// <summary>One entry of a key-ordered walk: a 64-bit key hash and two values that travel with it.</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly record struct WalkEntry(long Key, long First, long Second) : IComparable<WalkEntry>
{
    public int CompareTo(WalkEntry other) => Key.CompareTo(other.Key);
}

/// <summary>
/// Entries sorted by key in bounded memory: at most <c>runSize</c> of them are held; each full run is sorted and
/// spilled to a temporary file (<see cref="SpillFile"/>), and <see cref="Sorted"/> merges the runs back in one ordered
/// pass. No file outlives the run, however it ends.
/// </summary>
internal sealed class SortedRuns : IDisposable
{
    private const int ReadBuffer = 4_096;

    private readonly int _runSize;
    private readonly string _directory;
    private readonly List<(FileStream File, long Count)> _runs = [];
    private WalkEntry[] _buffer;
    private int _count;

    /// <param name="runSize">Entries held in memory at most (24 bytes each).</param>
    /// <param name="directory">Where spilled runs go; created if missing.</param>
    public SortedRuns(int runSize, string directory)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runSize, 1);
        _runSize = runSize;
        _directory = directory;
        _buffer = new WalkEntry[Math.Min(1_024, runSize)];
    }

    /// <summary>Runs spilled to disk so far (0: everything is still in memory).</summary>
    public int Spilled => _runs.Count;

    public void Add(WalkEntry entry)
    {
        if (_count == _buffer.Length)
        {
            if (_count >= _runSize)
            {
                Spill();
            }
            else
            {
                Array.Resize(ref _buffer, (int)Math.Min(_runSize, _buffer.Length * 2L));
            }
        }

        _buffer[_count++] = entry;
    }

    /// <summary>
    /// No more entries come: if runs were spilled, the last one is spilled too and the buffer let go, so that memory is
    /// free for what is sorted next. (Entries that never filled a run stay in memory, sorted when walked.)
    /// </summary>
    public void Seal()
    {
        if (_runs.Count > 0)
        {
            Spill();
            _buffer = [];
        }
    }

    /// <summary>Every entry added, by key (equal keys in no set order); call once, after the last <see cref="Add"/>.</summary>
    public IEnumerable<WalkEntry> Sorted()
    {
        if (_runs.Count == 0)
        {
            Array.Sort(_buffer, 0, _count);
            for (var i = 0; i < _count; i++)
            {
                yield return _buffer[i];
            }

            yield break;
        }

        Seal();
        var readers = _runs.Select(r => new RunReader(r.File, r.Count)).ToList();
        var next = new PriorityQueue<RunReader, long>(readers.Count);
        foreach (var reader in readers.Where(r => r.MoveNext()))
        {
            next.Enqueue(reader, reader.Current.Key);
        }

        while (next.TryDequeue(out var reader, out _))
        {
            yield return reader.Current;
            if (reader.MoveNext())
            {
                next.Enqueue(reader, reader.Current.Key);
            }
        }
    }

    private void Spill()
    {
        if (_count == 0)
        {
            return;
        }

        Array.Sort(_buffer, 0, _count);
        var file = SpillFile.Create(_directory, "run");
        _runs.Add((file, _count));
        file.Write(MemoryMarshal.AsBytes(_buffer.AsSpan(0, _count)));
        file.Flush();
        _count = 0;
    }

    public void Dispose()
    {
        foreach (var (file, _) in _runs)
        {
            file.Dispose();
        }

        _runs.Clear();
        _buffer = [];
    }

    /// <summary>One spilled run read back from its start, a buffer at a time.</summary>
    private sealed class RunReader(FileStream file, long count)
    {
        private readonly WalkEntry[] _buffer = new WalkEntry[ReadBuffer];
        private long _left = count;
        private int _filled;
        private int _at = -1;
        private bool _started;

        public WalkEntry Current => _buffer[_at];

        public bool MoveNext()
        {
            if (!_started)
            {
                file.Position = 0;
                _started = true;
            }

            if (++_at < _filled)
            {
                return true;
            }

            if (_left == 0)
            {
                return false;
            }

            _filled = (int)Math.Min(_buffer.Length, _left);
            file.ReadExactly(MemoryMarshal.AsBytes(_buffer.AsSpan(0, _filled)));
            _left -= _filled;
            _at = 0;
            return true;
        }
    }
}
