using System.Text.Json;
using DataPool.Core.Schema;
using DataPool.Core.Sources;
using FluentValidation;

namespace DataPool.Core.Reports;

/// <summary>
/// The rules a report definition obeys beyond its JSON Schema: every entity and field exists in the schema catalog,
/// joins go by the joined entity's key, filters fit their field's type, measures have what they aggregate, the
/// schedule is a cron, and a report that lists personal values says it is a roster.
/// </summary>
public sealed class ReportDefinitionValidator : AbstractValidator<ReportDefinition>
{
    public ReportDefinitionValidator(SchemaCatalog catalog)
    {
        RuleFor(d => d.Id).Must(id => ReportNames.IdPattern.IsMatch(id)).WithMessage("an id is lower-case letters, digits and '-' (at most 63)");
        RuleFor(d => d.Title.Zh).NotEmpty().OverridePropertyName("title.zh");
        RuleFor(d => d.Title.En).NotEmpty().OverridePropertyName("title.en");
        RuleFor(d => d.Department).Must(ReportNames.IdPattern.IsMatch).WithMessage("a department is lower-case letters, digits and '-'");
        RuleFor(d => d.Entity).Must(catalog.Entities.ContainsKey)
            .WithMessage(d => $"'{d.Entity}' is not a pool entity ({string.Join(", ", catalog.Entities.Keys)})");
        RuleFor(d => d.GroupBy).NotEmpty().WithMessage("group by at least one field");
        RuleFor(d => d.Measures).NotEmpty().WithMessage("measure at least one number");
        RuleFor(d => d.Measures).Must(m => m.Select(x => x.Id).Distinct(StringComparer.Ordinal).Count() == m.Count)
            .WithMessage("measure ids must be unique");
        When(d => catalog.Entities.ContainsKey(d.Entity), () =>
        {
            RuleForEach(d => d.Joins).Custom((join, context) => CheckJoin(catalog, context.InstanceToValidate, join, context));
            RuleForEach(d => d.Filters).Custom((filter, context) => CheckFilter(catalog, context.InstanceToValidate, filter, context, ""));
            RuleForEach(d => d.GroupBy).Custom((group, context) =>
            {
                var field = Field(catalog, context.InstanceToValidate, group.Field, context, "field");
                if (field is { IsAge: false } && !context.InstanceToValidate.Roster && field.Field.Pii != PiiClasses.None
                    && field.Type is not (FieldTypes.Code or FieldTypes.Bool))
                {
                    context.AddFailure("field",
                        $"'{group.Field}' is {field.Field.Pii} data: a report listing it is a roster; set \"roster\": true");
                }
            });
            RuleForEach(d => d.Measures).Custom((measure, context) => CheckMeasure(catalog, context.InstanceToValidate, measure, context));
        });
        RuleFor(d => d.Schedule!.Cron).Must(c => CronCheck.Problem(c) is null)
            .WithMessage(d => CronCheck.Problem(d.Schedule!.Cron) ?? "").OverridePropertyName("schedule.cron").When(d => d.Schedule is not null);
        RuleFor(d => d.Retention).Must(r => r.Runs is > 0 || r.Days is > 0)
            .WithMessage("keep at least one run: give runs or days above 0");
    }

    /// <summary>FluentValidation's <c>GroupBy[0].Field</c> as the JSON path a person reads in the file, <c>$.groupBy[0].field</c>.</summary>
    public static string JsonPath(string propertyPath) =>
        "$" + string.Concat(propertyPath.Split('.').Where(s => s.Length > 0).Select(s => "." + char.ToLowerInvariant(s[0]) + s[1..]));

    private static FieldRef? Field(SchemaCatalog catalog, ReportDefinition definition, string reference, FluentValidation.ValidationContext<ReportDefinition> context, string property)
    {
        var field = new ReportFields(catalog, definition).Resolve(reference, out var problem);
        if (field is null)
        {
            context.AddFailure(property, problem!);
        }

        return field;
    }

    private static void CheckJoin(SchemaCatalog catalog, ReportDefinition definition, ReportJoin join, FluentValidation.ValidationContext<ReportDefinition> context)
    {
        if (!catalog.Entities.TryGetValue(join.Entity, out var entity))
        {
            context.AddFailure("entity", $"'{join.Entity}' is not a pool entity");
            return;
        }

        if (entity.Key.Count != 1 || entity.Key[0] != join.On)
        {
            context.AddFailure("on", $"a join goes by the joined entity's key ({string.Join(", ", entity.Key)}), so it never multiplies rows");
        }

        var from = join.From ?? definition.Entity;
        var earlier = new[] { definition.Entity }.Concat(definition.Joins.TakeWhile(j => !ReferenceEquals(j, join)).Select(j => j.Entity));
        if (!earlier.Contains(from, StringComparer.Ordinal))
        {
            context.AddFailure("from", $"'{from}' is not the report's entity or an earlier join");
        }
        else if (catalog.Entities.TryGetValue(from, out var source) && !source.Fields.ContainsKey(join.On))
        {
            context.AddFailure("on", $"'{join.On}' is not a field of {from}");
        }

        if (!ReportNames.JoinTypes.Contains(join.Type))
        {
            context.AddFailure("type", $"'{join.Type}' is not one of {string.Join(", ", ReportNames.JoinTypes)}");
        }

        if (join.Entity == definition.Entity || definition.Joins.Count(j => j.Entity == join.Entity) > 1)
        {
            context.AddFailure("entity", $"'{join.Entity}' is joined twice");
        }
    }

