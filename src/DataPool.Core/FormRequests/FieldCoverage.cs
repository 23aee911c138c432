using DataPool.Abstractions;
using DataPool.Core.Forms;
using DataPool.Core.Schema;
using DataPool.Core.Sources;
using DataPool.Core.Store;

namespace DataPool.Core.FormRequests;

/// <summary>A field a department proposes to collect from communities.</summary>
public sealed record ProposedField(string? Label, string? Hint);

/// <summary>
/// Where a proposed field can come from: <c>pool</c> (a pool field holding values now), <c>connected</c> (a pool field no
/// source fills yet, or a column a registered source exports but does not map), or <c>new</c> (truly new: only then may
/// it be added to the unified form).
/// </summary>
public sealed record FieldCoverageResult(string Label, string? Hint, string Coverage, string? PoolField, string? Source, string? Column);

/// <summary>Each field's coverage, and notes on sources that could not be looked at (e.g. settings that cannot be resolved here).</summary>
public sealed record CoverageAnswer(IReadOnlyList<FieldCoverageResult> Fields, IReadOnlyList<string> Notes);

/// <summary>
/// Matches proposed labels to what the pool and its sources know: a label <see cref="FieldLabels"/> knows names a pool
/// field; otherwise it is looked for among the columns the registered sources export but do not map.
/// </summary>
public sealed class FieldCoverage(SchemaCatalog schema, FieldLabels labels, PoolDatabase database, SourceRegistry registry, IEnumerable<IConnector> connectors)
{
    public const string Pool = "pool";
    public const string Connected = "connected";
    public const string New = "new";

    public async Task<CoverageAnswer> CoverAsync(IReadOnlyList<ProposedField> fields, CancellationToken cancellationToken)
    {
        var known = labels.Known();
        var notes = new List<string>();
        var columns = await UnmappedColumnsAsync(notes, cancellationToken);
        var results = new List<FieldCoverageResult>();
        foreach (var field in fields)
        {
            var label = field.Label!.Trim();
            var key = FieldLabels.Normalise(label);
            if (known.TryGetValue(key, out var poolField))
            {
                var filled = await FilledAsync(poolField, cancellationToken);
                results.Add(new FieldCoverageResult(label, field.Hint, filled ? Pool : Connected, poolField, null, null));
            }
            else if (columns.TryGetValue(key, out var column))
            {
                results.Add(new FieldCoverageResult(label, field.Hint, Connected, null, column.Source, column.Column));
            }
            else
            {
                results.Add(new FieldCoverageResult(label, field.Hint, New, null, null, null));
            }
        }

        return new CoverageAnswer(results, notes);
    }

    private async Task<bool> FilledAsync(string reference, CancellationToken cancellationToken)
    {
        if (!PoolFieldRef.TryResolve(schema, reference, out var resolved))
        {
            return false;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        // Identifiers from the schema catalog only.
        return await connection.ScalarAsync<long>(
            $"SELECT COUNT(*) FROM (SELECT 1 FROM {EntityTables.TableName(resolved.Entity.Name)} WHERE {resolved.Field.Name} IS NOT NULL AND {EntityTables.Deleted} = 0 LIMIT 1) AS filled",
            null, cancellationToken) > 0;
    }

    /// <summary>The columns each registered source exports (its first row's header) that none of its mappings reads.</summary>
    private async Task<Dictionary<string, (string Source, string Column)>> UnmappedColumnsAsync(List<string> notes, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        var byKind = connectors.ToDictionary(c => c.Kind, StringComparer.Ordinal);
        foreach (var id in await registry.IdsAsync(cancellationToken))
        {
            var source = await registry.GetAsync(id, cancellationToken);
            if (source is null || !byKind.TryGetValue(source.Definition.Kind, out var connector) || source.Definition.Kind == FormSubmissionConnector.KindName)
            {
                continue;
            }

            foreach (var stream in source.Definition.Streams)
            {
                var mapped = stream.Fields.Values.SelectMany(f => f.From).ToHashSet(StringComparer.Ordinal);
                ConnectorContext context;
                try
                {
                    context = source.ContextFor(stream);
                }
                catch (SourceDefinitionException e)
                {
                    // E.g. a ${env:…} set only where the source syncs (the demo's health API): the gate goes on without it.
                    notes.Add($"source '{id}' stream '{stream.Name}' was not looked at: its settings cannot be resolved here ({string.Join("; ", e.Errors.Select(x => x.Message))})");
                    continue;
                }

                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    timeout.CancelAfter(TimeSpan.FromSeconds(5));
                    await foreach (var row in connector.ReadAsync(context, timeout.Token))
                    {
                        foreach (var column in row.Header.Columns.Where(c => !mapped.Contains(c)))
                        {
                            found.TryAdd(FieldLabels.Normalise(column), (id, column));
                        }

                        break;
                    }
                }
                catch (Exception e) when (e is ConnectorException or IOException or OperationCanceledException or HttpRequestException or InvalidOperationException)
                {
                    // A source that cannot be read right now simply offers no columns.
                }
            }
        }

        return found;
    }
}
