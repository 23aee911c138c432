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
    private const int FirstBlock = 1_000, LargestBlock = 16_000;
    private readonly Dictionary<string, Queue<long>> _blocks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _next = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _sequences = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _sizes = new(StringComparer.Ordinal);

    public long RunId { get; } = runId;

    public long NextPoolId(string entity) => Next(EntityTables.TableName(entity), EntityTables.PoolId);

    public long NextRecordId() => Next("dp_source_records", "id");

    private long Next(string table, string column)
    {
        if (dialect.IsPostgres)
        {
            if (!_blocks.TryGetValue(table, out var block) || block.Count == 0)
            {
                // A run that keeps asking gets larger blocks: a round trip per thousand ids was half a second of a large load.
                var size = _sizes[table] = _sizes.TryGetValue(table, out var last) ? Math.Min(2 * last, LargestBlock) : FirstBlock;
                _blocks[table] = block = new Queue<long>(size);
                // The sequence is named once: pg_get_serial_sequence per row made a block ten times dearer than the ids themselves.
                using var take = connection.Command($"SELECT nextval(@sequence::regclass) FROM generate_series(1, {size})", transaction);
                take.AddParameter("@sequence", Sequence(table, column));
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

    private string Sequence(string table, string column)
    {
        if (!_sequences.TryGetValue(table, out var sequence))
        {
            using var name = connection.Command($"SELECT pg_get_serial_sequence('{table}', '{column}')", transaction);
            _sequences[table] = sequence = (string)name.ExecuteScalar()!;
        }

        return sequence;
    }
}
