using DataPool.Core.Schema;

namespace DataPool.Core.Reports;

/// <summary>A field a report names (<c>person.community_code</c>, <c>person.age</c>), resolved against the schema catalog.</summary>
/// <param name="Entity">The pool entity holding the field.</param>
/// <param name="Field">The schema field; for <c>age</c> the entity's <c>birth_date</c>.</param>
/// <param name="IsAge">Whole years at the snapshot date, derived from <c>birth_date</c>.</param>
public sealed record FieldRef(string Entity, PoolField Field, bool IsAge)
{
    public string Name => IsAge ? ReportNames.Age : Field.Name;

    /// <summary>The value type a filter compares against.</summary>
    public string Type => IsAge ? FieldTypes.Int : Field.Type;

    public Labels Labels => IsAge ? new Labels("年龄", "Age") : Field.Labels;
}

/// <summary>Resolves <c>entity.field</c> names of one definition: the report's entity and the entities it joins.</summary>
public sealed class ReportFields(SchemaCatalog catalog, ReportDefinition definition)
{
    /// <summary>The entities a field may come from, in join order (the report's entity first).</summary>
    public IReadOnlyList<string> Entities { get; } =
        [definition.Entity, .. definition.Joins.Select(j => j.Entity)];

    /// <summary>The resolved field, or null with the reason.</summary>
    public FieldRef? Resolve(string reference, out string? problem)
    {
        problem = null;
        var dot = reference.IndexOf('.', StringComparison.Ordinal);
        var entityName = dot < 0 ? definition.Entity : reference[..dot];
        var fieldName = dot < 0 ? reference : reference[(dot + 1)..];
        if (!Entities.Contains(entityName, StringComparer.Ordinal) || !catalog.Entities.TryGetValue(entityName, out var entity))
        {
            problem = $"'{entityName}' is not the report's entity or a joined one ({string.Join(", ", Entities)})";
            return null;
        }

        if (fieldName == ReportNames.Age && entity.Fields.TryGetValue(ReportNames.BirthDate, out var birth) && birth.Type == FieldTypes.Date)
        {
            return new FieldRef(entityName, birth, IsAge: true);
        }

        if (!entity.Fields.TryGetValue(fieldName, out var field))
        {
            problem = $"'{fieldName}' is not a field of {entityName} (fields: {string.Join(", ", entity.Fields.Keys)}"
                + (entity.Fields.ContainsKey(ReportNames.BirthDate) ? ", age" : "") + ")";
            return null;
        }

        return new FieldRef(entityName, field, IsAge: false);
    }

    public FieldRef Require(string reference) =>
        Resolve(reference, out var problem) ?? throw new ReportDefinitionException(definition.Id, [new ReportError("$", problem!)]);
}
