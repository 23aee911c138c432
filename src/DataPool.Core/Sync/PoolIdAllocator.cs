using Microsoft.Data.Sqlite;

namespace DataPool.Core.Sync;

/// <summary>
/// Hands out pool ids inside a run. The run holds SQLite's write lock for its whole transaction, so
/// nobody else can take an id meanwhile: counting in memory saves a round trip per new record.
/// </summary>
internal sealed class PoolIdAllocator(SqliteConnection connection, SqliteTransaction transaction, long runId)
{
    private readonly Dictionary<string, long> _next = new(StringComparer.Ordinal);

    public long RunId { get; } = runId;

    public long Next(string entity)
    {
        if (!_next.TryGetValue(entity, out var next))
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"SELECT COALESCE(MAX({Store.EntityTables.PoolId}), 0) FROM {Store.EntityTables.TableName(entity)}";
            next = (long)command.ExecuteScalar()! + 1;
        }

        _next[entity] = next + 1;
        return next;
    }
}
