using System.Text.Json;
using DataPool.Core.Schema;
using FluentValidation;

namespace DataPool.Core.Forms;

/// <summary>How a legacy form was filled: once per household, once per person, or once for the whole community.</summary>
public static class FormScopes
{
    public const string Household = "household";
    public const string Person = "person";
    public const string Community = "community";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { Household, Person, Community };
}

/// <summary>
/// One field a legacy form asked for: mapped to a pool field (<c>entity.field</c>), or <c>unmapped</c> with why it is
/// no longer asked of communities (a signature, a total the reports compute, a value another system holds).
/// </summary>
public sealed record LegacyField(string Label, string? Field = null, string? Unmapped = null)
{
    public bool Mapped => Field is not null;
}

/// <summary>
/// One of the forms departments used to send down to communities (the burden baseline). <see cref="AppliesTo"/>
/// names the pool entity whose residents it was filled for (e.g. <c>disability</c>); none: every resident or household.
/// <see cref="Report"/> names the generated report (schemas/reports/&lt;id&gt;.json) that replaces it.
/// </summary>
public sealed record LegacyForm(string Id, string Name, string Department, decimal PerYear, string Scope, IReadOnlyList<LegacyField> Fields,
    string? AppliesTo = null, string? Report = null)
{
    public bool IsReport => Report is not null;
}

/// <summary>schemas/legacy-forms/*.json: the legacy forms, validated at load with errors naming the file and JSON path.</summary>
public sealed class LegacyFormCatalog(IReadOnlyList<LegacyForm> forms)
{
    public const string Folder = "legacy-forms";

    public IReadOnlyList<LegacyForm> Forms { get; } = forms;

    public static LegacyFormCatalog Load(string schemasRoot, SchemaCatalog schema)
    {
        var folder = Path.Combine(schemasRoot, Folder);
        if (!Directory.Exists(folder))
        {
            throw new SchemaException($"{Folder}/: not found (the catalog of legacy forms)");
        }

        var forms = new List<LegacyForm>();
        var errors = new List<string>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            var name = $"{Folder}/{Path.GetFileName(file)}";
            CatalogFile? parsed;
            try
            {
                parsed = JsonSerializer.Deserialize<CatalogFile>(File.ReadAllText(file), SchemaCatalog.Json);
            }
            catch (JsonException e)
            {
                errors.Add($"{name}: {e.Path}: {e.Message}");
                continue;
            }

            var result = new CatalogFileValidator(schema).Validate(parsed ?? new CatalogFile(null));
            errors.AddRange(result.Errors.Select(e => $"{name}: $.{e.PropertyName}: {e.ErrorMessage}"));
            forms.AddRange(parsed?.Forms ?? []);
        }

        foreach (var duplicate in forms.GroupBy(f => f.Id).Where(g => g.Count() > 1))
        {
            errors.Add($"{Folder}: form id '{duplicate.Key}' is used {duplicate.Count()} times");
        }

        if (errors.Count > 0)
        {
            throw new SchemaException(string.Join(Environment.NewLine, errors));
        }

        return new LegacyFormCatalog(forms);
    }

    private sealed record CatalogFile(IReadOnlyList<LegacyForm>? Forms);

    private sealed class CatalogFileValidator : AbstractValidator<CatalogFile>
    {
        public CatalogFileValidator(SchemaCatalog schema)
        {
            RuleFor(f => f.Forms).NotEmpty().WithMessage("a catalog file lists its forms in \"forms\"");
            RuleForEach(f => f.Forms).SetValidator(new FormValidator(schema)).OverridePropertyName("forms");
        }
    }

    private sealed class FormValidator : AbstractValidator<LegacyForm>
    {
        public FormValidator(SchemaCatalog schema)
        {
            RuleFor(f => f.Id).Matches("^[a-z0-9][a-z0-9-]*$").OverridePropertyName("id").WithMessage("an id is [a-z0-9-]");
            RuleFor(f => f.Name).NotEmpty().OverridePropertyName("name").WithMessage("a form has its Chinese name");
            RuleFor(f => f.Department).Matches("^[a-z0-9][a-z0-9-]*$").OverridePropertyName("department").WithMessage("a department is [a-z0-9-], e.g. civil-affairs");
            RuleFor(f => f.PerYear).GreaterThan(0).OverridePropertyName("perYear").WithMessage("how many times a year the form was filled: more than 0");
            RuleFor(f => f.Scope).Must(FormScopes.All.Contains).OverridePropertyName("scope")
                .WithMessage(f => $"'{f.Scope}' is not one of {string.Join(", ", FormScopes.All)}");
            RuleFor(f => f.AppliesTo).Must(e => e is null || schema.Entities.ContainsKey(e)).OverridePropertyName("appliesTo")
                .WithMessage(f => $"'{f.AppliesTo}' is not a pool entity");
            RuleFor(f => f.Report).Matches("^[a-z0-9][a-z0-9-]*$").When(f => f.Report is not null).OverridePropertyName("report").WithMessage("a report id is [a-z0-9-]");
            RuleFor(f => f.Fields).NotEmpty().OverridePropertyName("fields").WithMessage("a form has at least one field");
            RuleForEach(f => f.Fields).SetValidator(new FieldValidator(schema)).OverridePropertyName("fields");
        }
    }

    private sealed class FieldValidator : AbstractValidator<LegacyField>
    {
        public FieldValidator(SchemaCatalog schema)
        {
            RuleFor(f => f.Label).NotEmpty().OverridePropertyName("label").WithMessage("a field has the label the form printed");
            RuleFor(f => f).Must(f => f.Field is null != (f.Unmapped is null)).OverridePropertyName("field")
                .WithMessage("a field is either mapped (\"field\": \"entity.field\") or \"unmapped\" with the reason");
            RuleFor(f => f.Field).Must(f => PoolFieldRef.TryResolve(schema, f!, out _)).When(f => f.Field is not null).OverridePropertyName("field")
                .WithMessage(f => $"'{f.Field}' is not a pool field (entity.field of schemas/pool)");
        }
    }
}

/// <summary>A reference to a pool field as <c>entity.field</c>.</summary>
public static class PoolFieldRef
{
    public static bool TryResolve(SchemaCatalog schema, string reference, out (PoolEntity Entity, PoolField Field) resolved)
    {
        resolved = default;
        var dot = reference.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !schema.Entities.TryGetValue(reference[..dot], out var entity) || !entity.Fields.TryGetValue(reference[(dot + 1)..], out var field))
        {
            return false;
        }

        resolved = (entity, field);
        return true;
    }
}
