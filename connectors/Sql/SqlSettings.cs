using System.Data.Common;
using System.Text.Json;
using System.Text.RegularExpressions;
using DataPool.Abstractions;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DataPool.Connectors.Sql;

/// <summary>
/// The <c>settings</c> of a <c>sql</c> source (contract: see DESIGN.md and this project's README). A
/// stream's own settings are merged over the source's by the pipeline, so <see cref="Table"/> or
/// <see cref="Query"/> usually sit on the stream and <see cref="Provider"/>/<see cref="Connection"/> on the source.
/// </summary>
/// <param name="Provider"><c>sqlite</c> or <c>postgres</c>.</param>
/// <param name="Connection">An ADO.NET connection string; secrets as <c>${env:NAME}</c> (resolved by the pipeline).</param>
/// <param name="Table">A table or view: a plain identifier, optionally schema-qualified (<c>hr.registrations</c>).</param>
/// <param name="Query">A SELECT taken as written (the administrator owns the definition); exclusive with <see cref="Table"/>.</param>
public sealed record SqlSettings(string? Provider = null, string? Connection = null, string? Table = null, string? Query = null);

/// <summary>The providers the connector speaks.</summary>
internal enum SqlProvider
{
    Sqlite,
    Postgres,
}

/// <summary>The settings checked and turned into what the reader needs; nothing here is ever echoed with the connection string.</summary>
internal sealed partial record SqlOptions(SqlProvider Provider, string ConnectionString, string Target, string Relation, string? Query, string? Cursor, string ServerLabel)
{
    public static SqlOptions From(ConnectorContext context, PoolStoreLocation? pool = null)
    {
        SqlSettings settings;
        try
        {
            settings = context.Bind<SqlSettings>();
        }
        catch (JsonException ex)
        {
            // The JSON path in the message ($.table, …) names the setting; values are not in it.
            throw new ConnectorException($"settings: {ex.Message}", ex);
        }

        var provider = settings.Provider?.Trim().ToLowerInvariant() switch
        {
            "sqlite" => SqlProvider.Sqlite,
            "postgres" or "postgresql" => SqlProvider.Postgres,
            null or "" => throw new ConnectorException("settings.provider: required (sqlite or postgres)"),
            _ => throw new ConnectorException($"settings.provider: '{settings.Provider}' is not a provider; use sqlite or postgres"),
        };

        var hasTable = !string.IsNullOrWhiteSpace(settings.Table);
        var hasQuery = !string.IsNullOrWhiteSpace(settings.Query);
        if (hasTable == hasQuery)
        {
            throw new ConnectorException(hasTable
                ? $"stream '{context.Stream.Name}': settings.table and settings.query are exclusive; give one"
                : $"stream '{context.Stream.Name}': settings.table or settings.query is required");
        }

        string relation, target;
        string? query = null;
        if (hasTable)
        {
            relation = QuoteTable(settings.Table!.Trim());
            target = $"table {settings.Table!.Trim()}";
        }
        else
        {
            // Taken as written, but as a subquery it cannot end with a statement separator.
            query = settings.Query!.Trim().TrimEnd(';').TrimEnd();
            if (query.Length == 0)
            {
                throw new ConnectorException("settings.query: the query is empty");
            }

            relation = $"({query}) AS dp_source";
            target = "query";
        }

        string? cursor = null;
        if (context.Stream.Mode == StreamModes.Incremental)
        {
            if (string.IsNullOrWhiteSpace(context.Stream.Cursor))
            {
                throw new ConnectorException($"stream '{context.Stream.Name}': an incremental stream needs a cursor column");
            }

            cursor = QuoteIdentifier(context.Stream.Cursor.Trim(), "cursor");
        }

        if (string.IsNullOrWhiteSpace(settings.Connection))
        {
            throw new ConnectorException("settings.connection: required");
        }

        var (connectionString, label) = provider == SqlProvider.Sqlite
            ? Sqlite(context, settings.Connection, pool)
            : Postgres(settings.Connection, pool);
        return new SqlOptions(provider, connectionString, target, relation, query, cursor, label);
    }

    /// <summary>The statement for the stream: all rows, or for an incremental stream the rows after the cursor in cursor order.</summary>
    public string Statement(string? cursorValue)
    {
        if (Cursor is null)
        {
            // A full read runs the query exactly as written (its own ORDER BY, CTEs, …).
            return Query ?? $"SELECT * FROM {Relation}";
        }

        if (cursorValue is null)
        {
            return $"SELECT * FROM {Relation} ORDER BY {Cursor}";
        }

        // PostgreSQL gets a positional parameter so Npgsql never rewrites the administrator's query text.
        var parameter = Provider == SqlProvider.Postgres ? "$1" : "@dp_cursor";
        return $"SELECT * FROM {Relation} WHERE {Cursor} > {parameter} ORDER BY {Cursor}";
    }

