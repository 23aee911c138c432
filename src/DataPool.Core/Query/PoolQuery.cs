using Microsoft.Extensions.Primitives;

namespace DataPool.Core.Query;

/// <summary>How a filter compares a field: <c>?f=v</c> or <c>eq:v</c>, <c>in:a,b</c>, <c>range:lo..hi</c>, <c>prefix:text</c>.</summary>
public enum FilterOp
{
    Equals,
    In,
    Range,
    Prefix,
}

/// <summary>One filter of a query, as the caller wrote it (values are still text; <see cref="FieldValues.TryConvert"/> types them).</summary>
/// <param name="Values">Equals/prefix: one value; in: the list; range: low and high, either may be empty (open).</param>
public sealed record Filter(string Field, FilterOp Op, IReadOnlyList<string> Values);

/// <summary>One sort key: a field, ascending unless written <c>-field</c>.</summary>
public sealed record SortKey(string Field, bool Descending);

/// <summary>
/// A query of one pool entity read from the query string. Every parameter not reserved here names a field to filter
/// on: <c>?name=张三&amp;gender=in:1,2&amp;birth_date=range:1950-01-01..1960-12-31&amp;address=prefix:东城区&amp;sort=-birth_date,name&amp;fields=name,gender&amp;limit=50&amp;after=…</c>.
/// A page is reached either by the <c>after</c> cursor (keyset: cheap however deep) or by <c>offset</c> (a numbered page
/// a person can bookmark: "page 3 of 40"); <c>total=true</c> also counts every matching row.
/// </summary>
public sealed record PoolQuery(string Entity, IReadOnlyList<Filter> Filters, IReadOnlyList<SortKey> Sort, IReadOnlyList<string>? Fields, int Limit, string? After)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>The deepest numbered page start: beyond it, the keyset cursor pages without rereading what it skips.</summary>
    public const int MaxOffset = 1_000_000;

    /// <summary>Query parameters that are not filters.</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.Ordinal) { "sort", "fields", "limit", "after", "offset", "total", "format", "asOf" };

    /// <summary>Rows skipped before the page (0: the first page); never together with <see cref="After"/>.</summary>
    public int Offset { get; init; }

    /// <summary>Whether the page also tells how many rows match in all.</summary>
    public bool CountTotal { get; init; }

    private static readonly (string Prefix, FilterOp Op)[] Ops =
    [
        ("eq:", FilterOp.Equals), ("in:", FilterOp.In), ("range:", FilterOp.Range), ("prefix:", FilterOp.Prefix),
    ];

    /// <summary>
    /// Reads the query string; what cannot even be read (a limit that is not a number) is reported by parameter name.
    /// Whether the fields exist and are granted is the validator's business.
    /// </summary>
    public static PoolQuery Parse(string entity, IEnumerable<KeyValuePair<string, StringValues>> query, out Dictionary<string, string[]> errors)
    {
        errors = [];
        var filters = new List<Filter>();
        IReadOnlyList<SortKey> sort = [];
        IReadOnlyList<string>? fields = null;
        var limit = DefaultLimit;
        var offset = 0;
        var countTotal = false;
        string? after = null;
        foreach (var (name, values) in query)
        {
            var value = values.ToString();
            switch (name)
            {
                case "sort":
                    sort = Split(value).Select(s => s.StartsWith('-') ? new SortKey(s[1..], true) : new SortKey(s.TrimStart('+'), false)).ToList();
                    break;
                case "fields":
                    fields = Split(value).ToList();
                    break;
                case "limit":
                    if (!int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit)
                    {
                        errors["limit"] = [$"limit is a whole number from 1 to {MaxLimit}"];
                    }

                    break;
                case "after":
                    after = value;
                    break;
                case "offset":
                    if (!int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out offset) || offset > MaxOffset)
                    {
                        errors["offset"] = [$"offset is a whole number from 0 to {MaxOffset}"];
                    }

                    break;
                case "total":
                    if (!bool.TryParse(value, out countTotal))
                    {
                        errors["total"] = ["total is true or false"];
                    }

                    break;
                case "format" or "asOf":
                    break;
                default:
                    filters.AddRange(values.Where(v => v is not null).Select(v => ReadFilter(name, v!)));
                    break;
            }
        }

        if (after is not null && offset > 0)
        {
            errors["offset"] = ["page either by offset or by the after cursor, not both"];
        }

        return new PoolQuery(entity, filters, sort, fields, limit, after) { Offset = offset, CountTotal = countTotal };
    }

    private static Filter ReadFilter(string field, string text)
    {
        foreach (var (prefix, op) in Ops)
        {
            if (text.StartsWith(prefix, StringComparison.Ordinal))
            {
                var rest = text[prefix.Length..];
                return op switch
                {
                    FilterOp.In => new Filter(field, op, rest.Split(',').Select(v => v.Trim()).ToList()),
                    FilterOp.Range => rest.IndexOf("..", StringComparison.Ordinal) is var dots and >= 0
                        ? new Filter(field, op, [rest[..dots].Trim(), rest[(dots + 2)..].Trim()])
                        : new Filter(field, op, [rest]),
                    _ => new Filter(field, op, [rest]),
                };
            }
        }

        return new Filter(field, FilterOp.Equals, [text]);
    }

    private static IEnumerable<string> Split(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
