using System.Globalization;
using DataPool.Core.Schema;
using DataPool.Core.Store;

namespace DataPool.Core.Reports;

/// <summary>
/// The SQL of one report, built from its definition: identifiers only from the schema catalog (table and column
/// names the catalog has already checked), every value a parameter. One statement aggregates the groups: the sums,
/// averages, minima and maxima, and one list per group of the pool ids behind its numbers, each id packed with a bit
/// per measure it counts in (so a cell can be traced exactly, and a count is the number of its ids). A second
/// statement, without groups, gives the totals of the measures other than counts; the counts' totals add up the groups.
/// </summary>
public sealed class ReportQuery
{
    private readonly List<(string Name, object? Value)> _parameters = [];
    private readonly Dictionary<string, string> _aliases = new(StringComparer.Ordinal);
    private readonly SqlDialect _dialect;
    private readonly ReportFields _fields;
    /// <summary>The fields the measures read (their SQL → column name in the rows' select); null while building the rows' select.</summary>
    private readonly Dictionary<string, string>? _columns;

    private ReportQuery(SchemaCatalog catalog, ReportDefinition definition, SqlDialect dialect, DateOnly asOf)
    {
        _dialect = dialect;
        _fields = new ReportFields(catalog, definition);
        for (var i = 0; i < _fields.Entities.Count; i++)
        {
            _aliases[_fields.Entities[i]] = "t" + i.ToString(CultureInfo.InvariantCulture);
        }

        _parameters.Add(("@as_of_ymd", (long)(asOf.Year * 10000 + asOf.Month * 100 + asOf.Day)));
        var late = LateJoins(catalog, definition);
        var from = new List<string> { $"{EntityTables.TableName(definition.Entity)} t0" };
        foreach (var join in definition.Joins.Except(late.Keys))
        {
            var alias = _aliases[join.Entity];
            var source = _aliases[join.From ?? definition.Entity];
            from.Add($"{(join.Type == "inner" ? "INNER" : "LEFT")} JOIN {EntityTables.TableName(join.Entity)} {alias} " +
                $"ON {alias}.{join.On} = {source}.{join.On} AND {alias}.{EntityTables.Deleted} = 0");
        }

        var where = new List<string> { $"t0.{EntityTables.Deleted} = 0" };
        where.AddRange(definition.Filters.Select(Condition));
        var groups = definition.GroupBy.Select(g => Expression(_fields.Require(g.Field))).ToList();
        // Group values of a late join are looked up per group, after aggregating (see LateJoins).
        var isLate = definition.GroupBy.Select(g => late.Keys.Any(j => j.Entity == _fields.Require(g.Field).Entity)).ToList();
        // The measures read the fields as columns of the rows' select, each computed once per row (see below).
        _columns = new Dictionary<string, string>(StringComparer.Ordinal);
        Aggregated = [.. definition.Measures.Select((m, i) => (m, i)).Where(x => x.m.Agg != "count").Select(x => x.i)];
        var aggregates = Aggregated.Select(i => Aggregate(definition.Measures[i])).ToList();
        var members = definition.Measures.Chunk(MeasuresPerList).Select(Members).ToList();

        // SQLite would flatten the subquery into the aggregation and evaluate each column once per use: an age
        // (a REPLACE and a CAST) five times per person for the population report's bands. LIMIT -1 (no limit) keeps
        // it a subquery read row by row; PostgreSQL computes it the same either way and has no LIMIT -1.
        var early = groups.Select((g, i) => (Sql: g, Name: $"g{i}")).Where((_, i) => !isLate[i]).ToList();
        var rows = $"SELECT {string.Join(", ", early.Select(g => $"{g.Sql} AS {g.Name}").Append($"t0.{EntityTables.PoolId} AS pid").Concat(_columns.Select(c => $"{c.Key} AS {c.Value}")))} " +
            $"FROM {string.Join(" ", from)} WHERE {string.Join(" AND ", where)}{dialect.UnboundedLimit}";
        var names = groups.Select((_, i) => $"g{i}").ToList();
        var outputs = aggregates.Select((a, i) => (Sql: a, Name: $"m{i}")).Concat(members.Select((m, i) => (Sql: m, Name: $"i{i}"))).ToList();
        var grouped = $"SELECT {string.Join(", ", early.Select(g => g.Name).Concat(outputs.Select(o => $"{o.Sql} AS {o.Name}")))} " +
            $"FROM ({rows}) r{(early.Count == 0 ? "" : $" GROUP BY {string.Join(", ", early.Select(g => g.Name))}")}";
        var joined = late.Count == 0
            ? grouped
            : $"SELECT {string.Join(", ", groups.Select((g, i) => isLate[i] ? $"{g} AS g{i}" : $"a.g{i} AS g{i}").Concat(outputs.Select(o => $"a.{o.Name} AS {o.Name}")))} " +
              $"FROM ({grouped}) a " + string.Join(" ", late.Select(j =>
                  $"LEFT JOIN {EntityTables.TableName(j.Key.Entity)} {_aliases[j.Key.Entity]} ON {_aliases[j.Key.Entity]}.{j.Key.On} = a.g{j.Value} AND {_aliases[j.Key.Entity]}.{EntityTables.Deleted} = 0"));
        GroupSql = $"SELECT {string.Join(", ", names.Concat(outputs.Select(o => o.Name)))} FROM ({joined}) o " +
            $"ORDER BY {string.Join(", ", names.Select(g => $"({g} IS NULL), {g}"))}";
        TotalsSql = aggregates.Count == 0 ? null : $"SELECT {string.Join(", ", aggregates.Select((a, i) => $"{a} AS m{i}"))} FROM ({rows}) r";
    }

