using System.Globalization;
using System.Text.Json;
using DataPool.Core.Schema;

namespace DataPool.Core.Forms;

public sealed record FormCode(string Code, Labels Label);

/// <summary>
/// One field of the unified form as rendered (the HTTP contract): the pool field it edits, its type and the rules the
/// UI checks as you type and the server enforces. <see cref="Format"/> is <c>id_number</c> (GB 11643 checksum),
/// <c>phone</c> or <c>division</c>. <see cref="Min"/>/<see cref="Max"/> are ISO dates for dates, numbers otherwise.
/// </summary>
public sealed record FormField(string Name, string Path, string Entity, string Field, string Type, Labels Label, bool Required,
    int? MaxLength, string? Pattern, object? Min, object? Max, IReadOnlyList<FormCode>? Codes, bool ReadOnly, string? Format,
    IReadOnlyList<string> LegacyForms);

/// <summary>
/// A section of the form. <see cref="Repeating"/>: the members group, one entry per person. <see cref="PerMember"/>:
/// a departmental section filled for each member (under the member's own <c>sections</c>).
/// </summary>
public sealed record FormSection(string Id, Labels Title, bool Repeating, bool PerMember, string Entity, IReadOnlyList<FormField> Fields);

/// <summary>The unified household form (schemas/forms/household.json, plus approved extensions).</summary>
public sealed record FormDefinition(string Id, int Version, Labels Title, IReadOnlyList<FormSection> Sections)
{
    public const string Members = "members";
    public const string Extensions = "extensions";

    public FormSection Section(string id) => Sections.First(s => s.Id == id);

    /// <summary>Sections filled once per household (not the members group, not the per-member ones).</summary>
    public IEnumerable<FormSection> HouseholdSections => Sections.Where(s => !s.Repeating && !s.PerMember);

    /// <summary>The members group and the departmental sections filled per member.</summary>
    public IEnumerable<FormSection> MemberSections => Sections.Where(s => s.Repeating || s.PerMember);
}

/// <summary>Loads schemas/forms/household.json and derives every field from the pool schema and the legacy-form catalog.</summary>
public static class UnifiedForm
{
    public const string FileName = "forms/household.json";

    public static FormDefinition Load(string schemasRoot, SchemaCatalog schema, LegacyFormCatalog catalog)
    {
        var file = Path.Combine(schemasRoot, FileName);
        FormFile parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<FormFile>(File.ReadAllText(file), SchemaCatalog.Json)
                ?? throw new SchemaException($"{FileName}: empty");
        }
        catch (JsonException e)
        {
            throw new SchemaException($"{FileName}: {e.Path}: {e.Message}", e);
        }

        var askedBy = catalog.Forms
            .SelectMany(form => form.Fields.Where(f => f.Mapped).Select(f => (f.Field!, form.Id)))
            .GroupBy(p => p.Item1, p => p.Id)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Distinct().ToList(), StringComparer.Ordinal);
        var errors = new List<string>();
        var sections = new List<FormSection>();
        for (var s = 0; s < parsed.Sections.Count; s++)
        {
            var section = parsed.Sections[s];
            var fields = new List<FormField>();
            for (var f = 0; f < section.Fields.Count; f++)
            {
                var spec = section.Fields[f];
                if (!PoolFieldRef.TryResolve(schema, spec.Field, out var resolved))
                {
                    errors.Add($"{FileName}: $.sections[{s}].fields[{f}].field: '{spec.Field}' is not a pool field (entity.field of schemas/pool)");
                    continue;
                }

                fields.Add(Describe(section, spec, resolved.Entity, resolved.Field, schema, askedBy.GetValueOrDefault(spec.Field) ?? []));
            }

            sections.Add(new FormSection(section.Id, section.Title, section.Repeating, section.PerMember, section.Entity, fields));
        }

        if (errors.Count > 0)
        {
            throw new SchemaException(string.Join(Environment.NewLine, errors));
        }

        return new FormDefinition(parsed.Id, parsed.Version, parsed.Title, sections);
    }

    /// <summary>The path a field's value and its errors are named by: <c>household.address</c>, <c>members[2].phone</c>, <c>members[2].elderly.since</c>.</summary>
    public static string PathOf(FormSection section, string name, int? member = null)
    {
        var index = member?.ToString(CultureInfo.InvariantCulture) ?? "";
        return section.Repeating ? $"{FormDefinition.Members}[{index}].{name}"
            : section.PerMember ? $"{FormDefinition.Members}[{index}].{section.Id}.{name}"
            : $"{section.Id}.{name}";
    }

    private static FormField Describe(SectionSpec section, FieldSpec spec, PoolEntity entity, PoolField field, SchemaCatalog schema, IReadOnlyList<string> legacyForms)
    {
        var codes = field.CodeTable is { } table && schema.CodeTables.TryGetValue(table, out var codeTable)
            ? codeTable.Codes.Select(c => new FormCode(c.Key, new Labels(c.Value, c.Value))).ToList()
            : null;
        object? min = spec.Min is { } lo ? lo : DateBound(field.Min);
        object? max = spec.Max is { } hi ? hi : DateBound(field.Max);
        var pattern = spec.Pattern ?? field.Format switch
        {
            "division" => "^[0-9]{6}([0-9]{3}){0,2}$",
            _ => null,
        };
        var path = PathOf(new FormSection(section.Id, section.Title, section.Repeating, section.PerMember, section.Entity, []), field.Name);
        return new FormField(field.Name, path, entity.Name, field.Name, field.Type, field.Labels, spec.Required, spec.MaxLength,
            pattern, min, max, codes, spec.ReadOnly, field.Format, legacyForms);
    }

    private static string? DateBound(string? bound) => bound switch
    {
        null => null,
        "today" => DateOnly.FromDateTime(DateTime.Today).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => bound,
    };

    private sealed record FormFile(string Id, int Version, Labels Title, IReadOnlyList<SectionSpec> Sections);

    private sealed record SectionSpec(string Id, Labels Title, string Entity, IReadOnlyList<FieldSpec> Fields, bool Repeating = false, bool PerMember = false);

    private sealed record FieldSpec(string Field, bool Required = false, bool ReadOnly = false, int? MaxLength = null, string? Pattern = null, decimal? Min = null, decimal? Max = null);
}
