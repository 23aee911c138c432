using System.Data.Common;

namespace DataPool.Core.Store.Writing;

/// <summary>
/// A stream's source records into <c>dp_source_records</c>, in the run's transaction: new ones through the store's
/// bulk writer, changed ones by a statement each on SQLite (a call) and by a batch a statement on PostgreSQL, where a
/// statement is a round trip (<see cref="PostgresRecordUpdates"/>).
/// </summary>
internal sealed class SourceRecordWriter
{
    private readonly IBulkWriter _inserts;
    private readonly DbCommand? _update, _updateSamePool, _keepCreations;
    private readonly PostgresRecordUpdates? _batched;
    private readonly string _sourceId, _stream, _entity;
    private readonly long _runId;
    private readonly object _run; // boxed once: twice a record, it was a box each

    /// <param name="common">The run's parameters (<c>@run</c>, …) as the writer binds them.</param>
    public SourceRecordWriter(PoolWriter writer, (string Name, object? Value)[] common, string sourceId, string stream, string entity, long runId)
    {
        (_sourceId, _stream, _entity, _runId, _run) = (sourceId, stream, entity, runId, runId);
        _inserts = writer.OpenBulk("dp_source_records",
            ["id", "source_id", "stream", "source_key", "row_hash", "entity", "pool_id", "data", "flags", "location", "first_run", "changed_run", "as_of"]);
        if (writer.Dialect.IsPostgres)
        {
            _batched = new PostgresRecordUpdates(writer);
        }
        else
        {
            const string sets = "row_hash = @hash, data = @data, flags = @flags, location = @location, changed_run = @run, as_of = @asof, deleted = 0";
            string[] parameters = ["@id", "@hash", "@data", "@flags", "@location", "@asof"];
            _update = writer.Prepare($"UPDATE dp_source_records SET pool_id = @pool, {sets} WHERE id = @id", common, [.. parameters, "@pool"]);
            // A record that stays with its pool record leaves pool_id alone: SQLite rewrites the entries of every index
            // over a column an UPDATE sets, and the pool index's pages are spread as widely as the records (SqlitePoolUpdates).
            _updateSamePool = writer.Prepare($"UPDATE dp_source_records SET {sets} WHERE id = @id", common, parameters);
            _keepCreations = writer.Prepare(HistoryCreations.KeepSql, common, "@id");
        }
    }

    /// <summary>Records this stream inserted so far.</summary>
    public long Inserted { get; private set; }

    public void Insert(long id, string key, long hash, long poolId, string data, string? flags, string location, string? asOf)
    {
        _inserts.Add(id, _sourceId, _stream, key, hash, _entity, poolId, data, flags, location, _run, _run, asOf);
        Inserted++;
    }

    /// <summary>
    /// Updates a record; on PostgreSQL held until <see cref="FlushUpdates"/> (or <see cref="Flush"/>). A creation
    /// borrowing the record's data keeps the old data first (<see cref="HistoryCreations"/>). A record is written once
    /// a run, and a creation that borrows it in this run reaches the table only after this update, so it keeps the new data.
    /// </summary>
    /// <param name="storedPoolId">The pool record the stored record is linked to now.</param>
    public void Update(long id, long hash, long poolId, long? storedPoolId, string data, string? flags, string location, string? asOf)
    {
        if (_batched is not null)
        {
            _batched.Add(id, hash, poolId, data, flags, location, asOf);
            return;
        }

        PoolWriter.Run(_keepCreations!, ("@id", id));
        var update = storedPoolId == poolId ? _updateSamePool! : _update!;
        if (update == _update)
        {
            update.Parameters["@pool"].Value = poolId;
        }

        PoolWriter.Run(update, ("@id", id), ("@hash", hash), ("@data", data), ("@flags", flags), ("@location", location), ("@asof", asOf));
    }

    /// <summary>Writes the updates held back (PostgreSQL), so that reads of records see them.</summary>
    public void FlushUpdates() => _batched?.Flush(_runId);

    /// <summary>Makes every record written visible to the queries that follow.</summary>
    public void Flush()
    {
        _inserts.Flush();
        FlushUpdates();
    }
}