    /// <summary>
    /// Bits of one packed id list: measures 0–15 share the first list, 16–31 the second… A pool id times 2^16 stays
    /// far inside a 64-bit integer, and a report rarely has more than a dozen numbers, so almost always one list.
    /// </summary>
    public const int MeasuresPerList = 16;

    /// <summary>
    /// Columns g0…; m0… (the aggregates of <see cref="Aggregated"/>, in that order); i0… (per list of
    /// <see cref="MeasuresPerList"/> measures, comma-separated <c>pool_id × 2^n + mask</c>, n the list's measures,
    /// bit k set when the record counts in the list's k-th measure). One row per group, ordered by the groups with
    /// empty values last on both stores (SQLite would put them first, PostgreSQL last).
    /// </summary>
    public string GroupSql { get; }

    /// <summary>Columns m0…: the aggregates of <see cref="Aggregated"/> over every row; null when every measure is a count.</summary>
    public string? TotalsSql { get; }

    /// <summary>The measures (by index) whose number SQL computes: sum, avg, min, max. A count is the number of its ids.</summary>
    public IReadOnlyList<int> Aggregated { get; }

    public IReadOnlyList<(string Name, object? Value)> Parameters => _parameters;

    /// <summary>
    /// Joins that only name the groups can be made after aggregating, once per group instead of once per row (for a
    /// million persons, the community names were a third of the population report): a left join from the report's
    /// own entity, on the joined entity's whole key (so at most one record, and its values depend on the key alone),
    /// with that key among the groups, and no filter or measure reading the joined entity. Each such join maps to the
    /// index of the group holding its key.
    /// </summary>
    private Dictionary<ReportJoin, int> LateJoins(SchemaCatalog catalog, ReportDefinition definition)
    {
        var read = definition.Filters.Select(f => f.Field)
            .Concat(definition.Measures.SelectMany(m => m.Where.Select(w => w.Field).Concat(m.Field is null ? [] : [m.Field])))
            .Select(f => _fields.Require(f).Entity)
            .Concat(definition.Joins.Select(j => j.From ?? definition.Entity))
            .ToHashSet(StringComparer.Ordinal);
        var late = new Dictionary<ReportJoin, int>();
        foreach (var join in definition.Joins)
        {
            var key = definition.GroupBy.Select((g, i) => (Field: _fields.Require(g.Field), Index: i))
                .Where(g => !g.Field.IsAge && g.Field.Entity == definition.Entity && g.Field.Field.Name == join.On)
                .Select(g => g.Index).DefaultIfEmpty(-1).First();
            if (join.Type == "left" && (join.From ?? definition.Entity) == definition.Entity && !read.Contains(join.Entity)
                && catalog.Entity(join.Entity).Key is [var only] && only == join.On && key >= 0)
            {
                late[join] = key;
            }
        }

        return late;
    }

    /// <summary>The report's SQL with ages counted at <paramref name="asOf"/> (the snapshot's date in China Standard Time).</summary>
    public static ReportQuery Build(SchemaCatalog catalog, ReportDefinition definition, SqlDialect dialect, DateOnly asOf) =>
        new(catalog, definition, dialect, asOf);

    /// <summary>The SQL of a field; once the measures are being built, the name of its column in the rows' select.</summary>
    private string Expression(FieldRef field)
    {
        var column = $"{_aliases[field.Entity]}.{field.Field.Name}";
        // Dates are ISO text: YYYYMMDD as a number makes the age one integer division, the same on both stores.
        var sql = field.IsAge ? $"((@as_of_ymd - CAST(REPLACE({column}, '-', '') AS INTEGER)) / 10000)" : column;
        if (_columns is null)
        {
            return sql;
        }

        if (!_columns.TryGetValue(sql, out var name))
        {
            _columns[sql] = name = "c" + _columns.Count.ToString(CultureInfo.InvariantCulture);
        }

        return name;
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
        _parameters.Add((name, _dialect.ParameterValue(value)));
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

    /// <summary>A sum, average, minimum or maximum over the rows the measure counts.</summary>
    private string Aggregate(ReportMeasure measure) =>
        $"{measure.Agg.ToUpperInvariant()}(CASE WHEN {When(measure)} THEN {Expression(_fields.Require(measure.Field!))} END)";

    /// <summary>
    /// One aggregation per group for the ids of all its numbers: a group_concat per measure cost twice the counting
    /// (two thirds of the population report's statement, whose 8 measures each re-evaluated their conditions).
    /// </summary>
    private string Members(ReportMeasure[] measures)
    {
        var mask = string.Join(" + ", measures.Select((m, bit) =>
        {
            var weight = (1L << bit).ToString(CultureInfo.InvariantCulture);
            return m.Agg == "count" && m.Where.Count == 0 ? weight : $"(CASE WHEN {When(m)} THEN {weight} ELSE 0 END)";
        }));
        var packed = $"CAST(pid * {(1L << measures.Length).ToString(CultureInfo.InvariantCulture)} + {mask} AS TEXT)";
        return _dialect.StringAggregate(packed, "','");
    }
}
