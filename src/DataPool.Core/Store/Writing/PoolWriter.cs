using System.Data.Common;
using System.Globalization;
using DataPool.Core.Schema;

namespace DataPool.Core.Store.Writing;

/// <summary>A source record as stored: enough to skip an unchanged row or re-link a changed one.</summary>
internal readonly record struct StoredRecord(long Id, long Hash, long? PoolId, bool Deleted, string? Location, string? AsOf = null);

/// <summary>
/// The statements one stream of a run writes through, all inside the run's transaction: batch lookups,
/// bulk inserts of source records, pool records and history, updates, and quarantine.
/// </summary>
internal sealed class PoolWriter : IDisposable
{
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly SqlDialect _dialect;
    private readonly PoolEntity _entity;
    private readonly string[] _fields;
    private readonly List<DbCommand> _commands = [];
    private readonly List<IBulkWriter> _extraBulks = [];
    private readonly List<IKeyLookup> _extraLookups = [];
    private readonly DbCommand _findRecords, _findPool, _findPools, _readPool, _candidates;
    private readonly QuarantineWriter _quarantine;
    private readonly IBulkWriter _pools, _history;
    private readonly SourceRecordWriter _records;
    private readonly string _sourceId, _now;
    private readonly DbCommand? _statistics;
    private long _nextStatistics = FirstStatistics;

    // While the entity's table was empty when the stream started (a register's first load), only the key values this
    // stream writes can be found in it: a lookup of any other key is known to find nothing without being asked.
    private readonly bool _emptyAtStart;
    private readonly int _keyField = -1;
    private readonly KeyFilter _keysWritten = new();
    private readonly PostgresPoolUpdates? _poolUpdates;
    private readonly SqlitePoolUpdates? _sqlitePoolUpdates;

    /// <summary>Records a run writes before the tables it fills get statistics: below it, a lookup filtering them all is cheap.</summary>
    private const long FirstStatistics = 10_000;
    private readonly long _runId;
    private readonly object _run; // boxed once: two or three times a pool record, it was a box each

    public SqlDialect Dialect => _dialect;
    public string SourceId => _sourceId;

    /// <summary>This stream's clock (UTC ticks): the first-seen time of the values it writes.</summary>
    public long NowTicks { get; }
    public PoolEntity Entity => _entity;

    public PoolWriter(DbConnection connection, DbTransaction transaction, SqlDialect dialect, PoolEntity entity, string sourceId, string stream, long runId)
    {
        _connection = connection;
        _transaction = transaction;
        _dialect = dialect;
        _entity = entity;
        _fields = entity.Fields.Keys.ToArray();
        var table = EntityTables.TableName(entity.Name);
        var clock = DateTimeOffset.UtcNow;
        NowTicks = clock.UtcTicks;
        var now = clock.ToString("O", CultureInfo.InvariantCulture);
        (_sourceId, _runId, _run, _now) = (sourceId, runId, runId, now);
        var common = new (string, object?)[] { ("@source", sourceId), ("@stream", stream), ("@run", runId), ("@entity", entity.Name), ("@now", now) };

        _findRecords = Prepare(
            "SELECT source_key, id, row_hash, pool_id, deleted, location, as_of FROM dp_source_records " +
            $"WHERE source_id = @source AND stream = @stream AND {dialect.InList("source_key", "@keys")}", common, "@keys");
        _records = new SourceRecordWriter(this, common, sourceId, stream, entity.Name, runId);
        var keyWhere = string.Join(" AND ", entity.Key.Select((k, i) => $"{k} = @k{i}"));
        _findPool = Prepare($"SELECT pool_id FROM {table} WHERE {keyWhere}", common, entity.Key.Select((_, i) => "@k" + i).ToArray());
        _findPools = entity.Key.Count == 1
            ? Prepare($"SELECT {entity.Key[0]}, {EntityTables.PoolId} FROM {table} WHERE {dialect.InList(entity.Key[0], "@keys")}", common, "@keys")
            : _findPool;
        _pools = Bulk(table, [EntityTables.PoolId, .. _fields, EntityTables.Provenance, EntityTables.CreatedRun, EntityTables.UpdatedRun, EntityTables.UpdatedAt]);
        _readPool = Prepare(
            $"SELECT {string.Join(", ", _fields)}, {EntityTables.Deleted}, {EntityTables.Provenance}, {EntityTables.PoolId} FROM {table} WHERE {dialect.InList(EntityTables.PoolId, "@pools")}",
            common, "@pools");
        _candidates = Prepare(
            $"SELECT id, source_id, data, stream, source_key, as_of, pool_id FROM dp_source_records WHERE entity = @entity AND deleted = 0 AND {dialect.InList("pool_id", "@pools")}",
            common, "@pools");
        _history = Bulk("dp_history", ["entity", "pool_id", "change", "changes", "run_id", "at", "record_id"]);
        _quarantine = new QuarantineWriter(this, common);
        // The lookups by a composite key's leading columns: a stream's records by key, and the run's history (the household step);
        // and the creations borrowing a changed record (HistoryCreations): without statistics, a later re-sync walked the history.
        _statistics = dialect.RefreshStatistics(["dp_source_records (source_id, stream, source_key)", "dp_history (run_id, entity, pool_id, record_id)"]) is { } analyse
            ? Command(analyse)
            : null;
        _poolUpdates = dialect.IsPostgres ? new PostgresPoolUpdates(this, entity, _fields) : null;
        _sqlitePoolUpdates = dialect.IsPostgres ? null : new SqlitePoolUpdates(this, entity, _fields, common);
        if (entity.Key.Count == 1)
        {
            _keyField = Array.IndexOf(_fields, entity.Key[0]);
            using var any = Command($"SELECT 1 FROM {table} LIMIT 1");
            _emptyAtStart = any.ExecuteScalar() is null or DBNull;
        }
    }

