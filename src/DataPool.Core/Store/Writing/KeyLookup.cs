using System.Data.Common;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace DataPool.Core.Store.Writing;

/// <summary>Reads the rows of many 64-bit keys from one table, two 64-bit columns each, as fast as the store allows.</summary>
internal interface IKeyLookup : IDisposable
{
    /// <summary>The (key, value) rows of these keys, in the run's transaction; a key without a row yields nothing.</summary>
    IEnumerable<(long Key, long Value)> Find(IReadOnlyCollection<long> keys);
}

internal static class KeyLookups
{
    public static IKeyLookup Open(DbConnection connection, DbTransaction transaction, SqlDialect dialect, string table, string keyColumn, string valueColumn) => connection switch
    {
        SqliteConnection sqlite => new SqliteKeyProbe(sqlite, table, keyColumn, valueColumn),
        _ => new ListKeyLookup(connection, transaction, dialect, table, keyColumn, valueColumn),
    };
}

/// <summary>
/// One prepared statement probed per key, in key order, straight on SQLite's C API: a list parameter (JSON parsed
/// into an ephemeral index, then probed) cost three times as much a key, and a million persons' rows without an ID
/// number look up five million block keys.
/// </summary>
internal sealed class SqliteKeyProbe : IKeyLookup
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public SqliteKeyProbe(SqliteConnection connection, string table, string keyColumn, string valueColumn)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        Check(raw.sqlite3_prepare_v2(_db, $"SELECT {keyColumn}, {valueColumn} FROM {table} WHERE {keyColumn} = ?1", out _statement));
    }

    public IEnumerable<(long Key, long Value)> Find(IReadOnlyCollection<long> keys)
    {
        var rows = new List<(long, long)>();
        var sorted = keys.ToArray();
        Array.Sort(sorted);
        foreach (var key in sorted)
        {
            Check(raw.sqlite3_bind_int64(_statement, 1, key));
            int step;
            while ((step = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW)
            {
                rows.Add((raw.sqlite3_column_int64(_statement, 0), raw.sqlite3_column_int64(_statement, 1)));
            }

            raw.sqlite3_reset(_statement);
            if (step != raw.SQLITE_DONE)
            {
                Check(step);
            }
        }

        return rows;
    }

    public void Dispose() => _statement.Dispose();

    private void Check(int rc) => SqliteResults.Check(_db, rc);
}

/// <summary>One query a call, the keys as one list parameter (an array on PostgreSQL: one round trip).</summary>
internal sealed class ListKeyLookup : IKeyLookup
{
    private readonly DbCommand _find;
    private readonly SqlDialect _dialect;

    public ListKeyLookup(DbConnection connection, DbTransaction transaction, SqlDialect dialect, string table, string keyColumn, string valueColumn)
    {
        _dialect = dialect;
        _find = connection.Command($"SELECT {keyColumn}, {valueColumn} FROM {table} WHERE {dialect.InList(keyColumn, "@keys")}", transaction);
        _find.AddParameter("@keys");
    }

    public IEnumerable<(long Key, long Value)> Find(IReadOnlyCollection<long> keys)
    {
        var rows = new List<(long, long)>();
        if (keys.Count == 0)
        {
            return rows;
        }

        _find.Parameters["@keys"].Value = _dialect.ListValue(keys);
        using var reader = _find.ExecuteReader();
        while (reader.Read())
        {
            rows.Add((reader.GetInt64(0), reader.GetInt64(1)));
        }

        return rows;
    }

    public void Dispose() => _find.Dispose();
}
