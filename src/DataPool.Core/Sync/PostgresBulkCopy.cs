using Npgsql;
using NpgsqlTypes;

namespace DataPool.Core.Sync;

/// <summary>
/// Buffers a batch of rows for one table and writes them with one binary COPY: PostgreSQL's fastest
/// way in. The COPY runs inside the run's transaction, so a failed run leaves nothing behind.
/// </summary>
internal sealed class PostgresBulkCopy(NpgsqlConnection connection, string table, IReadOnlyList<string> columns) : IBulkWriter
{
    private readonly string _copy = $"COPY {table} ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)";
    private readonly List<object?[]> _rows = [];

    public void Add(params object?[] values) => _rows.Add(values);

    public void Flush()
    {
        if (_rows.Count == 0)
        {
            return;
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

        _rows.Clear();
    }

    public void Dispose() => _rows.Clear();
}
