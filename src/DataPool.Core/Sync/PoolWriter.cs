using System.Globalization;
using System.Text.Json;
using DataPool.Core.Schema;
using DataPool.Core.Store;
using Microsoft.Data.Sqlite;

namespace DataPool.Core.Sync;

/// <summary>A source record as stored: enough to skip an unchanged row or re-link a changed one.</summary>
internal readonly record struct StoredRecord(long Id, long Hash, long? PoolId, bool Deleted, string? Location);

/// <summary>
/// The prepared statements one stream of a run writes through, all inside the run's transaction:
/// source records, the entity's pool table, history and quarantine.
/// </summary>
internal sealed class PoolWriter : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly PoolEntity _entity;
    private readonly string[] _fields;
    private readonly string _table;
    private readonly List<SqliteCommand> _commands = [];
    private readonly SqliteCommand _findRecords, _updateRecord, _findPool, _findPools, _readPool, _updatePool, _candidates, _quarantine;
    private readonly BulkInsert _records, _pools, _history;
    private readonly string _sourceId, _stream, _now;
    private readonly long _runId;

    public PoolWriter(SqliteConnection connection, SqliteTransaction transaction, PoolEntity entity, string sourceId, string stream, long runId)
    {
        _connection = connection;
        _transaction = transaction;
        _entity = entity;
        _fields = entity.Fields.Keys.ToArray();
        _table = EntityTables.TableName(entity.Name);
        var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        (_sourceId, _stream, _runId, _now) = (sourceId, stream, runId, now);
        var common = new (string, object?)[] { ("@source", sourceId), ("@stream", stream), ("@run", runId), ("@entity", entity.Name), ("@now", now) };

        // One query looks up a whole batch of keys (json_each turns the JSON array into rows).
        _findRecords = Prepare(
            "SELECT source_key, id, row_hash, pool_id, deleted, location FROM dp_source_records " +
            "WHERE source_id = @source AND stream = @stream AND source_key IN (SELECT value FROM json_each(@keys))", common, "@keys");
        _records = new BulkInsert(connection, "dp_source_records",
            ["id", "source_id", "stream", "source_key", "row_hash", "entity", "pool_id", "data", "flags", "location", "first_run", "changed_run"]);
        _updateRecord = Prepare(
            "UPDATE dp_source_records SET row_hash = @hash, pool_id = @pool, data = @data, flags = @flags, location = @location, changed_run = @run, deleted = 0 WHERE id = @id",
            common, "@id", "@hash", "@pool", "@data", "@flags", "@location");
        var keyWhere = string.Join(" AND ", entity.Key.Select((k, i) => $"{k} = @k{i}"));
        _findPool = Prepare($"SELECT pool_id FROM {_table} WHERE {keyWhere}", common, entity.Key.Select((_, i) => "@k" + i).ToArray());
        _findPools = entity.Key.Count == 1
            ? Prepare($"SELECT {entity.Key[0]}, {EntityTables.PoolId} FROM {_table} WHERE {entity.Key[0]} IN (SELECT value FROM json_each(@keys))", common, "@keys")
            : _findPool;
        _pools = new BulkInsert(connection, _table,
            [EntityTables.PoolId, .. _fields, EntityTables.Provenance, EntityTables.CreatedRun, EntityTables.UpdatedRun, EntityTables.UpdatedAt]);
        _readPool = Prepare($"SELECT {string.Join(", ", _fields)}, {EntityTables.Deleted} FROM {_table} WHERE {EntityTables.PoolId} = @pool", common, "@pool");
        _updatePool = Prepare(
            $"UPDATE {_table} SET {string.Join(", ", _fields.Select(f => $"{f} = @f_{f}"))}, {EntityTables.Provenance} = @provenance, " +
            $"{EntityTables.UpdatedRun} = @run, {EntityTables.UpdatedAt} = @now, {EntityTables.Deleted} = @deleted WHERE {EntityTables.PoolId} = @pool",
            common, ["@pool", "@provenance", "@deleted", .. _fields.Select(f => "@f_" + f)]);
        _candidates = Prepare("SELECT id, source_id, data, changed_run FROM dp_source_records WHERE entity = @entity AND pool_id = @pool AND deleted = 0", common, "@pool");
        _history = new BulkInsert(connection, "dp_history", ["entity", "pool_id", "change", "changes", "run_id", "at"]);
        _quarantine = Prepare(
            """
            INSERT INTO dp_quarantine (source_id, stream, row_hash, status, location, row_number, raw, reasons, first_run, last_run)
            VALUES (@source, @stream, @hash, 'open', @location, @number, @raw, @reasons, @run, @run)
            ON CONFLICT (source_id, stream, row_hash) DO UPDATE SET location = excluded.location, row_number = excluded.row_number,
                reasons = excluded.reasons, last_run = excluded.last_run
            """, common, "@hash", "@location", "@number", "@raw", "@reasons");
    }

    /// <summary>The stored records of a batch of source keys.</summary>
    public Dictionary<string, StoredRecord> FindRecords(IEnumerable<string> keys)
    {
        _findRecords.Parameters["@keys"].Value = JsonSerializer.Serialize(keys);
        using var reader = _findRecords.ExecuteReader();
        var found = new Dictionary<string, StoredRecord>(StringComparer.Ordinal);
        while (reader.Read())
        {
            found[reader.GetString(0)] = new StoredRecord(reader.GetInt64(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetInt64(3),
                reader.GetInt64(4) != 0, reader.IsDBNull(5) ? null : reader.GetString(5));
        }

        return found;
    }

    /// <summary>Writes a new source record.</summary>
    public void InsertRecord(long id, string key, long hash, long poolId, string data, string? flags, string location) =>
        _records.Add(id, _sourceId, _stream, key, hash, _entity.Name, poolId, data, flags, location, _runId, _runId);

    public void UpdateRecord(long id, long hash, long poolId, string data, string? flags, string location) =>
        Run(_updateRecord, scalar: false, ("@id", id), ("@hash", hash), ("@pool", poolId), ("@data", data), ("@flags", flags), ("@location", location));

    /// <summary>Pool ids of a batch of entity keys (single-column keys by one query; composite keys one by one).</summary>
    public Dictionary<string, long> FindPools(IReadOnlyCollection<string[]> keys)
    {
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        if (_entity.Key.Count == 1)
        {
            _findPools.Parameters["@keys"].Value = JsonSerializer.Serialize(keys.Select(k => k[0]));
            using var reader = _findPools.ExecuteReader();
            while (reader.Read())
            {
                found[reader.GetString(0)] = reader.GetInt64(1);
            }

            return found;
        }

        foreach (var key in keys)
        {
            for (var i = 0; i < key.Length; i++)
            {
                _findPool.Parameters["@k" + i].Value = key[i];
            }

            if (_findPool.ExecuteScalar() is long id)
            {
                found[JoinKey(key)] = id;
            }
        }

        return found;
    }

    public static string JoinKey(string[] key) => key.Length == 1 ? key[0] : string.Join('\u001f', key);

    /// <summary>Writes a new pool record.</summary>
    public void InsertPool(long poolId, IReadOnlyDictionary<string, Survivor> golden)
    {
        var values = new object?[_fields.Length + 5];
        values[0] = poolId;
        for (var i = 0; i < _fields.Length; i++)
        {
            values[i + 1] = golden.TryGetValue(_fields[i], out var survivor) ? ToColumn(_entity.Fields[_fields[i]].Type, survivor.Value) : null;
        }

        values[_fields.Length + 1] = Provenance(golden);
        values[_fields.Length + 2] = _runId;
        values[_fields.Length + 3] = _runId;
        values[_fields.Length + 4] = _now;
        _pools.Add(values);
    }

    /// <summary>The pool record's current values as canonical text, and whether it is marked deleted.</summary>
    public (Dictionary<string, string> Values, bool Deleted) ReadPool(long poolId)
    {
        _readPool.Parameters["@pool"].Value = poolId;
        using var reader = _readPool.ExecuteReader();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!reader.Read())
        {
            return (values, true);
        }

        for (var i = 0; i < _fields.Length; i++)
        {
            if (!reader.IsDBNull(i))
            {
                values[_fields[i]] = Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)!;
            }
        }

        return (values, reader.GetInt64(_fields.Length) != 0);
    }

    public void UpdatePool(long poolId, IReadOnlyDictionary<string, Survivor> golden, bool deleted)
    {
        _updatePool.Parameters["@pool"].Value = poolId;
        _updatePool.Parameters["@deleted"].Value = deleted ? 1 : 0;
        BindFields(_updatePool, golden);
        _updatePool.ExecuteNonQuery();
    }

    public List<(long Id, string SourceId, string Data, long ChangedRun)> Candidates(long poolId)
    {
        _candidates.Parameters["@pool"].Value = poolId;
        using var reader = _candidates.ExecuteReader();
        var list = new List<(long, string, string, long)>();
        while (reader.Read())
        {
            list.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
        }

        return list;
    }

    public void History(long poolId, string change, string changes) =>
        _history.Add(_entity.Name, poolId, change, changes, _runId, _now);

    public void Quarantine(long hash, string location, long number, string raw, string reasons) =>
        Run(_quarantine, scalar: false, ("@hash", hash), ("@location", location), ("@number", number), ("@raw", raw), ("@reasons", reasons));

    public SqliteCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        _commands.Add(command);
        return command;
    }

    public void Dispose()
    {
        _records.Dispose();
        _pools.Dispose();
        _history.Dispose();
        foreach (var command in _commands)
        {
            command.Dispose();
        }
    }

    private void BindFields(SqliteCommand command, IReadOnlyDictionary<string, Survivor> golden)
    {
        command.Parameters["@provenance"].Value = Provenance(golden);
        foreach (var field in _entity.Fields.Values)
        {
            command.Parameters["@f_" + field.Name].Value = golden.TryGetValue(field.Name, out var survivor)
                ? ToColumn(field.Type, survivor.Value)
                : DBNull.Value;
        }
    }

    private static string Provenance(IReadOnlyDictionary<string, Survivor> golden) =>
        JsonSerializer.Serialize(golden.ToDictionary(g => g.Key, g => g.Value.RecordId));

    private static object ToColumn(string type, string value) => type switch
    {
        FieldTypes.Int or FieldTypes.Bool => long.Parse(value, CultureInfo.InvariantCulture),
        FieldTypes.Decimal => decimal.Parse(value, CultureInfo.InvariantCulture),
        _ => value,
    };

    private SqliteCommand Prepare(string sql, (string Name, object? Value)[] common, params string[] parameters)
    {
        var command = Command(sql);
        foreach (var (name, value) in common.Where(c => sql.Contains(c.Name, StringComparison.Ordinal)))
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
        }

        command.Prepare();
        return command;
    }

    private static object? Run(SqliteCommand command, bool scalar, params (string Name, object? Value)[] values)
    {
        foreach (var (name, value) in values)
        {
            command.Parameters[name].Value = value ?? DBNull.Value;
        }

        return scalar ? command.ExecuteScalar() : command.ExecuteNonQuery();
    }
}
