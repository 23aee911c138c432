using System.Data.Common;
using DataPool.Core.Access;
using DataPool.Core.Schema;
using DataPool.Core.Store;

namespace DataPool.Core.Query;

/// <summary>
/// Builds the one SELECT behind a page, a record or an export. Identifiers come only from the schema catalog (a
/// query is validated before it gets here); every value the caller wrote travels as a parameter.
/// Rows are ordered by the sort keys then the pool id, nulls first ascending (last descending) on both stores, so
/// the keyset condition of a cursor is the exact complement of what the previous pages returned.
/// </summary>
public sealed class QuerySql(DbCommand command, SqlDialect dialect, SchemaCatalog catalog, PoolEntity entity)
{
    private readonly List<string> _where = [$"t.{EntityTables.Deleted} = 0"];
    private int _parameters;

    public DbCommand Command => command;

    public static string Table(PoolEntity entity) => EntityTables.TableName(entity.Name) + " t";

    /// <summary>Limits the rows to the grant's community, when it has one.</summary>
    public QuerySql Scope(EntityGrant grant)
    {
        if (RowScope.Condition(catalog, grant, "t", "@scope_community") is { } condition)
        {
            _where.Add(condition);
            command.AddParameter("@scope_community", grant.Community);
        }

        return this;
    }

    public QuerySql Where(Filter filter)
    {
        var field = entity.Fields[filter.Field];
        var column = $"t.{field.Name}";
        switch (filter.Op)
        {
            case FilterOp.Equals:
                _where.Add($"{column} = {Parameter(Value(field, filter.Values[0]))}");
                break;
            case FilterOp.In:
                var values = filter.Values.Select(v => Value(field, v)).ToArray();
                _where.Add(dialect.InList(column, Parameter(ListOf(field, values))));
                break;
            case FilterOp.Range:
                if (filter.Values[0].Length > 0)
                {
                    _where.Add($"{column} >= {Parameter(Value(field, filter.Values[0]))}");
                }

                if (filter.Values[1].Length > 0)
                {
                    _where.Add($"{column} <= {Parameter(Value(field, filter.Values[1]))}");
                }

                break;
            case FilterOp.Prefix:
                var escaped = filter.Values[0].Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
                _where.Add($"{column} LIKE {Parameter(escaped + "%")} ESCAPE '\\'");
                break;
        }

        return this;
    }

    /// <summary>Only rows after the cursor's: for sort keys k1..kn and the pool id, the rows that sort later.</summary>
    public QuerySql After(IReadOnlyList<SortKey> sort, IReadOnlyList<object?> values, long poolId)
    {
        _where.Add(KeysetCondition(sort, values, poolId, 0));
        return this;
    }

    public QuerySql Id(long poolId)
    {
        _where.Add($"t.{EntityTables.PoolId} = {Parameter(poolId)}");
        return this;
    }

    /// <summary>The statement: pool id, then the fields, filtered, ordered, limited (a limit of 0: every row), after <paramref name="offset"/> rows.</summary>
    public DbCommand Select(IReadOnlyList<string> fields, IReadOnlyList<SortKey> sort, int limit, int offset = 0)
    {
        var columns = string.Join(", ", new[] { $"t.{EntityTables.PoolId}" }.Concat(fields.Select(f => $"t.{entity.Fields[f].Name}")));
        var order = sort.Select(k => $"t.{entity.Fields[k.Field].Name} {(k.Descending ? "DESC NULLS LAST" : "ASC NULLS FIRST")}")
            .Append($"t.{EntityTables.PoolId} ASC");
        command.CommandText = $"SELECT {columns} FROM {Table(entity)} WHERE {string.Join(" AND ", _where)} ORDER BY {string.Join(", ", order)}"
            + (limit > 0 ? $" LIMIT {Parameter((long)limit)}" : "")
            + (limit > 0 && offset > 0 ? $" OFFSET {Parameter((long)offset)}" : "");
        return command;
    }

    /// <summary>The statement counting every row the filters and the scope let through.</summary>
    public DbCommand Count()
    {
        command.CommandText = $"SELECT COUNT(*) FROM {Table(entity)} WHERE {string.Join(" AND ", _where)}";
        return command;
    }

    private string KeysetCondition(IReadOnlyList<SortKey> sort, IReadOnlyList<object?> values, long poolId, int index)
    {
        if (index == sort.Count)
        {
            return $"t.{EntityTables.PoolId} > {Parameter(poolId)}";
        }

        var column = $"t.{entity.Fields[sort[index].Field].Name}";
        var rest = KeysetCondition(sort, values, poolId, index + 1);
        var value = values[index];
        if (value is null)
        {
            // Nulls come first ascending and last descending.
            return sort[index].Descending ? $"({column} IS NULL AND {rest})" : $"({column} IS NOT NULL OR ({column} IS NULL AND {rest}))";
        }

        var p = Parameter(value);
        return sort[index].Descending
            ? $"({column} < {p} OR {column} IS NULL OR ({column} = {p} AND {rest}))"
            : $"({column} > {p} OR ({column} = {p} AND {rest}))";
    }

    private object Value(PoolField field, string text)
    {
        FieldValues.TryConvert(field, catalog, text, out var value, out _);
        return value;
    }

    /// <summary>The values of an "in" filter as one list parameter, typed as the column is.</summary>
    private object ListOf(PoolField field, object[] values) => field.Type switch
    {
        FieldTypes.Int or FieldTypes.Bool => dialect.ListValue(values.Cast<long>()),
        FieldTypes.Decimal => dialect.ListValue(values.Cast<decimal>()),
        _ => dialect.ListValue(values.Cast<string>()),
    };

    private string Parameter(object? value)
    {
        var name = $"@p{_parameters++}";
        command.AddParameter(name, value);
        return name;
    }
}