    /// <summary>The stored records of a batch of source keys, in a map sized for <paramref name="capacity"/> records.</summary>
    public Dictionary<string, StoredRecord> FindRecords(IEnumerable<string> keys, int capacity = 0)
    {
        _findRecords.Parameters["@keys"].Value = _dialect.ListValue(keys);
        using var reader = _findRecords.ExecuteReader();
        var found = new Dictionary<string, StoredRecord>(capacity, StringComparer.Ordinal);
        while (reader.Read())
        {
            found[reader.GetString(0)] = new StoredRecord(reader.GetInt64(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetInt64(3),
                reader.GetInt64(4) != 0, reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6));
        }

        return found;
    }

    public void InsertRecord(long id, string key, long hash, long poolId, string data, string? flags, string location, string? asOf) =>
        _records.Insert(id, key, hash, poolId, data, flags, location, asOf);

    /// <inheritdoc cref="SourceRecordWriter.Update"/>
    public void UpdateRecord(long id, long hash, long poolId, long? storedPoolId, string data, string? flags, string location, string? asOf) =>
        _records.Update(id, hash, poolId, storedPoolId, data, flags, location, asOf);

    /// <summary>
    /// False only when no pool record can have this value of the entity's (single-column) key: the table was empty when
    /// the stream started and the stream has written no record with it.
    /// </summary>
    public bool MayHoldKey(string value) => !_emptyAtStart || _keysWritten.MayContain(RowHasher.HashText(value));

    /// <summary>Pool ids of a batch of entity keys (single-column keys by one query; composite keys one by one).</summary>
    public Dictionary<string, long> FindPools(IReadOnlyCollection<string[]> keys)
    {
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        if (_entity.Key.Count == 1)
        {
            var asked = keys.Select(k => k[0]).Where(MayHoldKey).ToList();
            if (asked.Count == 0)
            {
                return found;
            }

            _findPools.Parameters["@keys"].Value = _dialect.ListValue(asked);
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

            if (_findPool.ExecuteScalar() is { } id and not DBNull)
            {
                found[JoinKey(key)] = Convert.ToInt64(id, CultureInfo.InvariantCulture);
            }
        }

        return found;
    }

    public static string JoinKey(string[] key) => key.Length == 1 ? key[0] : string.Join('\u001f', key);

