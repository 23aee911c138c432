using DataPool.Core.Values;
using FluentValidation;

namespace DataPool.Core.Sync;

/// <summary>
/// Every rule a mapped row must pass, built once per stream from the pool schema: parse errors
/// (including the ID checksum), required values, code tables, date ranges, formats, and birth date
/// and gender agreeing with the ID number. A failure's property name is the pool field it concerns.
/// </summary>
public sealed class RowValidator : AbstractValidator<MappedRow>
{
    /// <summary>Every rule's test, in rule order: a row passing them all has no failure to describe.</summary>
    private readonly List<Func<MappedRow, bool>> _tests = [];

    public RowValidator(IReadOnlyList<FieldPlan> plans)
    {
        for (var i = 0; i < plans.Count; i++)
        {
            var index = i;
            var plan = plans[i];
            Rule(plan.Name, row => row.ParseError(index) is null, row => $"'{row.Raw[index]}': {row.ParseError(index)}");

            if (plan.Required)
            {
                Rule(plan.Name, row => row.Raw[index] is not null, _ => $"is required but column {plan.Columns} is empty");
            }

            if (plan.CodeTable is { } table)
            {
                Rule(plan.Name, row => row.Value(index) is not { } value || table.Codes.ContainsKey(value),
                    row => $"'{row.Raw[index]}' is not a code of {table.Name} ({Describe(table)}){(plan.Mapping.Codes is null ? "; map it with \"codes\"" : "")}");
            }

            if (plan.Min is { } min || plan.Max is not null)
            {
                var low = plan.Min ?? DateOnly.MinValue;
                var high = plan.Max ?? DateOnly.MaxValue;
                Rule(plan.Name, row => row.Value(index) is not { } value || InRange(value, low, high),
                    row => $"{row.Value(index)} is outside {Bound(plan.Field.Min)} … {Bound(plan.Field.Max)}");
            }

            if (plan.Field.Format == "division")
            {
                Rule(plan.Name, row => row.Value(index) is not { } value || (value.Length is 6 or 9 or 12 && !value.AsSpan().ContainsAnyExceptInRange('0', '9')),
                    row => $"'{row.Raw[index]}' is not a 6, 9 or 12-digit division code");
            }
        }

        var id = IndexOf(plans, p => p.Parse == ParseKind.IdNumber);
        var birth = IndexOf(plans, p => p.Name == "birth_date");
        var gender = IndexOf(plans, p => p.Name == "gender");
        if (id >= 0 && birth >= 0)
        {
            Rule(plans[birth].Name,
                row => row.Value(birth) is not { } value || row.Value(id) is not { } number || IdNumber.BirthDate(number).ToString("yyyy-MM-dd") == value,
                row => $"{row.Value(birth)} disagrees with the ID number, which says {IdNumber.BirthDate(row.Value(id)!):yyyy-MM-dd}");
        }

        if (id >= 0 && gender >= 0)
        {
            Rule(plans[gender].Name,
                row => row.Value(gender) is not ("1" or "2") || row.Value(id) is not { } number || IdNumber.GenderCode(number) == row.Value(gender),
                row => $"'{row.Raw[gender]}' disagrees with the ID number, whose sequence says {(IdNumber.GenderCode(row.Value(id)!) == "1" ? "male (1)" : "female (2)")}");
        }
    }

    /// <summary>
    /// Whether the row passes every rule, tested directly: most rows of an export are clean, and for them the
    /// validator's result objects (a context, a result, a list per row) would be built only to say nothing. A row
    /// that fails a test is then validated in full, which names every failure with its message.
    /// </summary>
    public bool Passes(MappedRow row)
    {
        foreach (var test in _tests)
        {
            if (!test(row))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One rule, its test shared by <see cref="Passes"/> and the full validation, so the two cannot disagree.</summary>
    private void Rule(string field, Func<MappedRow, bool> test, Func<MappedRow, string> message)
    {
        _tests.Add(test);
        RuleFor(row => row).Must(test).OverridePropertyName(field).WithMessage(message);
    }

    private static int IndexOf(IReadOnlyList<FieldPlan> plans, Func<FieldPlan, bool> predicate)
    {
        for (var i = 0; i < plans.Count; i++)
        {
            if (predicate(plans[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool InRange(string value, DateOnly low, DateOnly high) =>
        !DateOnly.TryParseExact(value, "yyyy-MM-dd", out var date) || (date >= low && date <= high);

    private static string Bound(string? bound) => bound ?? "";

    private static string Describe(Schema.CodeTable table) =>
        table.Codes.Count <= 12
            ? string.Join(", ", table.Codes.Select(c => $"{c.Key} {c.Value}"))
            : $"{table.Codes.Count} codes, e.g. {string.Join(", ", table.Codes.Take(3).Select(c => $"{c.Key} {c.Value}"))}";
}