    private static void CheckFilter(SchemaCatalog catalog, ReportDefinition definition, ReportFilter filter, FluentValidation.ValidationContext<ReportDefinition> context, string prefix)
    {
        var field = new ReportFields(catalog, definition).Resolve(filter.Field, out var problem);
        if (field is null)
        {
            context.AddFailure(Sub(prefix, "field"), problem!);
            return;
        }

        if (!ReportNames.Ops.Contains(filter.Op))
        {
            context.AddFailure(Sub(prefix, "op"), $"'{filter.Op}' is not one of {string.Join(", ", ReportNames.Ops)}");
            return;
        }

        if (ReportSqlValues.Problem(field, filter, catalog) is { } bad)
        {
            context.AddFailure(Sub(prefix, "value"), bad);
        }
    }

    /// <summary>A property below the element being validated; FluentValidation prefixes the element's own path.</summary>
    private static string Sub(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

    private static void CheckMeasure(SchemaCatalog catalog, ReportDefinition definition, ReportMeasure measure, FluentValidation.ValidationContext<ReportDefinition> context)
    {
        if (!SchemaCatalog.IsIdentifier(measure.Id))
        {
            context.AddFailure("id", "a measure id is lower-case letters, digits and '_'");
        }

        if (!ReportNames.Aggregates.Contains(measure.Agg))
        {
            context.AddFailure("agg", $"'{measure.Agg}' is not one of {string.Join(", ", ReportNames.Aggregates)}");
        }
        else if (measure.Agg != "count")
        {
            if (measure.Field is null)
            {
                context.AddFailure("field", $"'{measure.Agg}' needs the field it aggregates");
            }
            else if (Field(catalog, definition, measure.Field, context, "field") is { } field && field.Type is not (FieldTypes.Int or FieldTypes.Decimal))
            {
                context.AddFailure("field", $"'{measure.Field}' is {field.Type}; {measure.Agg} takes an int or decimal field");
            }
        }

        for (var i = 0; i < measure.Where.Count; i++)
        {
            CheckFilter(catalog, definition, measure.Where[i], context, $"where[{i}]");
        }
    }
}

/// <summary>Turns a filter's JSON value into SQL parameter values of its field's type.</summary>
public static class ReportSqlValues
{
    /// <summary>Why the filter's value does not fit its field and operator; null when it does.</summary>
    public static string? Problem(FieldRef field, ReportFilter filter, SchemaCatalog catalog)
    {
        try
        {
            var values = Values(field, filter);
            if (field.Type == FieldTypes.Code && catalog.CodeTables.TryGetValue(field.Field.CodeTable ?? "", out var table))
            {
                var unknown = values.OfType<string>().FirstOrDefault(v => !table.Codes.ContainsKey(v));
                if (unknown is not null)
                {
                    return $"'{unknown}' is not a code of {table.Name} ({string.Join(", ", table.Codes.Keys.Take(12))}…)";
                }
            }

            return null;
        }
        catch (FormatException e)
        {
            return e.Message;
        }
    }

    /// <summary>The filter's values (none, one, two for between, any number for in) as typed parameter values.</summary>
    public static IReadOnlyList<object> Values(FieldRef field, ReportFilter filter)
    {
        var value = filter.Value;
        switch (filter.Op)
        {
            case "isNull" or "notNull":
                return value is null or { ValueKind: JsonValueKind.Null } ? [] : throw new FormatException($"{filter.Op} takes no value");
            case "in":
                return value is { ValueKind: JsonValueKind.Array } list && list.GetArrayLength() > 0
                    ? list.EnumerateArray().Select(v => One(field, v)).ToList()
                    : throw new FormatException("in takes a non-empty array");
            case "between":
                return value is { ValueKind: JsonValueKind.Array } range && range.GetArrayLength() == 2
                    ? range.EnumerateArray().Select(v => One(field, v)).ToList()
                    : throw new FormatException("between takes [low, high]");
            default:
                return value is { } single && single.ValueKind != JsonValueKind.Null
                    ? [One(field, single)]
                    : throw new FormatException($"{filter.Op} takes one value");
        }
    }

    private static object One(FieldRef field, JsonElement value) => field.Type switch
    {
        FieldTypes.Int when value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var i) => i,
        FieldTypes.Decimal when value.ValueKind == JsonValueKind.Number => value.GetDecimal(),
        FieldTypes.Bool when value.ValueKind is JsonValueKind.True or JsonValueKind.False => value.GetBoolean() ? 1L : 0L,
        FieldTypes.Date when value.ValueKind == JsonValueKind.String && DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", out _) => value.GetString()!,
        FieldTypes.String or FieldTypes.Code when value.ValueKind == JsonValueKind.String => value.GetString()!,
        _ => throw new FormatException($"{value.GetRawText()} is not a value of {field.Name} ({field.Type})"),
    };
}
