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
    public RowValidator(IReadOnlyList<FieldPlan> plans)
    {
        for (var i = 0; i < plans.Count; i++)
        {
            var index = i;
            var plan = plans[i];
            RuleFor(row => row.ParseError(index))
                .Null()
                .OverridePropertyName(plan.Name)
                .WithMessage(row => $"'{row.Raw[index]}': {row.ParseError(index)}");

            if (plan.Required)
            {
                RuleFor(row => row.Raw[index])
                    .NotNull()
                    .OverridePropertyName(plan.Name)
                    .WithMessage($"is required but column {plan.Columns} is empty");
            }

            if (plan.CodeTable is { } table)
            {
                RuleFor(row => row.Value(index))
                    .Must(value => value is null || table.Codes.ContainsKey(value))
                    .OverridePropertyName(plan.Name)
                    .WithMessage(row => $"'{row.Raw[index]}' is not a code of {table.Name} ({Describe(table)}){(plan.Mapping.Codes is null ? "; map it with \"codes\"" : "")}");
            }

            if (plan.Min is { } min || plan.Max is not null)
            {
                var low = plan.Min ?? DateOnly.MinValue;
                var high = plan.Max ?? DateOnly.MaxValue;
                RuleFor(row => row.Value(index))
                    .Must(value => value is null || InRange(value, low, high))
                    .OverridePropertyName(plan.Name)
                    .WithMessage(row => $"{row.Value(index)} is outside {Bound(plan.Field.Min)} … {Bound(plan.Field.Max)}");
            }

            if (plan.Field.Format == "division")
            {
                RuleFor(row => row.Value(index))
                    .Must(value => value is null || (value.Length is 6 or 9 or 12 && value.All(char.IsAsciiDigit)))
                    .OverridePropertyName(plan.Name)
                    .WithMessage(row => $"'{row.Raw[index]}' is not a 6, 9 or 12-digit division code");
            }
        }

        var id = IndexOf(plans, p => p.Parse == ParseKind.IdNumber);
        var birth = IndexOf(plans, p => p.Name == "birth_date");
        var gender = IndexOf(plans, p => p.Name == "gender");
        if (id >= 0 && birth >= 0)
        {
            RuleFor(row => row.Value(birth))
                .Must((row, value) => value is null || row.Value(id) is not { } number || IdNumber.BirthDate(number).ToString("yyyy-MM-dd") == value)
                .OverridePropertyName(plans[birth].Name)
                .WithMessage(row => $"{row.Value(birth)} disagrees with the ID number, which says {IdNumber.BirthDate(row.Value(id)!):yyyy-MM-dd}");
        }

        if (id >= 0 && gender >= 0)
        {
            RuleFor(row => row.Value(gender))
                .Must((row, value) => value is not ("1" or "2") || row.Value(id) is not { } number || IdNumber.GenderCode(number) == value)
                .OverridePropertyName(plans[gender].Name)
                .WithMessage(row => $"'{row.Raw[gender]}' disagrees with the ID number, whose sequence says {(IdNumber.GenderCode(row.Value(id)!) == "1" ? "male (1)" : "female (2)")}");
        }
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
