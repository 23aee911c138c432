using DataPool.Abstractions;
using DataPool.Core.Schema;
using DataPool.Core.Sources;
using DataPool.Core.Store.Writing;

namespace DataPool.Core.Sync;

/// <summary>One row as a dry run sees it: the values it would bring, values flagged, and why it would be quarantined.</summary>
public sealed record CheckedRow(string Stream, string Location, IReadOnlyDictionary<string, string?> Values, IReadOnlyDictionary<string, FlaggedValue> Flags, IReadOnlyList<string> Reasons);

/// <summary>The outcome of a dry run over every stream of a source.</summary>
public sealed record CheckResult(string SourceId, IReadOnlyList<CheckedRow> Rows, IReadOnlyList<CheckedRow> Errors, long Read, long Bad, string? Failure)
{
    public bool Passed => Failure is null;
}

/// <summary>
/// The dry run behind <c>check</c>: reads every row through the same mapping and rules as a sync and
/// reports the first mapped rows and the bad ones, writing nothing.
/// </summary>
public sealed class SourceChecker(SchemaCatalog catalog, IEnumerable<IConnector> connectors, Values.TextOptions? text = null)
{
    private const int MaxErrors = 200;
    private readonly Dictionary<string, IConnector> _connectors = connectors.ToDictionary(c => c.Kind, StringComparer.Ordinal);

    public async Task<CheckResult> CheckAsync(LoadedSource source, int rows, CancellationToken cancellationToken = default)
    {
        var definition = source.Definition;
        var shown = new List<CheckedRow>();
        var errors = new List<CheckedRow>();
        long read = 0, bad = 0;
        try
        {
            var connector = _connectors.TryGetValue(definition.Kind, out var c) ? c : throw new SyncException($"kind '{definition.Kind}' has no registered connector");
            foreach (var stream in definition.Streams)
            {
                var plan = new StreamPlan(stream, catalog, (text ?? Values.TextOptions.Default).ControlCharacters);
                var context = source.ContextFor(stream);
                RowHeader? checkedHeader = null;
                await foreach (var row in connector.ReadAsync(context, cancellationToken))
                {
                    read++;
                    if (!ReferenceEquals(checkedHeader, row.Header))
                    {
                        plan.RequireColumns(row.Header);
                        checkedHeader = row.Header;
                    }

                    var checkedRow = Check(plan, row);
                    if (checkedRow.Reasons.Count > 0)
                    {
                        bad++;
                        if (errors.Count < MaxErrors)
                        {
                            errors.Add(checkedRow);
                        }
                    }

                    if (shown.Count < rows)
                    {
                        shown.Add(checkedRow);
                    }
                }
            }
        }
        catch (Exception e) when (e is ConnectorException or SyncException or SourceDefinitionException or IOException)
        {
            // A connector may quote a setting (a path, a URL) that holds a resolved ${env:…} secret.
            return new CheckResult(definition.Id, shown, errors, read, bad, source.MaskSecrets(e.Message));
        }

        return new CheckResult(definition.Id, shown, errors, read, bad, null);
    }

    private static CheckedRow Check(StreamPlan plan, RawRow row)
    {
        if (row.Problem is not null)
        {
            return new CheckedRow(plan.Stream.Name, row.Location, new Dictionary<string, string?>(), new Dictionary<string, FlaggedValue>(), [row.Problem]);
        }

        var verdict = plan.Judge(row);
        var values = plan.Plans.ToDictionary(p => p.Name, p => verdict.Values.GetValueOrDefault(p.Name), StringComparer.Ordinal);
        return new CheckedRow(plan.Stream.Name, row.Location, values, verdict.Flags ?? new Dictionary<string, FlaggedValue>(), verdict.Reasons);
    }
}
