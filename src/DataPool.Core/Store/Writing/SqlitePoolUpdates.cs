using System.Data.Common;
using DataPool.Core.Schema;

namespace DataPool.Core.Store.Writing;

/// <summary>
/// Golden-record updates on SQLite, a statement a record, setting only the columns whose value changed. SQLite
/// rewrites the entries of every index over a column an <c>UPDATE</c> sets, equal value or not, and each index page
/// it dirties is written to the WAL and again by the checkpoint. A 1% re-sync of a million persons changes a phone
/// number in 10,000 records spread over the whole table: setting every column made it dirty the key and community
/// indexes too, about one page in ten of the 596 MB it wrote. The statements, one per set of changed columns, are
/// prepared on first use; a run sees few sets (a phone, an address, a record deleted).
/// </summary>
internal sealed class SqlitePoolUpdates
{
    private readonly PoolWriter _writer;
    private readonly string _table;
    private readonly string[] _fields;
    private readonly (string Name, object? Value)[] _common;
    private readonly Dictionary<(ulong Columns, bool Deleted), DbCommand> _statements = [];

    public SqlitePoolUpdates(PoolWriter writer, PoolEntity entity, string[] fields, (string Name, object? Value)[] common)
    {
        (_writer, _fields, _common) = (writer, fields, common);
        _table = EntityTables.TableName(entity.Name);
    }

    /// <summary>Whether field <paramref name="index"/> is among <paramref name="changed"/> (an entity with more than 64 fields sets them all).</summary>
    public static bool Sets(ulong changed, int index) => index >= 64 || (changed & (1UL << index)) != 0;

    /// <summary>
    /// Which of <paramref name="fields"/> differ between the record's stored values and <paramref name="golden"/>: a bit
    /// each, in the fields' order, set where the value changed, appeared or went.
    /// </summary>
    public static ulong Changed(string[] fields, IReadOnlyDictionary<string, string> stored, IReadOnlyDictionary<string, Survivor> golden)
    {
        var changed = 0UL;
        for (var i = 0; i < fields.Length && i < 64; i++)
        {
            var had = stored.TryGetValue(fields[i], out var old);
            var has = golden.TryGetValue(fields[i], out var survivor);
            if (had != has || (has && old != survivor.Value))
            {
                changed |= 1UL << i;
            }
        }

        return changed;
    }

    /// <param name="values">The fields' column values in the order given at construction (null: none).</param>
    /// <param name="changed">The fields to set (<see cref="Changed"/>, over the fields given at construction); the others keep their stored value, which equals theirs in <paramref name="values"/>.</param>
    /// <param name="setDeleted">Whether the deleted flag changes (it is a column of the match index).</param>
    public void Update(long poolId, object?[] values, string provenance, bool deleted, ulong changed, bool setDeleted)
    {
        var update = Statement(changed, setDeleted);
        update.Parameters["@pool"].Value = poolId;
        update.Parameters["@provenance"].Value = provenance;
        if (setDeleted)
        {
            update.Parameters["@deleted"].Value = deleted ? 1L : 0L;
        }

        for (var i = 0; i < _fields.Length; i++)
        {
            if (Sets(changed, i))
            {
                update.Parameters["@f_" + _fields[i]].Value = values[i] ?? DBNull.Value;
            }
        }

        update.ExecuteNonQuery();
    }

    private DbCommand Statement(ulong changed, bool setDeleted)
    {
        if (_statements.TryGetValue((changed, setDeleted), out var statement))
        {
            return statement;
        }

        var fields = _fields.Where((_, i) => Sets(changed, i)).ToArray();
        var sets = fields.Select(f => $"{f} = @f_{f}")
            .Append($"{EntityTables.Provenance} = @provenance")
            .Append($"{EntityTables.UpdatedRun} = @run")
            .Append($"{EntityTables.UpdatedAt} = @now")
            .Concat(setDeleted ? [$"{EntityTables.Deleted} = @deleted"] : []);
        string[] parameters = ["@pool", "@provenance", .. setDeleted ? ["@deleted"] : Array.Empty<string>(), .. fields.Select(f => "@f_" + f)];
        statement = _writer.Prepare($"UPDATE {_table} SET {string.Join(", ", sets)} WHERE {EntityTables.PoolId} = @pool", _common, parameters);
        _statements[(changed, setDeleted)] = statement;
        return statement;
    }
}
