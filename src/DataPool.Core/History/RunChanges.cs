using DataPool.Core.Store;

namespace DataPool.Core.History;

/// <summary>
/// What one run changed in one entity: records created, updated, deleted (and restored), and the change-feed cursor
/// just before its first change (<c>/api/pool/{entity}/changes?since=</c> lists them from there).
/// </summary>
public sealed record RunEntityChanges(string Entity, long Created, long Updated, long Deleted, long Restored, string Since);

/// <summary>Reads the history rows one run wrote, counted per entity and kind of change.</summary>
public sealed class RunChanges(PoolDatabase database)
{
    public async Task<IReadOnlyList<RunEntityChanges>> OfRunAsync(long runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT entity, change, COUNT(*), MIN(id) FROM dp_history WHERE run_id = @run GROUP BY entity, change ORDER BY entity", null, ("@run", runId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new SortedDictionary<string, (Dictionary<string, long> Changes, long First)>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            var entity = reader.GetString(0);
            var (changes, first) = counts.TryGetValue(entity, out var seen) ? seen : (new Dictionary<string, long>(StringComparer.Ordinal), long.MaxValue);
            changes[reader.GetString(1)] = reader.GetInt64(2);
            counts[entity] = (changes, Math.Min(first, reader.GetInt64(3)));
        }

        return counts.Select(e => new RunEntityChanges(e.Key,
            e.Value.Changes.GetValueOrDefault(ChangeTypes.Created), e.Value.Changes.GetValueOrDefault(ChangeTypes.Updated),
            e.Value.Changes.GetValueOrDefault(ChangeTypes.Deleted), e.Value.Changes.GetValueOrDefault(ChangeTypes.Restored),
            ChangeFeed.Cursor(e.Value.First - 1))).ToList();
    }
}
