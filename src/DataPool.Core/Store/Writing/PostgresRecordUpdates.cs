using System.Data.Common;

namespace DataPool.Core.Store.Writing;

/// <summary>
/// Changed source records on PostgreSQL, held until <see cref="Flush"/> and then written by one statement
/// (<c>UPDATE … FROM unnest(…)</c>): one <c>UPDATE</c> per changed row was a round trip each, ten thousand of them when
/// 1% of a million rows changed. A record updated twice before a flush keeps its last values.
/// </summary>
internal sealed class PostgresRecordUpdates
{
    private readonly DbCommand _update, _keepCreations;
    private readonly Dictionary<long, (long Hash, long PoolId, string Data, string? Flags, string Location, string? AsOf)> _pending = [];

    public PostgresRecordUpdates(PoolWriter writer)
    {
        _update = writer.Command(
            "UPDATE dp_source_records AS r SET row_hash = u.hash, pool_id = u.pool, data = u.data, flags = u.flags, location = u.location, " +
            "changed_run = @run, as_of = u.asof, deleted = 0 " +
            "FROM unnest(@ids, @hashes, @pools, @data, @flags, @locations, @asofs) AS u(id, hash, pool, data, flags, location, asof) " +
            "WHERE r.id = u.id");
        _keepCreations = writer.Command(HistoryCreations.KeepManySql);
        _keepCreations.AddParameter("@ids");
        foreach (var name in new[] { "@run", "@ids", "@hashes", "@pools", "@data", "@flags", "@locations", "@asofs" })
        {
            _update.AddParameter(name);
        }
    }

    public void Add(long id, long hash, long poolId, string data, string? flags, string location, string? asOf) =>
        _pending[id] = (hash, poolId, data, flags, location, asOf);

    public void Flush(long runId)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var rows = _pending.ToList();
        _pending.Clear();
        var ids = rows.Select(r => r.Key).ToArray();
        // History keeps the data the records had (HistoryCreations) before they are overwritten.
        _keepCreations.Parameters["@ids"].Value = ids;
        _keepCreations.ExecuteNonQuery();
        _update.Parameters["@run"].Value = runId;
        _update.Parameters["@ids"].Value = ids;
        _update.Parameters["@hashes"].Value = rows.Select(r => r.Value.Hash).ToArray();
        _update.Parameters["@pools"].Value = rows.Select(r => r.Value.PoolId).ToArray();
        _update.Parameters["@data"].Value = rows.Select(r => r.Value.Data).ToArray();
        _update.Parameters["@flags"].Value = rows.Select(r => r.Value.Flags).ToArray();
        _update.Parameters["@locations"].Value = rows.Select(r => r.Value.Location).ToArray();
        _update.Parameters["@asofs"].Value = rows.Select(r => r.Value.AsOf).ToArray();
        _update.ExecuteNonQuery();
    }
}
