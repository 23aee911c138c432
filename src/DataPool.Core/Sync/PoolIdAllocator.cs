using Microsoft.Data.Sqlite;

namespace DataPool.Core.Sync;

/// <summary>
/// Hands out pool ids and source record ids inside a run. The run holds SQLite's write lock for its
/// whole transaction, so nobody else can take an id meanwhile: counting in memory saves a round trip
/// per new record and lets new records be written in bulk.
/// </summary>
internal sealed class PoolIdAllocator(SqliteConnection connection, SqliteTransaction transaction, long runId)
{
    private readonly Dictionary<string, long> _next = new(StringComparer.Ordinal);

    public long RunId { get; } = runId;

    public long NextPoolId(string entity) => Next(Store.EntityTables.TableName(entity), Store.EntityTables.PoolId);

    public long NextRecordId() => Next("dp_source_records", "id");

    private long Next(string table, string column)
    {
        if (!_next.TryGetValue(table, out var next))
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"SELECT COALESCE(MAX({column}), 0) FROM {table}";
            next = (long)command.ExecuteScalar()! + 1;
        }

        _next[table] = next + 1;
        return next;
    }
}