    /// <summary>
    /// A pool record made from one source record alone: its values are the golden ones, and its history starts with
    /// them. The creation names the record instead of repeating its JSON (<see cref="HistoryCreations"/>): the
    /// record's data must be <paramref name="values"/> as the run writes them.
    /// </summary>
    public void CreatePool(long poolId, IReadOnlyDictionary<string, string> values, long recordId)
    {
        // Straight from the record's values: a survivor dictionary per new person, only to be read back here, was
        // 7% of what a register's first load allocated.
        var row = new object?[_fields.Length + 5];
        row[0] = poolId;
        for (var i = 0; i < _fields.Length; i++)
        {
            row[1 + i] = values.TryGetValue(_fields[i], out var value) ? GoldenColumns.Value(_entity.Fields[_fields[i]].Type, value) : null;
        }

        KeyWrittenIn(row, 1);
        row[_fields.Length + 1] = GoldenColumns.Provenance(values.Keys, recordId);
        row[_fields.Length + 2] = _run;
        row[_fields.Length + 3] = _run;
        row[_fields.Length + 4] = _now;
        _pools.Add(row);
        _history.Add(_entity.Name, poolId, "created", HistoryCreations.Borrowed, _run, _now, recordId);
    }

    /// <summary>Puts the golden values, as their columns store them, into <paramref name="into"/> from <paramref name="at"/> on, and notes the key value written.</summary>
    private void PutColumns(IReadOnlyDictionary<string, Survivor> golden, object?[] into, int at)
    {
        for (var i = 0; i < _fields.Length; i++)
        {
            into[at + i] = golden.TryGetValue(_fields[i], out var survivor) ? GoldenColumns.Value(_entity.Fields[_fields[i]].Type, survivor.Value) : null;
        }

        KeyWrittenIn(into, at);
    }

    private void KeyWrittenIn(object?[] columns, int at)
    {
        if (_keyField >= 0)
        {
            KeyWritten(columns[at + _keyField]);
        }
    }

    private void KeyWritten(object? value)
    {
        if (_emptyAtStart && value is not (null or DBNull))
        {
            _keysWritten.Add(RowHasher.HashText(Convert.ToString(value, CultureInfo.InvariantCulture)!));
        }
    }

    /// <summary>Writes the golden-record updates held back (PostgreSQL), so that reads see them.</summary>
    public void FlushPoolUpdates() => _poolUpdates?.Flush(_runId, _now);

    /// <summary>Writes the source-record updates held back (PostgreSQL), so that reads of records see them.</summary>
    public void FlushRecordUpdates() => _records.FlushUpdates();

    /// <summary>Makes every bulk-written row visible to the queries that follow.</summary>
    public void Flush()
    {
        _quarantine.Flush();
        _records.Flush();
        _pools.Flush();
        FlushPoolUpdates();
        _history.Flush();
        if (_statistics is not null && _records.Inserted >= _nextStatistics)
        {
            // Each time the run has doubled what it wrote: a few samplings however large the load, and estimates within 2×.
            _statistics.ExecuteNonQuery();
            _nextStatistics = 2 * _records.Inserted;
        }
    }

