using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using DataPool.Core.Store;

namespace DataPool.Core.Certificates;

/// <summary>One pool record as certificates and verification read it: values as text, live or deleted, with provenance.</summary>
public sealed record PoolRecord(long PoolId, bool Deleted, string? UpdatedAt, Dictionary<string, string?> Values, Dictionary<string, long> Provenance)
{
    public string? this[string field] => Values.GetValueOrDefault(field);
}

/// <summary>The source record that supplied a value: its source, department, and when the run that last changed it ended.</summary>
public sealed record ValueOrigin(string SourceId, string? SourceName, string? Department, string? At);

/// <summary>
/// Reads pool records by one column, including deleted ones (a deceased or deregistered person's last values are what
/// certificates of relationship and verification of "alive" rest on), and the origins of their values.
/// </summary>
public static class PoolRecords
{
    public static async Task<List<PoolRecord>> ReadAsync(DbConnection connection, PoolDatabase database, string entityName, string column, object value,
        CancellationToken cancellationToken, int limit = 100)
    {
        // Identifiers come from the schema catalog only; the value goes through a parameter.
        var entity = database.Catalog.Entity(entityName);
        if (column != EntityTables.PoolId && !entity.Fields.ContainsKey(column))
        {
            throw new ArgumentException($"{column} is not a field of {entityName}", nameof(column));
        }

        var fields = entity.Fields.Values.ToList();
        await using var command = connection.Command(
            $"SELECT {EntityTables.PoolId}, {EntityTables.Deleted}, {EntityTables.UpdatedAt}, {EntityTables.Provenance}, {string.Join(", ", fields.Select(f => f.Name))} "
            + $"FROM {EntityTables.TableName(entity.Name)} WHERE {column} = @value ORDER BY {EntityTables.Deleted}, {EntityTables.PoolId} LIMIT {limit}",
            null, ("@value", value));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<PoolRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < fields.Count; i++)
            {
                values[fields[i].Name] = reader.IsDBNull(i + 4) ? null : Convert.ToString(reader.GetValue(i + 4), CultureInfo.InvariantCulture);
            }

            var provenance = reader.IsDBNull(3) ? [] : JsonSerializer.Deserialize<Dictionary<string, long>>(reader.GetString(3)) ?? [];
            records.Add(new PoolRecord(reader.GetInt64(0), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture) != 0,
                reader.IsDBNull(2) ? null : Convert.ToString(reader.GetValue(2), CultureInfo.InvariantCulture), values, provenance));
        }

        return records;
    }

    public static async Task<PoolRecord?> FirstAsync(DbConnection connection, PoolDatabase database, string entityName, string column, object value, CancellationToken cancellationToken) =>
        (await ReadAsync(connection, database, entityName, column, value, cancellationToken, limit: 1)).FirstOrDefault();

    /// <summary>Where the record's value of <paramref name="field"/> came from; null when the pool does not say.</summary>
    public static async Task<ValueOrigin?> OriginAsync(DbConnection connection, PoolRecord record, string field, CancellationToken cancellationToken)
    {
        if (!record.Provenance.TryGetValue(field, out var sourceRecord))
        {
            return null;
        }

        await using var command = connection.Command(
            """
            SELECT r.source_id, s.name, s.department, runs.finished_at
            FROM dp_source_records r
            LEFT JOIN dp_sources s ON s.id = r.source_id
            LEFT JOIN dp_runs runs ON runs.id = r.changed_run
            WHERE r.id = @id
            """, null, ("@id", sourceRecord));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ValueOrigin(reader.GetString(0), reader.GetNullableString(1), reader.GetNullableString(2), reader.GetNullableString(3))
            : null;
    }
}
