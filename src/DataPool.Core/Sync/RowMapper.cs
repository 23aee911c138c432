using System.Globalization;
using DataPool.Abstractions;
using DataPool.Core.Values;

namespace DataPool.Core.Sync;

/// <summary>Maps raw rows of one stream onto its pool fields: pick columns, clean, parse and normalise.</summary>
public sealed class RowMapper
{
    private readonly IReadOnlyList<FieldPlan> _plans;
    private readonly ControlCharacterPolicy _controls;
    private RowHeader? _header;
    private int[][] _columns = [];

    public RowMapper(IReadOnlyList<FieldPlan> plans, ControlCharacterPolicy controls = ControlCharacterPolicy.Strip)
    {
        _plans = plans;
        _controls = controls;
    }

    /// <summary>Column names of the mapping that the row's header lacks (a renamed column in the export).</summary>
    public IEnumerable<string> MissingColumns(RowHeader header) =>
        _plans.SelectMany(p => p.Mapping.From).Where(c => !header.TryGetIndex(c, out _)).Distinct();

    public MappedRow Map(RawRow row)
    {
        Resolve(row.Header);
        var mapped = new MappedRow(_plans.Count);
        for (var i = 0; i < _plans.Count; i++)
        {
            var plan = _plans[i];
            var joined = Join(row, _columns[i]);
            var text = Text.Clean(joined) ?? Text.Clean(plan.Mapping.Default);
            mapped.Raw[i] = text;
            if (joined is not null && ControlCharacters.Contains(joined))
            {
                // Text.Clean has already dropped them; say so, or refuse the value.
                var found = ControlCharacters.Describe(joined);
                if (_controls == ControlCharacterPolicy.Reject)
                {
                    mapped.SetParseError(i, $"contains control or bidi character(s) {found}");
                    continue;
                }

                mapped.SetNote(i, $"control or bidi character(s) {found} stripped");
            }

            if (text is null)
            {
                continue;
            }

            var (value, error) = Normalise(plan, text);
            mapped.Values[i] = value;
            mapped.SetParseError(i, error);
        }

        return mapped;
    }

    private static (string? Value, string? Error) Normalise(FieldPlan plan, string text)
    {
        switch (plan.Parse)
        {
            case ParseKind.IdNumber:
                return IdNumber.TryNormalise(text, out var id, out var idError) ? (id, null) : (null, idError);
            case ParseKind.Date:
                return LegacyDate.TryParse(text, out var date, out var dateError)
                    ? (date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null)
                    : (null, dateError);
            case ParseKind.Int:
                return Numbers.TryParseInt(text, out var number, out var intError)
                    ? (number.ToString(CultureInfo.InvariantCulture), null)
                    : (null, intError);
            case ParseKind.Decimal:
                return Numbers.TryParseDecimal(text, out var amount, out var decimalError)
                    ? (amount.ToString("0.############################", CultureInfo.InvariantCulture), null)
                    : (null, decimalError);
            case ParseKind.Bool:
                return Numbers.TryParseBool(text, out var flag, out var boolError) ? (flag ? "1" : "0", null) : (null, boolError);
            case ParseKind.Phone:
                return Phone.TryNormalise(text, out var phone, out var phoneError) ? (phone, null) : (null, phoneError);
            default:
                // Codes not found stay as they are: the validator names the value and the table.
                return (plan.Codes is not null && plan.Codes.TryGetValue(text, out var code) ? code : text, null);
        }
    }

    private static string? Join(RawRow row, int[] columns) =>
        columns.Length == 1
            ? columns[0] >= 0 && columns[0] < row.Values.Length ? row.Values[columns[0]] : null
            : JoinMany(row.Values, columns);

    // Apart from Join: a lambda capturing the row made every call allocate its closure, one-column fields too.
    private static string? JoinMany(string?[] values, int[] columns)
    {
        var parts = columns.Where(c => c >= 0 && c < values.Length).Select(c => values[c]).Where(v => !string.IsNullOrWhiteSpace(v));
        var joined = string.Join(' ', parts);
        return joined.Length == 0 ? null : joined;
    }

    private void Resolve(RowHeader header)
    {
        if (ReferenceEquals(header, _header))
        {
            return;
        }

        _header = header;
        _columns = _plans
            .Select(p => p.Mapping.From.Select(c => header.TryGetIndex(c, out var index) ? index : -1).ToArray())
            .ToArray();
    }
}
