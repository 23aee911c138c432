using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DataPool.Benchmarks;

/// <summary>
/// What the pool occupies after the household register's three syncs, for the capacity plan (docs/scale.md): the
/// bytes of tables and their indexes, the largest tables, and the bytes per resident (persons live in the pool).
/// </summary>
internal sealed record StorageLine(string Store, long Bytes, long Persons, IReadOnlyList<(string Table, long Bytes)> Largest)
{
    public double BytesPerPerson => Persons == 0 ? double.NaN : (double)Bytes / Persons;

    public override string ToString() =>
        $"{Store} storage after the hukou syncs: {Bytes / 1048576.0:F0} MB for {Persons:N0} persons in the pool = {BytesPerPerson:N0} bytes per person" +
        (Largest.Count == 0 ? "" : "; largest: " + string.Join(", ", Largest.Select(t => $"{t.Table} {t.Bytes / 1048576.0:F0} MB")));
}

internal static class StoreStorage
{
    /// <summary>PostgreSQL: <c>pg_total_relation_size</c> (heap, TOAST and every index) of each table of the pool database.</summary>
    public static StorageLine Postgres(PostgresTarget store)
    {
        var connection = new NpgsqlConnectionStringBuilder(store.PoolConnection) { Pooling = false }.ToString();
        using var db = new NpgsqlConnection(connection);
        db.Open();
        var tables = new List<(string, long)>();
        using (var command = new NpgsqlCommand(
            "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
            "WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 2 DESC", db))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                tables.Add((reader.GetString(0), reader.GetInt64(1)));
            }
        }

        using var count = new NpgsqlCommand("SELECT count(*) FROM pool_person WHERE _deleted = 0", db);
        return new StorageLine(store.Name, tables.Sum(t => t.Item2), (long)count.ExecuteScalar()!, tables.Take(5).ToList());
    }

    /// <summary>SQLite: the pool folder's files (database and write-ahead log; the pool's tables and indexes are in them).</summary>
    public static StorageLine Sqlite(SqliteTarget store)
    {
        var files = Directory.EnumerateFiles(store.PoolDirectory, "*", SearchOption.AllDirectories).Select(f => new FileInfo(f)).ToList();
        var pool = Path.Combine(store.PoolDirectory, "pool.db");
        long persons = 0;
        if (File.Exists(pool))
        {
            using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = pool, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            db.Open();
            using var count = db.CreateCommand();
            count.CommandText = "SELECT count(*) FROM pool_person WHERE _deleted = 0";
            persons = Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        return new StorageLine(store.Name, files.Sum(f => f.Length), persons,
            files.OrderByDescending(f => f.Length).Take(3).Select(f => (Path.GetRelativePath(store.PoolDirectory, f.FullName), f.Length)).ToList());
    }

    public static StorageLine? Of(IStoreTarget store) => store switch
    {
        PostgresTarget postgres => Postgres(postgres),
        SqliteTarget sqlite => Sqlite(sqlite),
        _ => null,
    };
}
