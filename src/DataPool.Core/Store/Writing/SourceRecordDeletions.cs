using System.Data.Common;

namespace DataPool.Core.Store.Writing;

/// <summary>
/// Marks a stream's source records deleted, set-based: one statement reads a chunk's pool records and one marks the
/// chunk, rather than two statements per record.
/// </summary>
internal sealed class SourceRecordDeletions
{
    private readonly DbCommand _pools, _delete;
    private readonly DbParameter _poolIds, _deleteIds;
    private readonly SqlDialect _dialect;

    public SourceRecordDeletions(PoolWriter writer, long runId)
    {
        _dialect = writer.Dialect;
        _pools = writer.Command($"SELECT id, pool_id FROM dp_source_records WHERE {_dialect.InList("id", "@ids")}");
        _poolIds = _pools.AddParameter("@ids");
        _delete = writer.Command($"UPDATE dp_source_records SET deleted = 1, changed_run = @run WHERE {_dialect.InList("id", "@ids")}");
        _delete.AddParameter("@run", runId);
        _deleteIds = _delete.AddParameter("@ids");
    }

    /// <summary>Marks the records deleted in this run; returns how many were marked and the pool records they were linked to.</summary>
    public (int Deleted, List<long> Pools) Mark(IReadOnlyCollection<long> recordIds)
    {
        var ids = _dialect.ListValue(recordIds);
        _poolIds.Value = ids;
        var pools = new List<long>();
        using (var reader = _pools.ExecuteReader())
        {
            while (reader.Read())
            {
                if (!reader.IsDBNull(1))
                {
                    pools.Add(reader.GetInt64(1));
                }
            }
        }

        _deleteIds.Value = ids;
        return (_delete.ExecuteNonQuery(), pools);
    }
}
