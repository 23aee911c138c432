using System.Data.Common;
using System.Globalization;
using DataPool.Core.Schema;
using DataPool.Core.Store;
using DataPool.Core.Store.Writing;

namespace DataPool.Core.Certificates;

/// <summary>One pool record as certificates and verification read it: values as text, live or deleted, with provenance.</summary>
public sealed record PoolRecord(long PoolId, bool Deleted, string? UpdatedAt, Dictionary<string, string?> Values, Dictionary<string, long> Provenance)
{
    public string? this[string field] => Values.GetValueOrDefault(field);
}

/// <summary>
/// The source record that supplied a value: its source, department, when the run that last changed it ended (the
/// import), and <see cref="RecordedAt"/>, when the department itself says the values were true (the stream's
/// <c>asOf</c> column; null when the source does not say).
/// </summary>
public sealed record ValueOrigin(string SourceId, string? SourceName, string? Department, string? At, string? RecordedAt = null);

/// <summary>
/// Reads pool records with their provenance, and the origins of their values: the one reader of golden records by a
/// column for certificates, verification and the household form. By one value it reads deleted records too (a deceased
/// or deregistered person's last values are what certificates of relationship and verification of "alive" rest on);
/// by a list of keys only live ones. Identifiers come from the schema catalog only; values go through parameters.
/// </summary>
public static class PoolRecords
{
    public static async Task<List<PoolRecord>> ReadAsync(DbConnection connection, PoolDatabase database, string entityName, string column, object value,
        CancellationToken cancellationToken, int limit = 100)
    {
        var entity = database.Catalog.Entity(entityName);
        if (column != EntityTables.PoolId && !entity.Fields.ContainsKey(column))
        {
            throw new ArgumentException($"{column} is not a field of {entityName}", nameof(column));
        }

        return await QueryAsync(connection, entity, $"{column} = @value", ("@value", value), $"{EntityTables.Deleted}, {EntityTables.PoolId} LIMIT {limit}", Text, cancellationToken);
    }

    public static async Task<PoolRecord?> FirstAsync(DbConnection connection, PoolDatabase database, string entityName, string column, object value, CancellationToken cancellationToken) =>
        (await ReadAsync(connection, database, entityName, column, value, cancellationToken, limit: 1)).FirstOrDefault();

    /// <summary>The live records whose <paramref name="column"/> is one of <paramref name="keys"/>, by pool id; each value as <paramref name="text"/> writes it.</summary>
    public static async Task<List<PoolRecord>> LiveAsync(DbConnection connection, PoolDatabase database, string entityName, string column, IReadOnlyCollection<string> keys,
        Func<PoolField, object, string?> text, CancellationToken cancellationToken)
    {
        var entity = database.Catalog.Entity(entityName);
        if (keys.Count == 0 || !entity.Fields.ContainsKey(column))
        {
            return [];
        }

        return await QueryAsync(connection, entity, $"{database.Dialect.InList(column, "@keys")} AND {EntityTables.Deleted} = 0",
            ("@keys", database.Dialect.ListValue(keys)), EntityTables.PoolId, text, cancellationToken);
    }

    /// <summary>Where the record's value of <paramref name="field"/> came from; null when the pool does not say.</summary>
    public static async Task<ValueOrigin?> OriginAsync(DbConnection connection, PoolRecord record, string field, CancellationToken cancellationToken) =>
        record.Provenance.TryGetValue(field, out var sourceRecord)
            ? (await OriginsWhereAsync(connection, "r.id = @ids", sourceRecord, cancellationToken)).GetValueOrDefault(sourceRecord)
            : null;

    /// <summary>The origin of every value of the records, by source record id.</summary>
    public static async Task<Dictionary<long, ValueOrigin>> OriginsAsync(DbConnection connection, PoolDatabase database, IEnumerable<PoolRecord> records, CancellationToken cancellationToken)
    {
        var ids = records.SelectMany(r => r.Provenance.Values).Distinct().ToArray();
        if (ids.Length == 0)
        {
            return [];
        }

        var (condition, value) = IdList(database.Dialect, "r.id", ids);
        return await OriginsWhereAsync(connection, condition, value, cancellationToken);
    }

    /// <summary>"column is one of these ids" as one parameter (the dialect's list form).</summary>
    private static (string Condition, object Value) IdList(SqlDialect dialect, string column, long[] ids) =>
        (dialect.InList(column, "@ids"), dialect.ListValue(ids));

    /// <summary>A value as certificates and verification read it: invariant text.</summary>
    private static string? Text(PoolField field, object value) => Convert.ToString(value, CultureInfo.InvariantCulture);

    private static async Task<List<PoolRecord>> QueryAsync(DbConnection connection, PoolEntity entity, string condition, (string, object?) parameter, string order,
        Func<PoolField, object, string?> text, CancellationToken cancellationToken)
    {
        var fields = entity.Fields.Values.ToList();
        await using var command = connection.Command(
            $"SELECT {EntityTables.PoolId}, {EntityTables.Deleted}, {EntityTables.UpdatedAt}, {EntityTables.Provenance}, {string.Join(", ", fields.Select(f => f.Name))} "
            + $"FROM {EntityTables.TableName(entity.Name)} WHERE {condition} ORDER BY {order}",
            null, parameter);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<PoolRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < fields.Count; i++)
            {
                values[fields[i].Name] = reader.IsDBNull(i + 4) ? null : text(fields[i], reader.GetValue(i + 4));
            }

            var provenance = GoldenColumns.ReadProvenance(reader.GetNullableString(3), values.Where(v => v.Value is not null).Select(v => v.Key));
            records.Add(new PoolRecord(reader.GetInt64(0), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture) != 0,
                reader.IsDBNull(2) ? null : Convert.ToString(reader.GetValue(2), CultureInfo.InvariantCulture), values, provenance));
        }

        return records;
    }

    private static async Task<Dictionary<long, ValueOrigin>> OriginsWhereAsync(DbConnection connection, string condition, object ids, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(
            $"""
            SELECT r.id, r.source_id, s.name, s.department, runs.finished_at, r.as_of
            FROM dp_source_records r
            LEFT JOIN dp_sources s ON s.id = r.source_id
            LEFT JOIN dp_runs runs ON runs.id = r.changed_run
            WHERE {condition}
            """, null, ("@ids", ids));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var origins = new Dictionary<long, ValueOrigin>();
        while (await reader.ReadAsync(cancellationToken))
        {
            origins[reader.GetInt64(0)] = new ValueOrigin(reader.GetString(1), reader.GetNullableString(2), reader.GetNullableString(3), reader.GetNullableString(4),
                Store.Writing.AsOfTimes.StatedTime(reader.GetNullableString(5)));
        }

        return origins;
    }
}
