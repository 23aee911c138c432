using System.Data.Common;
using DataPool.Core.Schema;

namespace DataPool.Core.Store.Writing;

/// <summary>
/// Golden-record updates on PostgreSQL, held until <see cref="Flush"/> and then written by one statement
/// (<c>UPDATE … FROM unnest(…)</c>): one <c>UPDATE</c> per changed record was a round trip each. Each field goes as
/// an array of its column's type; a record updated twice before a flush keeps its last values.
/// </summary>
internal sealed class PostgresPoolUpdates
{
    private readonly DbCommand _update;
    private readonly string[] _fields;
    private readonly string[] _types;
    private readonly Dictionary<long, (object?[] Values, string Provenance, bool Deleted)> _pending = [];

    public PostgresPoolUpdates(PoolWriter writer, PoolEntity entity, string[] fields)
    {
        _fields = fields;
        _types = fields.Select(f => entity.Fields[f].Type).ToArray();
        var table = EntityTables.TableName(entity.Name);
        var columns = string.Join(", ", fields.Select((_, i) => $"f{i}"));
        _update = writer.Command(
            $"UPDATE {table} AS t SET {string.Join(", ", fields.Select((f, i) => $"{f} = u.f{i}"))}, {EntityTables.Provenance} = u.provenance, " +
            $"{EntityTables.UpdatedRun} = @run, {EntityTables.UpdatedAt} = @now, {EntityTables.Deleted} = u.deleted " +
            $"FROM unnest(@pools, @provenances, @deleted, {string.Join(", ", fields.Select((_, i) => $"@f{i}"))}) AS u(pool_id, provenance, deleted, {columns}) " +
            $"WHERE t.{EntityTables.PoolId} = u.pool_id");
        foreach (var name in new[] { "@run", "@now", "@pools", "@provenances", "@deleted" }.Concat(fields.Select((_, i) => $"@f{i}")))
        {
            _update.AddParameter(name);
        }
    }

    /// <param name="values">The fields' column values in the order given at construction (null: none).</param>
    public void Add(long poolId, object?[] values, string provenance, bool deleted) => _pending[poolId] = (values, provenance, deleted);

    public void Flush(long runId, string now)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var rows = _pending.ToList();
        _pending.Clear();
        _update.Parameters["@run"].Value = runId;
        _update.Parameters["@now"].Value = now;
        _update.Parameters["@pools"].Value = rows.Select(r => r.Key).ToArray();
        _update.Parameters["@provenances"].Value = rows.Select(r => r.Value.Provenance).ToArray();
        _update.Parameters["@deleted"].Value = rows.Select(r => r.Value.Deleted ? 1L : 0L).ToArray();
        for (var i = 0; i < _fields.Length; i++)
        {
            var field = i;
            _update.Parameters[$"@f{i}"].Value = _types[i] switch
            {
                FieldTypes.Int or FieldTypes.Bool => rows.Select(r => (long?)r.Value.Values[field]).ToArray(),
                FieldTypes.Decimal => rows.Select(r => (decimal?)r.Value.Values[field]).ToArray(),
                _ => (object)rows.Select(r => (string?)r.Value.Values[field]).ToArray(),
            };
        }

        _update.ExecuteNonQuery();
    }
}
