using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace DataPool.Core.Store.Writing;

/// <summary>Writes new rows into one table, as fast as the store allows. The caller guarantees no key conflicts.</summary>
internal interface IBulkWriter : IDisposable
{
    void Add(params object?[] values);

    /// <summary>Makes every added row visible to the next query on the connection.</summary>
    void Flush();
}

/// <summary>The store's fastest way to insert many rows into one table, inside the connection's open transaction.</summary>
internal static class BulkWriters
{
    /// <param name="skipDuplicates">Rows whose key the table already holds are left out rather than failing.</param>
    public static IBulkWriter Open(System.Data.Common.DbConnection connection, string table, IReadOnlyList<string> columns, bool skipDuplicates = false) => connection switch
    {
        SqliteConnection sqlite => new SqliteBulkInsert(sqlite, table, columns, skipDuplicates),
        Npgsql.NpgsqlConnection postgres => new PostgresBulkCopy(postgres, table, columns, skipDuplicates),
        _ => throw new NotSupportedException(connection.GetType().Name),
    };
}

/// <summary>
/// Inserts rows into one table through a single prepared statement bound by position, straight on
/// SQLite's C API. Microsoft.Data.Sqlite binds every parameter by name on every execution, which costs
/// more than SQLite's own work per row; the pipeline's bulk writes go around it. The statement runs
/// inside the connection's open transaction like any other. The caller guarantees no key conflicts, or asks
/// for duplicates to be skipped.
/// </summary>
internal sealed class SqliteBulkInsert : IBulkWriter
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly int _columns;

    /// <param name="skipDuplicates">Rows whose key is already there are left out (<c>INSERT OR IGNORE</c>).</param>
    public SqliteBulkInsert(SqliteConnection connection, string table, IReadOnlyList<string> columns, bool skipDuplicates = false)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        _columns = columns.Count;
        var sql = $"INSERT{(skipDuplicates ? " OR IGNORE" : "")} INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "?" + (i + 1)))})";
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
    }

    public void Add(params object?[] values)
    {
        for (var i = 0; i < _columns; i++)
        {
            var index = i + 1;
            var rc = values[i] switch
            {
                null => raw.sqlite3_bind_null(_statement, index),
                long number => raw.sqlite3_bind_int64(_statement, index, number),
                int number => raw.sqlite3_bind_int64(_statement, index, number),
                decimal amount => raw.sqlite3_bind_text(_statement, index, amount.ToString(CultureInfo.InvariantCulture)),
                double real => raw.sqlite3_bind_double(_statement, index, real),
                string text => raw.sqlite3_bind_text(_statement, index, text),
                byte[] blob => raw.sqlite3_bind_blob(_statement, index, blob),
                var other => raw.sqlite3_bind_text(_statement, index, Convert.ToString(other, CultureInfo.InvariantCulture)),
            };
            Check(rc);
        }

        var step = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (step != raw.SQLITE_DONE)
        {
            Check(step);
        }
    }

    public void Flush()
    {
    }

    public void Dispose() => _statement.Dispose();

    private void Check(int rc) => SqliteResults.Check(_db, rc);
}

/// <summary>What a call on SQLite's C API returned, as Microsoft.Data.Sqlite reports a failure.</summary>
internal static class SqliteResults
{
    public static void Check(sqlite3 db, int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW))
        {
            throw new SqliteException($"SQLite Error {rc}: '{raw.sqlite3_errmsg(db).utf8_to_string()}'.", rc);
        }
    }
}