    /// <summary>
    /// Pool records' current values as canonical text, whether each is marked deleted, and its provenance, by pool id;
    /// a pool id not found is absent. One statement for many records: each is a round trip on PostgreSQL.
    /// </summary>
    public Dictionary<long, (Dictionary<string, string> Values, bool Deleted, string? Provenance)> ReadPools(IReadOnlyCollection<long> poolIds)
    {
        _readPool.Parameters["@pools"].Value = _dialect.ListValue(poolIds);
        using var reader = _readPool.ExecuteReader();
        var found = new Dictionary<long, (Dictionary<string, string>, bool, string?)>();
        while (reader.Read())
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < _fields.Length; i++)
            {
                if (!reader.IsDBNull(i))
                {
                    values[_fields[i]] = Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)!;
                }
            }

            found[reader.GetInt64(_fields.Length + 2)] = (values, Convert.ToInt64(reader.GetValue(_fields.Length), CultureInfo.InvariantCulture) != 0,
                reader.IsDBNull(_fields.Length + 1) ? null : reader.GetString(_fields.Length + 1));
        }

        return found;
    }

    /// <summary>
    /// Updates a golden record from its <paramref name="stored"/> values to <paramref name="golden"/>; on PostgreSQL held
    /// until <see cref="FlushPoolUpdates"/> (or <see cref="Flush"/>), on SQLite setting only what changed (<see cref="SqlitePoolUpdates"/>).
    /// </summary>
    public void UpdatePool(long poolId, IReadOnlyDictionary<string, Survivor> golden, bool deleted, IReadOnlyDictionary<string, string> stored, bool wasDeleted)
    {
        var values = new object?[_fields.Length];
        PutColumns(golden, values, 0);
        var provenance = GoldenColumns.Provenance(golden);
        if (_poolUpdates is not null)
        {
            _poolUpdates.Add(poolId, values, provenance, deleted);
            return;
        }

        _sqlitePoolUpdates!.Update(poolId, values, provenance, deleted, SqlitePoolUpdates.Changed(_fields, stored, golden), deleted != wasDeleted);
    }

    /// <summary>The live source records linked to each of these pool records, by pool id (one statement for all).</summary>
    public Dictionary<long, List<(long Id, string SourceId, string Data, string Stream, string SourceKey, string? AsOf)>> CandidatesOf(IReadOnlyCollection<long> poolIds)
    {
        _candidates.Parameters["@pools"].Value = _dialect.ListValue(poolIds);
        using var reader = _candidates.ExecuteReader();
        var found = new Dictionary<long, List<(long, string, string, string, string, string?)>>();
        while (reader.Read())
        {
            var pool = reader.GetInt64(6);
            if (!found.TryGetValue(pool, out var list))
            {
                found[pool] = list = [];
            }

            list.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        return found;
    }

    public void History(long poolId, string change, string changes) =>
        _history.Add(_entity.Name, poolId, change, changes, _run, _now, null);

    /// <inheritdoc cref="QuarantineWriter.Add"/>
    public void Quarantine(long identity, string? key, string location, long number, string raw, string reasonsJson, string? reasonCodes) =>
        _quarantine.Add(identity, key, location, number, raw, reasonsJson, reasonCodes);

    /// <inheritdoc cref="QuarantineWriter.SeenAgain"/>
    public void QuarantineInto(long quarantineId) => _quarantine.SeenAgain(quarantineId);

    public DbCommand Command(string sql)
    {
        var command = _connection.Command(sql, _transaction);
        _commands.Add(command);
        return command;
    }

    public void Dispose()
    {
        _pools.Dispose();
        _history.Dispose();
        foreach (var bulk in _extraBulks)
        {
            bulk.Dispose();
        }

        foreach (var lookup in _extraLookups)
        {
            lookup.Dispose();
        }

        foreach (var command in _commands)
        {
            command.Dispose();
        }
    }

    /// <summary>A bulk writer for a feature's own table, in the run's transaction; disposed with the writer.</summary>
    /// <param name="skipDuplicates">Rows whose key the table already holds are left out rather than failing the run.</param>
    public IBulkWriter OpenBulk(string table, IReadOnlyList<string> columns, bool skipDuplicates = false)
    {
        var bulk = Bulk(table, columns, skipDuplicates);
        _extraBulks.Add(bulk);
        return bulk;
    }

    /// <summary>A lookup of many keys in a feature's own table (<see cref="KeyLookups"/>), in the run's transaction; disposed with the writer.</summary>
    public IKeyLookup OpenLookup(string table, string keyColumn, string valueColumn)
    {
        var lookup = KeyLookups.Open(_connection, _transaction, Dialect, table, keyColumn, valueColumn);
        _extraLookups.Add(lookup);
        return lookup;
    }

    private IBulkWriter Bulk(string table, IReadOnlyList<string> columns, bool skipDuplicates = false) => BulkWriters.Open(_connection, table, columns, skipDuplicates);

    /// <summary>A reused statement in the run's transaction; of <paramref name="common"/> it binds only the parameters the SQL names.</summary>
    internal DbCommand Prepare(string sql, (string Name, object? Value)[] common, params string[] parameters)
    {
        var command = Command(sql);
        foreach (var (name, value) in common.Where(c => System.Text.RegularExpressions.Regex.IsMatch(sql, System.Text.RegularExpressions.Regex.Escape(c.Name) + @"\b")))
        {
            command.AddParameter(name, value);
        }

        foreach (var name in parameters)
        {
            command.AddParameter(name);
        }

        _dialect.PrepareForReuse(command);

        return command;
    }

    internal static void Run(DbCommand command, params (string Name, object? Value)[] values)
    {
        foreach (var (name, value) in values)
        {
            command.Parameters[name].Value = value ?? DBNull.Value;
        }

        command.ExecuteNonQuery();
    }
}
