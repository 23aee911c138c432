using DataPool.Core.Access;
using DataPool.Core.Schema;
using FluentValidation;

namespace DataPool.Core.Query;

/// <summary>
/// Checks a query against the schema and the viewer's grant: every field named must exist and be granted; a field
/// the viewer sees masked cannot be filtered on at all (not even equals or in:, which would confirm a guessed ID number
/// one request at a time) nor sorted on (which would order the hidden values). Each failure names the query
/// parameter at fault.
/// </summary>
public sealed class PoolQueryValidator : AbstractValidator<PoolQuery>
{
    public const int MaxSortKeys = 4;
    public const int MaxInValues = 1000;

    public PoolQueryValidator(SchemaCatalog catalog, PoolView view)
    {
        var (entity, grant) = (view.Entity, view.Grant);
        string? Unusable(string field) =>
            !entity.Fields.ContainsKey(field) ? $"'{field}' is not a field of {entity.Name} (fields: {string.Join(", ", entity.Fields.Keys)})"
            : !grant.Fields.Contains(field) ? $"'{field}' of {entity.Name} is not granted to you"
            : null;

        RuleFor(q => q.Filters).Custom((filters, context) =>
        {
            foreach (var filter in filters)
            {
                Check(filter, context);
            }
        });

        void Check(Filter filter, ValidationContext<PoolQuery> context)
        {
            if (Unusable(filter.Field) is { } problem)
            {
                context.AddFailure(filter.Field, problem);
                return;
            }

            var field = entity.Fields[filter.Field];
            if (view.Masks(filter.Field))
            {
                context.AddFailure(filter.Field, $"'{filter.Field}' is masked for you and cannot be filtered on");
                return;
            }

            var shapeProblem = filter.Op switch
            {
                FilterOp.Range when filter.Values.Count != 2 || filter.Values.All(v => v.Length == 0) => "a range is range:low..high (either side may be left open)",
                FilterOp.Range when field.Type is FieldTypes.Bool or FieldTypes.Code => $"'{filter.Field}' is a {field.Type}: use equals or in:",
                FilterOp.Prefix when field.Type is not (FieldTypes.String or FieldTypes.Code or FieldTypes.Date) => $"'{filter.Field}' is a {field.Type}: prefix: applies to text",
                FilterOp.Prefix when filter.Values[0].Length == 0 => "prefix: needs some text",
                FilterOp.In when filter.Values.Count > MaxInValues => $"in: takes at most {MaxInValues} values",
                _ => null,
            };
            if (shapeProblem is not null)
            {
                context.AddFailure(filter.Field, shapeProblem);
                return;
            }

            if (filter.Op == FilterOp.Prefix)
            {
                return;
            }

            foreach (var text in filter.Values.Where(v => filter.Op != FilterOp.Range || v.Length > 0))
            {
                if (!FieldValues.TryConvert(field, catalog, text, out _, out var valueProblem))
                {
                    context.AddFailure(filter.Field, valueProblem);
                }
            }
        }

        RuleFor(q => q.Sort).Custom((sort, context) =>
        {
            if (sort.Count > MaxSortKeys)
            {
                context.AddFailure("sort", $"sort by at most {MaxSortKeys} fields");
            }

            foreach (var key in sort)
            {
                if (Unusable(key.Field) is { } problem)
                {
                    context.AddFailure("sort", problem);
                }
                else if (view.Masks(key.Field))
                {
                    context.AddFailure("sort", $"'{key.Field}' is masked for you and cannot be sorted on");
                }
            }

            foreach (var repeated in sort.GroupBy(k => k.Field).Where(g => g.Count() > 1))
            {
                context.AddFailure("sort", $"'{repeated.Key}' appears twice");
            }
        });

        RuleFor(q => q.Fields).Custom((fields, context) =>
        {
            foreach (var problem in (fields ?? []).Select(Unusable).OfType<string>())
            {
                context.AddFailure("fields", problem);
            }
        });
    }
}
