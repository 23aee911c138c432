using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using DataPool.Abstractions;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace DataPool.Connectors.Sql;

/// <summary>
/// The <c>sql</c> connector kind: streams the rows of one table, view or query of a SQLite or PostgreSQL
/// database through a <see cref="DbDataReader"/>, one row at a time, every value as invariant text.
/// An incremental stream reads only the rows whose cursor column is past the last checkpoint.
/// See README.md for the settings and the value formats.
/// </summary>
public sealed class SqlConnector(PoolStoreLocation? pool = null) : IConnector
{
    public string Kind => "sql";

    public async IAsyncEnumerable<RawRow> ReadAsync(
        ConnectorContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = SqlOptions.From(context, pool);
        var cursor = options.Cursor is null ? null : context.Cursor;

        await using var connection = options.CreateConnection();
        await OpenAsync(connection, options, cancellationToken);
        await using var transaction = await ReadOnlyAsync(connection, options, cancellationToken);

        await CountAsync(connection, transaction, options, cursor, context.Progress, cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = options.Statement(cursor);
        if (options.Cursor is not null && cursor is not null)
        {
            command.Parameters.Add(CursorParameter(options.Provider, cursor));
        }

        DbDataReader reader;
        try
        {
            reader = await command.ExecuteReaderAsync(cancellationToken);
        }
        catch (Exception ex) when (IsDatabaseFailure(ex))
        {
            throw Failure(options, $"the {options.Target} cannot be read", ex);
        }

        await using (reader)
        {
            var header = BuildHeader(reader);
            var formats = Enumerable.Range(0, reader.FieldCount).Select(i => SqlValues.FormatOf(reader, i)).ToArray();
            long number = 0;
            while (true)
            {
                bool more;
                try
                {
                    more = await reader.ReadAsync(cancellationToken);
                }
                catch (Exception ex) when (IsDatabaseFailure(ex))
                {
                    throw Failure(options, $"reading the {options.Target} failed after {number} rows", ex);
                }

                if (!more)
                {
                    break;
                }

                number++;
                yield return ToRow(reader, header, formats, number, options.Target);
            }
        }
    }

    /// <summary>
    /// The rows the read will deliver, counted first in the same read-only snapshot (PostgreSQL) so a run can show a
    /// percentage. A count that fails leaves the total unknown: the read itself then says what is wrong with the query
    /// (a statement the read-only guard refuses is refused there, with its own reason).
    /// </summary>
    private static async Task CountAsync(DbConnection connection, DbTransaction? transaction, SqlOptions options, string? cursor, ReadProgress progress,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = options.CountStatement(cursor);
        if (options.Cursor is not null && cursor is not null)
        {
            command.Parameters.Add(CursorParameter(options.Provider, cursor));
        }

        // A savepoint, so a count that fails does not abort the snapshot's transaction the read still needs.
        if (transaction is not null)
        {
            await transaction.SaveAsync("dp_count", cancellationToken);
        }

        try
        {
            progress.SetTotal(Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture), ProgressUnit.Rows);
        }
        catch (Exception ex) when (IsDatabaseFailure(ex))
        {
            // No total: the run shows rows read without a percentage.
            if (transaction is not null)
            {
                await transaction.RollbackAsync("dp_count", cancellationToken);
            }
        }
    }

    private static async Task OpenAsync(DbConnection connection, SqlOptions options, CancellationToken cancellationToken)
    {
        try
        {
            await connection.OpenAsync(cancellationToken);
        }
        catch (Exception ex) when (IsDatabaseFailure(ex))
        {
            throw Failure(options, "cannot connect", ex);
        }
    }

    /// <summary>
    /// SQLite: the read-only authorizer (no transaction needed). PostgreSQL: a READ ONLY transaction around the read,
    /// besides the session default, so even a statement that changes the default cannot write.
    /// </summary>
    private static async Task<DbTransaction?> ReadOnlyAsync(DbConnection connection, SqlOptions options, CancellationToken cancellationToken)
    {
        if (connection is SqliteConnection lite)
        {
            SqlSandbox.Guard(lite);
            return null;
        }

        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SET TRANSACTION READ ONLY";
            await command.ExecuteNonQueryAsync(cancellationToken);
            return transaction;
        }
        catch (Exception ex) when (IsDatabaseFailure(ex))
        {
            throw Failure(options, "cannot start a read-only transaction", ex);
        }
    }

    /// <summary>
    /// The checkpoint arrives as text. SQLite compares it by the column's affinity, so a number is bound
    /// as a number; PostgreSQL gets it untyped and casts it to the cursor column's type itself
    /// (integer, timestamp, date, text …).
    /// </summary>
    private static DbParameter CursorParameter(SqlProvider provider, string cursor)
    {
        if (provider == SqlProvider.Postgres)
        {
            return new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Unknown, Value = cursor };
        }

        object value = long.TryParse(cursor, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) ? whole
            : double.TryParse(cursor, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && !cursor.Contains('-', StringComparison.Ordinal) ? real
            : cursor;
        return new SqliteParameter("@dp_cursor", value);
    }

    private static bool IsDatabaseFailure(Exception ex) =>
        ex is DbException or SocketException or TimeoutException or IOException
        || (ex is InvalidOperationException && ex.InnerException is DbException or SocketException or TimeoutException);

    /// <summary>A message naming the database (never the connection string) and the driver's reason, passwords masked.</summary>
    private static ConnectorException Failure(SqlOptions options, string what, Exception ex)
    {
        var reason = ex switch
        {
            PostgresException pg => $"{pg.SqlState}: {pg.MessageText}",
            SqliteException lite => lite.Message,
            _ when ex.InnerException is { } inner && inner.Message != ex.Message => $"{ex.Message} ({inner.Message})",
            _ => ex.Message,
        };
        return new ConnectorException($"{options.ServerLabel}: {what}: {SqlSecrets.Redact(reason, options.ConnectionString)}");
    }

    /// <summary>Column names as the database reports them; a repeated or empty name gets a suffix so each is addressable.</summary>
    private static RowHeader BuildHeader(DbDataReader reader)
    {
        var names = new List<string>(reader.FieldCount);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < reader.FieldCount; i++)
        {
            names.Add(ColumnNames.Unique(reader.GetName(i), i + 1, taken));
        }

        return new RowHeader(names);
    }

    private static RawRow ToRow(DbDataReader reader, RowHeader header, SqlValueFormat[] formats, long number, string target)
    {
        var values = new string?[formats.Length];
        List<string>? problems = null;
        for (var i = 0; i < values.Length; i++)
        {
            try
            {
                values[i] = SqlValues.Read(reader, i, formats[i]);
            }
            catch (Exception ex) when (ex is InvalidCastException or OverflowException or FormatException or NotSupportedException)
            {
                // One unreadable value (a numeric beyond decimal's range, an odd type) concerns this row only.
                (problems ??= []).Add($"column '{header.Columns[i]}' cannot be read as text: {ex.Message}");
            }
        }

        return new RawRow(header, values, number, $"{target} row {number}", problems is null ? null : string.Join("; ", problems));
    }
}
