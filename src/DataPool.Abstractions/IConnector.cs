namespace DataPool.Abstractions;

/// <summary>
/// A connector kind: reads one stream of a legacy system as raw rows, one at a time.
/// Connectors never retry, quarantine or log: they let exceptions propagate and the pipeline owns the rest.
/// A problem confined to one row (a ragged CSV line, an unreadable cell) is reported on that row
/// through <see cref="RawRow.Problem"/> so the pipeline can quarantine it and go on.
/// </summary>
public interface IConnector
{
    /// <summary>The <c>kind</c> a source definition names, e.g. <c>csv</c>.</summary>
    string Kind { get; }

    /// <summary>Streams the rows of one stream; never loads the whole source.</summary>
    IAsyncEnumerable<RawRow> ReadAsync(ConnectorContext context, CancellationToken cancellationToken);
}
