namespace DataPool.Abstractions;

/// <summary>The column names of a stream, shared by all its rows.</summary>
public sealed class RowHeader
{
    private readonly Dictionary<string, int> _index;

    public RowHeader(IReadOnlyList<string> columns)
    {
        Columns = columns;
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < columns.Count; i++)
        {
            _index.TryAdd(columns[i], i);
        }
    }

    public IReadOnlyList<string> Columns { get; }

    public bool TryGetIndex(string column, out int index) => _index.TryGetValue(column, out index);
}

/// <summary>
/// One row as the legacy system holds it: text values by column, where it came from, and a problem
/// that concerns this row only (the pipeline quarantines such a row with the reason).
/// </summary>
/// <param name="Header">The stream's column names.</param>
/// <param name="Values">One value per header column; null where the row has no such cell.</param>
/// <param name="Number">1-based number of the row among the data rows of the stream.</param>
/// <param name="Location">Where a person finds the row, e.g. <c>persons.csv line 12</c> or <c>楼1!A7</c>.</param>
/// <param name="Problem">Why the row cannot be read as it stands, e.g. a ragged line; null when fine.</param>
public sealed record RawRow(RowHeader Header, string?[] Values, long Number, string Location, string? Problem = null)
{
    /// <summary>The value of a column, or null when the column is absent or the cell empty.</summary>
    public string? this[string column] =>
        Header.TryGetIndex(column, out var i) && i < Values.Length ? Values[i] : null;

    public bool HasColumn(string column) => Header.TryGetIndex(column, out _);

    /// <summary>
    /// Set on the last row of a stream when that row ends mid-record (missing fields, a quote left open, no
    /// line break): the export may have been cut off in transfer. A full sync then deletes nothing unless an
    /// admin confirms, because rows missing from a cut-off file are not rows gone at the source.
    /// </summary>
    public bool CutOff { get; init; }
}
