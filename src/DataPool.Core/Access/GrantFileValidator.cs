using DataPool.Core.Schema;
using FluentValidation;

namespace DataPool.Core.Access;

/// <summary>
/// Checks a grant file against the pool schema: every entity and field it names must exist, unmasked fields must
/// be granted, and the department must match the file's name. Failures carry the JSON path as their property name.
/// </summary>
internal sealed class GrantFileValidator : AbstractValidator<GrantFile>
{
    public const string All = "*";

    public GrantFileValidator(SchemaCatalog catalog, string fileDepartment)
    {
        RuleFor(g => g.Department).Must(d => d == fileDepartment).OverridePropertyName("$.department")
            .WithMessage(g => $"'{g.Department}' must equal the file's name '{fileDepartment}'");
        RuleFor(g => g.Entities).Custom((entities, context) =>
        {
            foreach (var (entityName, entry) in entities)
            {
                var at = $"$.entities.{entityName}";
                if (!catalog.Entities.TryGetValue(entityName, out var entity))
                {
                    context.AddFailure(at, $"'{entityName}' is not a pool entity (entities: {string.Join(", ", catalog.Entities.Keys.Order(StringComparer.Ordinal))})");
                    continue;
                }

                if (entry.Fields.Count == 0)
                {
                    context.AddFailure($"{at}.fields", "grant at least one field, or leave the entity out");
                }

                Check(entry.Fields, $"{at}.fields", entity, context);
                Check(entry.Unmasked, $"{at}.unmasked", entity, context);
                var granted = entry.Fields.Contains(All) ? entity.Fields.Keys.ToHashSet() : entry.Fields.ToHashSet();
                for (var i = 0; i < entry.Unmasked.Count; i++)
                {
                    if (entry.Unmasked[i] != All && entity.Fields.ContainsKey(entry.Unmasked[i]) && !granted.Contains(entry.Unmasked[i]))
                    {
                        context.AddFailure($"{at}.unmasked[{i}]", $"'{entry.Unmasked[i]}' is unmasked but not in fields");
                    }
                }
            }
        });
    }

    private static void Check(IReadOnlyList<string> fields, string at, PoolEntity entity, ValidationContext<GrantFile> context)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (fields[i] != All && !entity.Fields.ContainsKey(fields[i]))
            {
                context.AddFailure($"{at}[{i}]", $"'{fields[i]}' is not a field of {entity.Name} (fields: {string.Join(", ", entity.Fields.Keys)})");
            }
        }
    }
}
