using DataPool.Abstractions;
using DataPool.Core.Schema;

namespace DataPool.Core.Sync;

/// <summary>The parse a mapped value goes through, from the mapping's <c>parse</c> or else the pool field's type.</summary>
public enum ParseKind { Text, IdNumber, Date, Int, Decimal, Bool, Code, Phone }

/// <summary>One pool field of a stream, resolved once: its columns, parse, code map and whether it is required.</summary>
public sealed class FieldPlan
{
    public FieldPlan(PoolField field, FieldMapping mapping, CodeTable? codeTable, IReadOnlyList<string> streamKey)
    {
        Field = field;
        Mapping = mapping;
        CodeTable = codeTable;
        Parse = ParseOf(field, mapping);
        // DESIGN.md: required defaults to true for the field that carries the stream's key columns.
        Required = mapping.Required ?? (mapping.From.Count > 0 && mapping.From.All(streamKey.Contains) && field.Format == "id_number");
        Codes = BuildCodes(mapping, codeTable);
        Min = ParseBound(field.Min);
        Max = ParseBound(field.Max);
    }

    public PoolField Field { get; }
    public FieldMapping Mapping { get; }
    public CodeTable? CodeTable { get; }
    public ParseKind Parse { get; }
    public bool Required { get; }
    public string Name => Field.Name;
    public string Columns => string.Join("+", Mapping.From);
    public DateOnly? Min { get; }
    public DateOnly? Max { get; }

    /// <summary>Source value (cleaned) → code: the mapping's own codes first, then the table's codes, labels and aliases.</summary>
    public IReadOnlyDictionary<string, string>? Codes { get; }

    private static ParseKind ParseOf(PoolField field, FieldMapping mapping) => mapping.Parse switch
    {
        "id_number" => ParseKind.IdNumber,
        "date" => ParseKind.Date,
        "int" => ParseKind.Int,
        "decimal" => ParseKind.Decimal,
        "bool" => ParseKind.Bool,
        _ => field.Format switch
        {
            "id_number" => ParseKind.IdNumber,
            "phone" => ParseKind.Phone,
            _ => field.Type switch
            {
                FieldTypes.Date => ParseKind.Date,
                FieldTypes.Int => ParseKind.Int,
                FieldTypes.Decimal => ParseKind.Decimal,
                FieldTypes.Bool => ParseKind.Bool,
                FieldTypes.Code => ParseKind.Code,
                _ => ParseKind.Text,
            },
        },
    };

    private static Dictionary<string, string>? BuildCodes(FieldMapping mapping, CodeTable? table)
    {
        if (table is null && mapping.Codes is null)
        {
            return null;
        }

        var codes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (table is not null)
        {
            foreach (var (code, label) in table.Codes)
            {
                codes.TryAdd(code, code);
                codes.TryAdd(label, code);
            }

            foreach (var (alias, code) in table.Aliases)
            {
                codes[alias] = code;
            }
        }

        foreach (var (value, code) in mapping.Codes ?? new Dictionary<string, string>())
        {
            codes[Values.Text.Clean(value) ?? value] = code;
        }

        return codes;
    }

    private static DateOnly? ParseBound(string? bound) => bound switch
    {
        null => null,
        "today" => DateOnly.FromDateTime(DateTime.Today),
        _ => DateOnly.Parse(bound, System.Globalization.CultureInfo.InvariantCulture),
    };
}
