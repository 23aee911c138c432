using Npgsql;
using NpgsqlTypes;

namespace DataPool.Core.Store.Writing;

/// <summary>
/// Buffers a batch of rows for one table and writes them with one binary COPY: PostgreSQL's fastest
/// way in. The COPY runs inside the run's transaction, so a failed run leaves nothing behind. COPY cannot
/// skip rows whose key is already there: asked to, it copies into a temporary table dropped at commit and
/// moves the rows on with <c>ON CONFLICT DO NOTHING</c>.
/// </summary>
internal sealed class PostgresBulkCopy(NpgsqlConnection connection, string table, IReadOnlyList<string> columns, bool skipDuplicates = false) : IBulkWriter
{
    private readonly string _copy = $"COPY {(skipDuplicates ? Staging(table) : table)} ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)";
    private readonly List<object?[]> _rows = [];

    private static string Staging(string table) => "dp_staged_" + table;

    public void Add(params object?[] values) => _rows.Add(values);

    public void Flush()
    {
        if (_rows.Count == 0)
        {
            return;
        }

        if (skipDuplicates)
        {
            // Each flush asks again: the table is dropped with the transaction that made it.
            Execute($"CREATE TEMP TABLE IF NOT EXISTS {Staging(table)} (LIKE {table}) ON COMMIT DROP");
        }

        using (var importer = connection.BeginBinaryImport(_copy))
        {
            foreach (var row in _rows)
            {
                importer.StartRow();
                foreach (var value in row)
                {
                    switch (value)
                    {
                        case null:
                            importer.WriteNull();
                            break;
                        case long number:
                            importer.Write(number, NpgsqlDbType.Bigint);
                            break;
                        case int number:
                            importer.Write((long)number, NpgsqlDbType.Bigint);
                            break;
                        case byte[] blob:
                            importer.Write(blob, NpgsqlDbType.Bytea);
                            break;
                        case decimal amount:
                            importer.Write(amount, NpgsqlDbType.Numeric);
                            break;
                        default:
                            importer.Write(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!, NpgsqlDbType.Text);
                            break;
                    }
                }
            }

            importer.Complete();
        }

        if (skipDuplicates)
        {
            var list = string.Join(", ", columns);
            Execute($"INSERT INTO {table} ({list}) SELECT {list} FROM {Staging(table)} ON CONFLICT DO NOTHING; DELETE FROM {Staging(table)}");
        }

        _rows.Clear();
    }

    private void Execute(string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    public void Dispose() => _rows.Clear();
}
