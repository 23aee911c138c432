using System.Globalization;
using DataPool.Core.Schema;
using DataPool.Core.Store;

namespace DataPool.Core.Reports;

/// <summary>
/// The SQL of one report, built from its definition: identifiers only from the schema catalog (table and column
/// names the catalog has already checked), every value a parameter. One statement aggregates the groups and, per
/// number, the pool ids of the records behind it (so a cell can be traced exactly); a second, without groups, gives
/// the totals row.
/// </summary>
public sealed class ReportQuery
{
    private readonly List<(string Name, object? Value)> _parameters = [];
    private readonly Dictionary<string, string> _aliases = new(StringComparer.Ordinal);
    private readonly SqlDialect _dialect;
    private readonly ReportFields _fields;

    private ReportQuery(SchemaCatalog catalog, ReportDefinition definition, SqlDialect dialect, DateOnly asOf)
    {
        _dialect = dialect;
        _fields = new ReportFields(catalog, definition);
        for (var i = 0; i < _fields.Entities.Count; i++)
        {
            _aliases[_fields.Entities[i]] = "t" + i.ToString(CultureInfo.InvariantCulture);
        }

        _parameters.Add(("@as_of_ymd", (long)(asOf.Year * 10000 + asOf.Month * 100 + asOf.Day)));
        var from = new List<string> { $"{EntityTables.TableName(definition.Entity)} t0" };
        foreach (var join in definition.Joins)
        {
            var alias = _aliases[join.Entity];
            var source = _aliases[join.From ?? definition.Entity];
            from.Add($"{(join.Type == "inner" ? "INNER" : "LEFT")} JOIN {EntityTables.TableName(join.Entity)} {alias} " +
                $"ON {alias}.{join.On} = {source}.{join.On} AND {alias}.{EntityTables.Deleted} = 0");
        }

        var where = new List<string> { $"t0.{EntityTables.Deleted} = 0" };
        where.AddRange(definition.Filters.Select(Condition));
        var measures = definition.Measures.Select(m => (Aggregate: Aggregate(m), Members: Members(m))).ToList();
        var groups = definition.GroupBy.Select(g => Expression(_fields.Require(g.Field))).ToList();

        var fromWhere = $"FROM {string.Join(" ", from)} WHERE {string.Join(" AND ", where)}";
        GroupSql = $"SELECT {string.Join(", ", groups.Select((g, i) => $"{g} AS g{i}").Concat(measures.Select((m, i) => $"{m.Aggregate} AS m{i}")).Concat(measures.Select((m, i) => $"{m.Members} AS i{i}")))} " +
            $"{fromWhere} GROUP BY {string.Join(", ", groups)} ORDER BY {string.Join(", ", groups.Select(g => $"({g} IS NULL), {g}"))}";
        TotalsSql = $"SELECT {string.Join(", ", measures.Select((m, i) => $"{m.Aggregate} AS m{i}"))} {fromWhere}";
    }

    /// <summary>
    /// Columns g0…, m0… (the numbers), i0… (comma-separated pool ids behind each number), one row per group, ordered by
    /// the groups with empty values last on both stores (SQLite would put them first, PostgreSQL last).
    /// </summary>
    public string GroupSql { get; }

    /// <summary>Columns m0…: the numbers over every row of the report.</summary>
    public string TotalsSql { get; }

    public IReadOnlyList<(string Name, object? Value)> Parameters => _parameters;

    /// <summary>The report's SQL with ages counted at <paramref name="asOf"/> (the snapshot's date in China Standard Time).</summary>
    public static ReportQuery Build(SchemaCatalog catalog, ReportDefinition definition, SqlDialect dialect, DateOnly asOf) =>
        new(catalog, definition, dialect, asOf);

    private string Expression(FieldRef field)
    {
        var column = $"{_aliases[field.Entity]}.{field.Field.Name}";
        // Dates are ISO text: YYYYMMDD as a number makes the age one integer division, the same on both stores.
        return field.IsAge ? $"((@as_of_ymd - CAST(REPLACE({column}, '-', '') AS INTEGER)) / 10000)" : column;
    }

    private string Condition(ReportFilter filter)
    {
        var field = _fields.Require(filter.Field);
        var expression = Expression(field);
        var values = ReportSqlValues.Values(field, filter).Select(Parameter).ToList();
        return filter.Op switch
        {
            "eq" => $"{expression} = {values[0]}",
            "ne" => $"{expression} <> {values[0]}",
            "lt" => $"{expression} < {values[0]}",
            "lte" => $"{expression} <= {values[0]}",
            "gt" => $"{expression} > {values[0]}",
            "gte" => $"{expression} >= {values[0]}",
            "between" => $"{expression} BETWEEN {values[0]} AND {values[1]}",
            "in" => $"{expression} IN ({string.Join(", ", values)})",
            "isNull" => $"{expression} IS NULL",
            "notNull" => $"{expression} IS NOT NULL",
            _ => throw new InvalidOperationException($"operator '{filter.Op}' passed validation but has no SQL"),
        };
    }

    private string Parameter(object value)
    {
        var name = "@p" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        // Microsoft.Data.Sqlite binds decimal as text; a number compares as a number with a NUMERIC column.
        _parameters.Add((name, value is decimal d && !_dialect.IsPostgres ? (double)d : value));
        return name;
    }

    /// <summary>The rows a measure counts: its own conditions, and for sum/avg/min/max a value to aggregate.</summary>
    private string When(ReportMeasure measure)
    {
        var conditions = measure.Where.Select(Condition).ToList();
        if (measure.Agg != "count")
        {
            conditions.Add($"{Expression(_fields.Require(measure.Field!))} IS NOT NULL");
        }

        return conditions.Count == 0 ? "1 = 1" : string.Join(" AND ", conditions);
    }

    private string Aggregate(ReportMeasure measure)
    {
        var when = When(measure);
        if (measure.Agg == "count")
        {
            return measure.Where.Count == 0 ? "COUNT(*)" : $"COUNT(CASE WHEN {when} THEN 1 END)";
        }

        var value = Expression(_fields.Require(measure.Field!));
        return $"{measure.Agg.ToUpperInvariant()}(CASE WHEN {when} THEN {value} END)";
    }

    private string Members(ReportMeasure measure)
    {
        var id = $"CASE WHEN {When(measure)} THEN CAST(t0.{EntityTables.PoolId} AS TEXT) END";
        return _dialect.IsPostgres ? $"string_agg({id}, ',')" : $"group_concat({id}, ',')";
    }
}
