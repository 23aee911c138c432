using DataPool.Core.Schema;
using DataPool.Core.Store;

namespace DataPool.Core.History;

/// <summary>
/// A pool record through time, from <c>dp_history</c>: every change it went through, and its values as they
/// stood at any moment ("as of"), replayed from its creation with each run's time.
/// </summary>
public sealed class PoolHistory(PoolDatabase database, SchemaCatalog catalog)
{
    /// <summary>
    /// Every change of the record, oldest first, with those of the records merged into it (each entry names its own
    /// pool id): a person's past does not vanish when a duplicate of it is merged away. Empty when the record never existed.
    /// </summary>
    public Task<IReadOnlyList<HistoryEntry>> HistoryAsync(string entity, long poolId, CancellationToken cancellationToken) =>
        ReadAsync(entity, poolId, merged: true, cancellationToken);

    private async Task<IReadOnlyList<HistoryEntry>> ReadAsync(string entity, long poolId, bool merged, CancellationToken cancellationToken)
    {
        if (!catalog.Entities.ContainsKey(entity))
        {
            return [];
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        // Redirects point straight at the survivor (a merge re-points those into the merged id), so one level finds every merged record.
        var mergedIn = merged ? " OR h.pool_id IN (SELECT from_pool FROM dp_match_redirects WHERE entity = @entity AND to_pool = @pool)" : "";
        await using var command = connection.Command(
            $"SELECT {HistoryRows.Columns} FROM {HistoryRows.From} WHERE h.entity = @entity AND (h.pool_id = @pool{mergedIn}) ORDER BY h.id", null,
            ("@entity", entity), ("@pool", poolId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<HistoryEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(HistoryRows.Read(reader));
        }

        return entries;
    }

    /// <summary>
    /// The record's values at <paramref name="at"/> (every field of the entity, null where it had none); null when
    /// the record did not exist yet or was deleted then.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string?>?> AsOfAsync(string entity, long poolId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (!catalog.Entities.TryGetValue(entity, out var schema))
        {
            return null;
        }

        // Times are compared parsed, not as text: writers need not agree on one timestamp format.
        // The record's own changes only: a merged record's values were never this record's.
        var entries = (await ReadAsync(entity, poolId, merged: false, cancellationToken)).TakeWhile(e => e.At <= at);
        return Replay(schema, entries);
    }

    /// <summary>Applies changes in order: a creation sets the values, later changes set each field's new value.</summary>
    internal static IReadOnlyDictionary<string, string?>? Replay(PoolEntity schema, IEnumerable<HistoryEntry> entries)
    {
        Dictionary<string, string?>? values = null;
        var deleted = false;
        foreach (var entry in entries.Where(e => HistoryKinds.ChangesValues(e.Change)))
        {
            if (entry.Change == HistoryKinds.Created || values is null)
            {
                values = schema.Fields.Keys.ToDictionary(f => f, _ => (string?)null, StringComparer.Ordinal);
            }

            foreach (var (field, change) in entry.Changes)
            {
                if (values.ContainsKey(field))
                {
                    values[field] = change.New;
                }
            }

            deleted = entry.Change == HistoryKinds.Deleted;
        }

        return values is null || deleted ? null : values;
    }
}
