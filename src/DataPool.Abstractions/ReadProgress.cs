namespace DataPool.Abstractions;

/// <summary>What a connector's total is counted in, when it knows one.</summary>
public enum ProgressUnit
{
    /// <summary>No total is known: progress is rows read and rows per second only.</summary>
    Unknown,

    /// <summary>Rows (a trailer count, <c>COUNT(*)</c>): the pipeline counts the rows delivered against it.</summary>
    Rows,

    /// <summary>Bytes of a file: the connector reports how far it has read.</summary>
    Bytes,

    /// <summary>Pages of an API: the connector reports the pages fetched.</summary>
    Pages,
}

/// <summary>
/// An optional hook through which a connector says how much of a stream there is and how far it has got, so a run
/// can show a percentage and an ETA. A connector that never touches it leaves the total unknown; that is fine.
/// Written by the reading thread, read by whoever shows progress: values are published with volatile writes.
/// </summary>
public sealed class ReadProgress
{
    private long _total = -1;
    private long _position;
    private int _unit;

    /// <summary>The total, or null when unknown.</summary>
    public long? Total => Volatile.Read(ref _total) is var total and >= 0 ? total : null;

    /// <summary>How far the connector has read, in <see cref="Unit"/> (for <see cref="ProgressUnit.Rows"/> the pipeline counts instead).</summary>
    public long Position => Volatile.Read(ref _position);

    public ProgressUnit Unit => (ProgressUnit)Volatile.Read(ref _unit);

    /// <summary>The stream's size, once known (a file's length, a trailer's count, a total-pages field).</summary>
    public void SetTotal(long total, ProgressUnit unit)
    {
        Volatile.Write(ref _unit, (int)unit);
        Volatile.Write(ref _total, Math.Max(0, total));
    }

    /// <summary>How far the connector has read, in the unit of its total (bytes consumed, pages fetched).</summary>
    public void ReportPosition(long position) => Volatile.Write(ref _position, position);
}
