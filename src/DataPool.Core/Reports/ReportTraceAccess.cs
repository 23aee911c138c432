using DataPool.Core.Access;

namespace DataPool.Core.Reports;

/// <summary>
/// Who may see the records behind a number of a report. A report's numbers are open to every analyst, but the pool
/// ids behind one cell say, of each resident, every value that put them there ("lives alone", "grade 2", "80 and
/// over"). So the ids are shown only to a viewer who could read those values anyway: every field that decides
/// membership of the cell (the report's filters, its groups, the measure's conditions and summed field) granted to
/// them unmasked, over every community (a worker's grant is one community's; a report's cells span all of them).
/// </summary>
public sealed class ReportTraceAccess(Schema.SchemaCatalog catalog, ReportDefinition definition, ReportMeasure measure)
{
    private readonly IReadOnlyList<FieldRef> _behind = Behind(new ReportFields(catalog, definition), definition, measure);

    /// <summary>Why the viewer may not see the ids behind the measure's cells; null when they may.</summary>
    public string? Refusal(IPoolAccess access, Viewer viewer)
    {
        foreach (var entity in _behind.Select(f => f.Entity).Prepend(definition.Entity).Distinct(StringComparer.Ordinal))
        {
            if (access.ViewOf(viewer, entity) is not { } view)
            {
                return $"the records behind '{measure.Id}' are {entity} records, and {entity} is not granted to you";
            }

            if (view.Community is not null)
            {
                return $"the records behind '{measure.Id}' span every community; your grant of {entity} is one community's";
            }

            if (_behind.Where(f => f.Entity == entity).FirstOrDefault(f => !view.Shows(f.Field.Name) || view.Masks(f.Field.Name)) is { } hidden)
            {
                return $"the records behind '{measure.Id}' would tell {entity}.{hidden.Name}, which is not granted to you unmasked";
            }
        }

        return null;
    }

    /// <summary>
    /// The personal fields a trace of the measure tells of each record behind it, for the audit log: the report
    /// entity's by name, a joined entity's as <c>entity.field</c> (<c>elderly.living_alone</c>).
    /// </summary>
    public IReadOnlyList<string> Told() =>
        _behind.Where(f => f.Field.Pii != Schema.PiiClasses.None)
            .Select(f => f.Entity == definition.Entity ? f.Field.Name : $"{f.Entity}.{f.Field.Name}")
            .Distinct(StringComparer.Ordinal).ToList();

    private static List<FieldRef> Behind(ReportFields fields, ReportDefinition definition, ReportMeasure measure) =>
    [
        .. definition.Filters.Select(f => fields.Require(f.Field)),
        .. definition.GroupBy.Select(g => fields.Require(g.Field)),
        .. measure.Where.Select(w => fields.Require(w.Field)),
        .. measure.Field is { } summed ? [fields.Require(summed)] : Array.Empty<FieldRef>(),
    ];
}
