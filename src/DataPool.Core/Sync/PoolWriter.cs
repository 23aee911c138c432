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
    private readonly SqliteCommand _findRecord, _insertRecord, _updateRecord, _findPool, _insertPool, _readPool, _updatePool, _candidates, _history, _quarantine;

    public PoolWriter(SqliteConnection connection, SqliteTransaction transaction, PoolEntity entity, string sourceId, string stream, long runId)
    {
        _connection = connection;
        _transaction = transaction;
        _entity = entity;
        _fields = entity.Fields.Keys.ToArray();
        _table = EntityTables.TableName(entity.Name);
        var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        var common = new (string, object?)[] { ("$source", sourceId), ("$stream", stream), ("$run", runId), ("$entity", entity.Name), ("$now", now) };

        _findRecord = Prepare("SELECT id, row_hash, pool_id, deleted, location FROM dp_source_records WHERE source_id = $source AND stream = $stream AND source_key = $key", common, "$key");
        _insertRecord = Prepare(
            """
            INSERT INTO dp_source_records (source_id, stream, source_key, row_hash, entity, pool_id, data, flags, location, first_run, changed_run)
            VALUES ($source, $stream, $key, $hash, $entity, $pool, $data, $flags, $location, $run, $run) RETURNING id
            """, common, "$key", "$hash", "$pool", "$data", "$flags", "$location");
        _updateRecord = Prepare(
            "UPDATE dp_source_records SET row_hash = $hash, pool_id = $pool, data = $data, flags = $flags, location = $location, changed_run = $run, deleted = 0 WHERE id = $id",
            common, "$id", "$hash", "$pool", "$data", "$flags", "$location");
        var keyWhere = string.Join(" AND ", entity.Key.Select((k, i) => $"{k} = $k{i}"));
        _findPool = Prepare($"SELECT pool_id FROM {_table} WHERE {keyWhere}", common, entity.Key.Select((_, i) => "$k" + i).ToArray());
        _insertPool = Prepare(
            $"INSERT INTO {_table} ({EntityTables.PoolId}, {string.Join(", ", _fields)}, {EntityTables.Provenance}, {EntityTables.CreatedRun}, {EntityTables.UpdatedRun}, {EntityTables.UpdatedAt}) " +
            $"VALUES ($pool, {string.Join(", ", _fields.Select(f => "$f_" + f))}, $provenance, $run, $run, $now)",
            common, ["$pool", "$provenance", .. _fields.Select(f => "$f_" + f)]);
        _readPool = Prepare($"SELECT {string.Join(", ", _fields)}, {EntityTables.Deleted} FROM {_table} WHERE {EntityTables.PoolId} = $pool", common, "$pool");
        _updatePool = Prepare(
            $"UPDATE {_table} SET {string.Join(", ", _fields.Select(f => $"{f} = $f_{f}"))}, {EntityTables.Provenance} = $provenance, " +
            $"{EntityTables.UpdatedRun} = $run, {EntityTables.UpdatedAt} = $now, {EntityTables.Deleted} = $deleted WHERE {EntityTables.PoolId} = $pool",
            common, ["$pool", "$provenance", "$deleted", .. _fields.Select(f => "$f_" + f)]);
        _candidates = Prepare("SELECT id, source_id, data, changed_run FROM dp_source_records WHERE entity = $entity AND pool_id = $pool AND deleted = 0", common, "$pool");
        _history = Prepare("INSERT INTO dp_history (entity, pool_id, change, changes, run_id, at) VALUES ($entity, $pool, $change, $changes, $run, $now)", common, "$pool", "$change", "$changes");
        _quarantine = Prepare(
            """
            INSERT INTO dp_quarantine (source_id, stream, row_hash, status, location, row_number, raw, reasons, first_run, last_run)
            VALUES ($source, $stream, $hash, 'open', $location, $number, $raw, $reasons, $run, $run)
            ON CONFLICT (source_id, stream, row_hash) DO UPDATE SET location = excluded.location, row_number = excluded.row_number,
                reasons = excluded.reasons, last_run = excluded.last_run,
                status = CASE WHEN dp_quarantine.status = 'replayed' THEN 'open' ELSE dp_quarantine.status END
            """, common, "$hash", "$location", "$number", "$raw", "$reasons");
    }

    public StoredRecord? FindRecord(string key)
    {
        _findRecord.Parameters["$key"].Value = key;
        using var reader = _findRecord.ExecuteReader();
        return reader.Read()
            ? new StoredRecord(reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2), reader.GetInt64(3) != 0, reader.IsDBNull(4) ? null : reader.GetString(4))
            : null;
    }

    public long InsertRecord(string key, long hash, long poolId, string data, string? flags, string location) =>
        (long)Run(_insertRecord, scalar: true, ("$key", key), ("$hash", hash), ("$pool", poolId), ("$data", data), ("$flags", flags), ("$location", location))!;

    public void UpdateRecord(long id, long hash, long poolId, string data, string? flags, string location) =>
        Run(_updateRecord, scalar: false, ("$id", id), ("$hash", hash), ("$pool", poolId), ("$data", data), ("$flags", flags), ("$location", location));

    public long? FindPool(IReadOnlyList<string> key)
    {
        for (var i = 0; i < key.Count; i++)
        {
            _findPool.Parameters["$k" + i].Value = key[i];
        }

        return _findPool.ExecuteScalar() is long id ? id : null;
    }

    public void InsertPool(long poolId, IReadOnlyDictionary<string, Survivor> golden)
    {
        _insertPool.Parameters["$pool"].Value = poolId;
        BindFields(_insertPool, golden);
        _insertPool.ExecuteNonQuery();
    }

    /// <summary>The pool record's current values as canonical text, and whether it is marked deleted.</summary>
    public (Dictionary<string, string> Values, bool Deleted) ReadPool(long poolId)
    {
        _readPool.Parameters["$pool"].Value = poolId;
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
        _updatePool.Parameters["$pool"].Value = poolId;
        _updatePool.Parameters["$deleted"].Value = deleted ? 1 : 0;
        BindFields(_updatePool, golden);
        _updatePool.ExecuteNonQuery();
    }

    public List<(long Id, string SourceId, string Data, long ChangedRun)> Candidates(long poolId)
    {
        _candidates.Parameters["$pool"].Value = poolId;
        using var reader = _candidates.ExecuteReader();
        var list = new List<(long, string, string, long)>();
        while (reader.Read())
        {
            list.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
        }

        return list;
    }

    public void History(long poolId, string change, string changes) =>
        Run(_history, scalar: false, ("$pool", poolId), ("$change", change), ("$changes", changes));

    public void Quarantine(long hash, string location, long number, string raw, string reasons) =>
        Run(_quarantine, scalar: false, ("$hash", hash), ("$location", location), ("$number", number), ("$raw", raw), ("$reasons", reasons));

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
        foreach (var command in _commands)
        {
            command.Dispose();
        }
    }

    private void BindFields(SqliteCommand command, IReadOnlyDictionary<string, Survivor> golden)
    {
        command.Parameters["$provenance"].Value = JsonSerializer.Serialize(golden.ToDictionary(g => g.Key, g => g.Value.RecordId));
        foreach (var field in _entity.Fields.Values)
        {
            command.Parameters["$f_" + field.Name].Value = golden.TryGetValue(field.Name, out var survivor)
                ? ToColumn(field.Type, survivor.Value)
                : DBNull.Value;
        }
    }

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