    /// <summary>How many rows <see cref="Statement"/> will return: the progress total (same relation, same cursor condition).</summary>
    public string CountStatement(string? cursorValue)
    {
        var where = Cursor is null || cursorValue is null ? "" : $" WHERE {Cursor} > {(Provider == SqlProvider.Postgres ? "$1" : "@dp_cursor")}";
        return $"SELECT COUNT(*) FROM {Relation}{where}";
    }

    /// <summary><c>name</c> or <c>schema.name</c>, each part a plain identifier, quoted.</summary>
    internal static string QuoteTable(string table)
    {
        var parts = table.Split('.');
        if (parts.Length > 2 || parts.Any(p => !Identifier().IsMatch(p)))
        {
            throw new ConnectorException($"settings.table: '{table}' is not a table name (letters, digits and _, optionally schema.table); use settings.query for anything else");
        }

        return string.Join('.', parts.Select(p => $"\"{p}\""));
    }

    internal static string QuoteIdentifier(string name, string setting)
    {
        if (!Identifier().IsMatch(name))
        {
            throw new ConnectorException($"{setting}: '{name}' is not a column name (letters, digits and _)");
        }

        return $"\"{name}\"";
    }

    // Letters of any script (legacy tables have Chinese column names), digits, _ and $; never a quote,
    // a dot, a space or a semicolon, so the quoted name cannot carry anything but a name.
    [GeneratedRegex(@"^[\p{L}_][\p{L}\p{Nd}_$]{0,62}$")]
    private static partial Regex Identifier();

    private static (string, string) Sqlite(ConnectorContext context, string connection, PoolStoreLocation? pool)
    {
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(connection);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new ConnectorException($"settings.connection: not a valid SQLite connection string ({SqlSecrets.Redact(ex.Message, connection)})");
        }

        var dataSource = builder.DataSource;
        if (string.IsNullOrWhiteSpace(dataSource))
        {
            throw new ConnectorException("settings.connection: 'Data Source' is required (the database file, relative to the definition's folder)");
        }

        if (dataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
        {
            throw new ConnectorException("settings.connection: an in-memory database holds nothing to read; give a database file");
        }

        var full = context.ResolvePath(dataSource, "connection");
        if (Directory.Exists(full))
        {
            throw new ConnectorException($"settings.connection: '{dataSource}' is a folder, not a database file");
        }

        if (!File.Exists(full))
        {
            throw new ConnectorException($"settings.connection: database file '{dataSource}' not found");
        }

        SqlSandbox.RefusePool(full, dataSource, pool);

        builder.DataSource = full;
        // Read only: a connector never creates or changes the legacy database. No pooling: the file is
        // released when the stream ends.
        builder.Mode = SqliteOpenMode.ReadOnly;
        builder.Pooling = false;
        return (builder.ConnectionString, $"SQLite database '{dataSource}'");
    }

    private static (string, string) Postgres(string connection, PoolStoreLocation? pool)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connection);
            _ = builder.ConnectionString;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new ConnectorException($"settings.connection: not a valid PostgreSQL connection string ({SqlSecrets.Redact(ex.Message, connection)})");
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new ConnectorException("settings.connection: 'Host' is required");
        }

        SqlSandbox.RefusePool(builder, pool);
        SqlSandbox.ReadOnly(builder);

        // Timestamps with time zone are read as UTC; the session agrees, so a cursor compares in UTC too.
        builder.Timezone = "UTC";
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "datapool";
        }

        var label = $"PostgreSQL database '{builder.Database ?? builder.Username}' on {builder.Host}:{builder.Port}";
        return (builder.ConnectionString, label);
    }

    public DbConnection CreateConnection() => Provider == SqlProvider.Sqlite
        ? new SqliteConnection(ConnectionString)
        : new NpgsqlConnection(ConnectionString);
}

/// <summary>Keeps passwords out of messages, whatever a driver put in them.</summary>
internal static class SqlSecrets
{
    private static readonly string[] SecretKeys = ["password", "pwd", "passwd", "secret", "token", "key", "apikey"];

    public static string Redact(string message, string connectionString)
    {
        foreach (var part in connectionString.Split(';'))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var key = part[..eq].Trim().Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
            var value = part[(eq + 1)..].Trim().Trim('\'', '"');
            if (value.Length > 0 && SecretKeys.Any(s => key.Contains(s, StringComparison.Ordinal)))
            {
                message = message.Replace(value, "***", StringComparison.Ordinal);
            }
        }

        return message.Replace(connectionString, "***", StringComparison.Ordinal);
    }
}
