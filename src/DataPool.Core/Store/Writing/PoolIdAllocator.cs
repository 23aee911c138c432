using System.Data.Common;

namespace DataPool.Core.Store.Writing;

/// <summary>
/// Hands out pool ids and source record ids inside a run, so new records can be written in bulk
/// without a round trip each. SQLite: the run holds the only write lock for its whole transaction, so
/// counting on from the highest id is safe. PostgreSQL: other nodes write too, so ids come from the
/// tables' identity sequences, a block at a time.
/// </summary>
internal sealed class PoolIdAllocator(DbConnection connection, DbTransaction transaction, SqlDialect dialect, long runId)
{
    private const int Block = 1_000;
    private readonly Dictionary<string, Queue<long>> _blocks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _next = new(StringComparer.Ordinal);

    public long RunId { get; } = runId;

    public long NextPoolId(string entity) => Next(EntityTables.TableName(entity), EntityTables.PoolId);

    public long NextRecordId() => Next("dp_source_records", "id");

    private long Next(string table, string column)
    {
        if (dialect.IsPostgres)
        {
            if (!_blocks.TryGetValue(table, out var block) || block.Count == 0)
            {
                _blocks[table] = block = new Queue<long>(Block);
                using var take = connection.Command($"SELECT nextval(pg_get_serial_sequence('{table}', '{column}')) FROM generate_series(1, {Block})", transaction);
                using var reader = take.ExecuteReader();
                while (reader.Read())
                {
                    block.Enqueue(reader.GetInt64(0));
                }
            }

            return block.Dequeue();
        }

        if (!_next.TryGetValue(table, out var next))
        {
            using var command = connection.Command($"SELECT COALESCE(MAX({column}), 0) FROM {table}", transaction);
            next = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) + 1;
        }

        _next[table] = next + 1;
        return next;
    }
}
