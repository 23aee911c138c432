using DataPool.Core.Schema;

namespace DataPool.Core.Reports;

/// <summary>
/// One required report, as declared in <c>schemas/reports/&lt;id&gt;.json</c>: which pool entity it reads (and which
/// entities it joins by their key), which rows, how they are grouped, what is measured, and when it is generated.
/// Field references are <c>entity.field</c> names from the schema catalog; nothing of the file reaches SQL as text.
/// </summary>
public sealed record ReportDefinition
{
    public required string Id { get; init; }
    public required Labels Title { get; init; }
    /// <summary>The owning department: its analysts (and admins) may download a roster.</summary>
    public required string Department { get; init; }
    /// <summary>The entity whose records are counted; the ids behind every number are its pool ids.</summary>
    public required string Entity { get; init; }
    public IReadOnlyList<ReportJoin> Joins { get; init; } = [];
    public IReadOnlyList<ReportFilter> Filters { get; init; } = [];
    public required IReadOnlyList<ReportGroup> GroupBy { get; init; }
    public required IReadOnlyList<ReportMeasure> Measures { get; init; }
    /// <summary>A roster lists persons (names, ID numbers): only the owning department and admins read it, masked per grants.</summary>
    public bool Roster { get; init; }
    public ReportTotals? Totals { get; init; } = new();
    public ReportSchedule? Schedule { get; init; }
    public ReportRetention Retention { get; init; } = new();
}

/// <summary>
/// <c>{ "entity": "person", "on": "id_number" }</c>: the entity's record whose key field <c>on</c> equals the field of
/// the same name on <c>from</c> (default the report's entity). Joining by the key never multiplies rows.
/// </summary>
public sealed record ReportJoin
{
    public required string Entity { get; init; }
    public required string On { get; init; }
    public string? From { get; init; }
    /// <summary>Inner drops report rows without a joined record; left (the default) keeps them with empty values.</summary>
    public string Type { get; init; } = "left";
}

/// <summary>A condition on a field: <c>eq ne in lt lte gt gte between isNull notNull</c>.</summary>
public sealed record ReportFilter
{
    public required string Field { get; init; }
    public required string Op { get; init; }
    public System.Text.Json.JsonElement? Value { get; init; }
}

/// <summary>A grouping column; a code field shows its label from schemas/codes.</summary>
public sealed record ReportGroup
{
    public required string Field { get; init; }
    public Labels? Label { get; init; }
    /// <summary>Column width in characters (CJK characters count double); computed from the content when absent.</summary>
    public double? Width { get; init; }
}

/// <summary>A number column: <c>count</c>, <c>sum</c>, <c>avg</c>, <c>min</c> or <c>max</c> of a field, over the rows that pass <c>where</c>.</summary>
public sealed record ReportMeasure
{
    public required string Id { get; init; }
    public required Labels Label { get; init; }
    public string Agg { get; init; } = "count";
    public string? Field { get; init; }
    public IReadOnlyList<ReportFilter> Where { get; init; } = [];
    /// <summary>An Excel number format, e.g. <c>#,##0</c> or <c>#,##0.00</c>.</summary>
    public string? Format { get; init; }
}

public sealed record ReportTotals
{
    public Labels Label { get; init; } = new("合计", "Total");
}

/// <summary>When the report generates itself: a cron in the communities' time zone.</summary>
public sealed record ReportSchedule
{
    public required string Cron { get; init; }
    public string TimeZone { get; init; } = "Asia/Shanghai";
}

/// <summary>A run is kept while it is among the newest <see cref="Runs"/> or younger than <see cref="Days"/>; the newest always stays.</summary>
public sealed record ReportRetention
{
    public int? Runs { get; init; } = 12;
    public int? Days { get; init; }
}

/// <summary>Names shared by the definitions, the SQL and the validator.</summary>
public static class ReportNames
{
    /// <summary>Report ids become folder names: the pattern keeps them inside the archive.</summary>
    public static readonly System.Text.RegularExpressions.Regex IdPattern = new("^[a-z0-9][a-z0-9-]{0,62}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    public static readonly IReadOnlySet<string> Ops = new HashSet<string> { "eq", "ne", "in", "lt", "lte", "gt", "gte", "between", "isNull", "notNull" };
    public static readonly IReadOnlySet<string> Aggregates = new HashSet<string> { "count", "sum", "avg", "min", "max" };
    public static readonly IReadOnlySet<string> JoinTypes = new HashSet<string> { "left", "inner" };

    /// <summary>Whole years at the snapshot's date, derived from the entity's <c>birth_date</c>.</summary>
    public const string Age = "age";
    public const string BirthDate = "birth_date";
}
