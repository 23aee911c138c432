using System.Globalization;
using Microsoft.Data.Sqlite;

namespace DataPool.Server.Tests;

/// <summary>Reads the embedded pool (<c>&lt;data&gt;/pool.db</c>) the executable wrote, read-only.</summary>
public static class PoolDb
{
    public static string File(string data) => Path.Combine(data, "pool.db");

    /// <summary>Rows in a table; 0 when the database or the table does not exist.</summary>
    public static long Count(string data, string table)
    {
        if (!System.IO.File.Exists(File(data)))
        {
            return 0;
        }

        using var connection = Open(data);
        using var exists = connection.CreateCommand();
        exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
        exists.Parameters.AddWithValue("$name", table);
        if (Convert.ToInt64(exists.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
        {
            return 0;
        }

        using var count = connection.CreateCommand();
        count.CommandText = $"SELECT count(*) FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
        return Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>The values of one column of a table, in rowid order.</summary>
    public static List<string?> Column(string data, string table, string column)
    {
        using var connection = Open(data);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT \"{column}\" FROM \"{table}\" ORDER BY rowid";
        using var reader = command.ExecuteReader();
        var values = new List<string?>();
        while (reader.Read())
        {
            values.Add(reader.IsDBNull(0) ? null : Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture));
        }

        return values;
    }

    private static SqliteConnection Open(string data)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = File(data),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }
}
