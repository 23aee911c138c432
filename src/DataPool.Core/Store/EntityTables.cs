using System.Data.Common;
using DataPool.Core.Schema;

namespace DataPool.Core.Store;

/// <summary>
/// Generates one table per pool entity from the schema files. Adding an entity or a field migrates
/// itself; removing a field, changing its type or changing the key is refused, naming the field,
/// because it would drop or reinterpret data already in the pool.
/// </summary>
public static class EntityTables
{
    public const string PoolId = "pool_id";
    public const string Provenance = "_provenance";
    public const string CreatedRun = "_created_run";
    public const string UpdatedRun = "_updated_run";
    public const string UpdatedAt = "_updated_at";
    public const string Deleted = "_deleted";

    public static string TableName(string entity) => "pool_" + entity;

    /// <summary>Dates stay ISO text on both stores: they order correctly and read back exactly as written.</summary>
    public static string ColumnType(string fieldType, SqlDialect dialect) => fieldType switch
    {
        FieldTypes.Int or FieldTypes.Bool => dialect.BigInt,
        FieldTypes.Decimal => "NUMERIC",
        _ => "TEXT",
    };

    public static async Task MigrateAsync(DbConnection connection, DbTransaction transaction, SchemaCatalog catalog, SqlDialect dialect, CancellationToken cancellationToken)
    {
        var stored = await ReadStoredFieldsAsync(connection, transaction, cancellationToken);
        var breaking = new List<string>();
        foreach (var (entityName, fields) in stored)
        {
            if (!catalog.Entities.TryGetValue(entityName, out var entity))
            {
                breaking.Add($"entity '{entityName}' was removed from schemas/pool but the pool holds its table {TableName(entityName)}");
                continue;
            }

            foreach (var (fieldName, (type, isKey)) in fields)
            {
                if (!entity.Fields.TryGetValue(fieldName, out var field))
                {
                    breaking.Add($"{entityName}.{fieldName}: the field was removed from schemas/pool/{entityName}.json but the pool holds it");
                }
                else if (field.Type != type)
                {
                    breaking.Add($"{entityName}.{fieldName}: type changed from '{type}' to '{field.Type}'");
                }
                else if (isKey != entity.Key.Contains(fieldName))
                {
                    breaking.Add($"{entityName}.{fieldName}: {(isKey ? "is no longer" : "became")} part of the entity key");
                }
            }
        }

        if (breaking.Count > 0)
        {
            throw new SchemaException("breaking schema change refused (the pool was left as it was):" + Environment.NewLine
                + string.Join(Environment.NewLine, breaking.Select(b => "  " + b)));
        }

        foreach (var entity in catalog.Entities.Values)
        {
            if (!stored.TryGetValue(entity.Name, out var existing))
            {
                await CreateAsync(connection, transaction, entity, dialect, cancellationToken);
                continue;
            }

            foreach (var field in entity.Fields.Values.Where(f => !existing.ContainsKey(f.Name)))
            {
                await connection.ExecuteAsync(
                    $"ALTER TABLE {TableName(entity.Name)} ADD COLUMN {field.Name} {ColumnType(field.Type, dialect)}", transaction, cancellationToken);
                await RecordFieldAsync(connection, transaction, entity, field, cancellationToken);
            }
        }
    }

    private static async Task CreateAsync(DbConnection connection, DbTransaction transaction, PoolEntity entity, SqlDialect dialect, CancellationToken cancellationToken)
    {
        var table = TableName(entity.Name);
        var columns = entity.Fields.Values.Select(f => $"{f.Name} {ColumnType(f.Type, dialect)}");
        await connection.ExecuteAsync(
            $"""
            CREATE TABLE {table} (
                {PoolId} {dialect.AutoId},
                {string.Join(",\n    ", columns)},
                {Provenance} TEXT,
                {CreatedRun} {dialect.BigInt},
                {UpdatedRun} {dialect.BigInt},
                {UpdatedAt} TEXT,
                {Deleted} {dialect.BigInt} NOT NULL DEFAULT 0);
            CREATE UNIQUE INDEX ux_{table}_key ON {table} ({string.Join(", ", entity.Key)});
            """,
            transaction,
            cancellationToken);
        if (entity.Fields.ContainsKey("community_code") && !entity.Key.Contains("community_code"))
        {
            // Every query a worker or a district makes is scoped by community.
            await connection.ExecuteAsync($"CREATE INDEX ix_{table}_community ON {table} (community_code)", transaction, cancellationToken);
        }

        foreach (var field in entity.Fields.Values)
        {
            await RecordFieldAsync(connection, transaction, entity, field, cancellationToken);
        }
    }

    private static Task RecordFieldAsync(DbConnection connection, DbTransaction transaction, PoolEntity entity, PoolField field, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(
            "INSERT INTO dp_entity_fields (entity, field, type, is_key) VALUES (@entity, @field, @type, @key)",
            transaction,
            cancellationToken,
            ("@entity", entity.Name), ("@field", field.Name), ("@type", field.Type), ("@key", entity.Key.Contains(field.Name) ? 1 : 0));

    private static async Task<Dictionary<string, Dictionary<string, (string Type, bool IsKey)>>> ReadStoredFieldsAsync(
        DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, Dictionary<string, (string, bool)>>(StringComparer.Ordinal);
        await using var command = connection.Command("SELECT entity, field, type, is_key FROM dp_entity_fields", transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var entity = reader.GetString(0);
            if (!result.TryGetValue(entity, out var fields))
            {
                result[entity] = fields = new Dictionary<string, (string, bool)>(StringComparer.Ordinal);
            }

            fields[reader.GetString(1)] = (reader.GetString(2), reader.GetInt64(3) != 0);
        }

        return result;
    }
}
