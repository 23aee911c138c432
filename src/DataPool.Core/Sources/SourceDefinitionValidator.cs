using DataPool.Abstractions;
using DataPool.Core.Matching;
using DataPool.Core.Schema;
using FluentValidation;
using FluentValidation.Results;

namespace DataPool.Core.Sources;

/// <summary>
/// The rules JSON Schema cannot express because they depend on the pool schema and the registered
/// connectors. Each failure's property name is the JSON path of the offending value, so the loader
/// can report schema and semantic errors alike. Written defensively: it also runs on definitions
/// that failed the JSON Schema (to report everything at once), where anything may be null.
/// </summary>
public sealed class SourceDefinitionValidator : AbstractValidator<SourceDefinition>
{
    private readonly SchemaCatalog catalog;
    private readonly IReadOnlySet<string> kinds;

    public SourceDefinitionValidator(SchemaCatalog catalog, IReadOnlySet<string> kinds)
    {
        this.catalog = catalog;
        this.kinds = kinds;

        RuleFor(d => d.Kind)
            .Must(kind => kind is not null && kinds.Contains(kind))
            .OverridePropertyName("$.kind")
            .WithMessage(d => $"'{d.Kind}' is not a registered connector kind (registered: {List(kinds.Order(StringComparer.Ordinal))})");

        RuleFor(d => d.Schedule).Custom((schedule, context) =>
        {
            if (schedule is not null && CronCheck.Problem(schedule) is { } problem)
            {
                context.AddFailure(new ValidationFailure("$.schedule", $"not a cron expression: {problem}"));
            }
        });

        RuleFor(d => d.MaxDeleteShare)
            .InclusiveBetween(0, 1)
            .When(d => d.MaxDeleteShare is not null)
            .OverridePropertyName("$.maxDeleteShare")
            .WithMessage(d => $"{d.MaxDeleteShare} is not a share: give a number from 0 to 1 (0.05 = 5%)");

        RuleFor(d => d.Streams).Custom((streams, context) =>
        {
            var firstByName = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < (streams?.Count ?? 0); i++)
            {
                if (streams![i] is { } stream)
                {
                    CheckStream(i, stream, firstByName, context);
                }
            }
        });
    }

    private void CheckStream(int index, StreamDefinition stream, Dictionary<string, int> firstByName, ValidationContext<SourceDefinition> context)
    {
        var at = JsonPaths.Index("$.streams", index);
        void Fail(string path, string message) => context.AddFailure(new ValidationFailure(path, message));

        if (stream.Name is not null && !firstByName.TryAdd(stream.Name, index))
        {
            Fail($"{at}.name", $"duplicate stream name '{stream.Name}' (also streams[{firstByName[stream.Name]}])");
        }

        if (stream.Mode == StreamModes.Incremental && string.IsNullOrWhiteSpace(stream.Cursor))
        {
            Fail($"{at}.cursor", "an incremental stream needs a cursor: the source column whose increasing value marks progress");
        }

        if (stream.Entity is null || !catalog.Entities.TryGetValue(stream.Entity, out var entity))
        {
            Fail($"{at}.entity", $"'{stream.Entity}' is not a pool entity (entities: {List(catalog.Entities.Keys.Order(StringComparer.Ordinal))})");
            return;
        }

        var fields = stream.Fields ?? new Dictionary<string, FieldMapping>();
        foreach (var (name, mapping) in fields)
        {
            var path = JsonPaths.Property($"{at}.fields", name);
            if (!entity.Fields.TryGetValue(name, out var field))
            {
                Fail(path, $"'{name}' is not a field of {entity.Name} (fields: {List(entity.Fields.Keys)})");
                continue;
            }

            if (mapping is not null)
            {
                CheckMapping(path, entity, field, mapping, Fail);
            }
        }

        var unmapped = entity.Key.Where(key => !fields.ContainsKey(key)).ToList();
        if (unmapped.Count > 0 && MatchRecord.IsMatched(entity))
        {
            // A matched entity (a person) is found by its other fields when the stream has a key of its own: a community
            // ledger keyed by its record number need not have an ID number column at all. It needs a name to be matched on.
            if (!fields.ContainsKey("name"))
            {
                Fail($"{at}.fields", $"a {entity.Name} stream without {string.Join(", ", unmapped)} is matched on the other fields and must map name");
            }
        }
        else if (unmapped.Count > 0)
        {
            Fail($"{at}.fields", $"the key of {entity.Name} must be mapped, missing: {string.Join(", ", unmapped)}");
        }
    }

    private void CheckMapping(string path, PoolEntity entity, PoolField field, FieldMapping mapping, Action<string, string> fail)
    {
        if (mapping.Parse is { } parse && !Fits(parse, field))
        {
            var fitting = FittingParse(field);
            var hint = fitting is null ? "this field takes no parse" : $"use '{fitting}' or leave parse out";
            fail($"{path}.parse", $"parse '{parse}' does not fit {entity.Name}.{field.Name} ({Describe(field)}); {hint}");
        }

        if (mapping.Codes is not { } codes)
        {
            return;
        }

        if (field.Type != FieldTypes.Code || field.CodeTable is null || !catalog.CodeTables.TryGetValue(field.CodeTable, out var table))
        {
            fail($"{path}.codes", $"codes map onto a code table, but {entity.Name}.{field.Name} is a {Describe(field)}");
            return;
        }

        foreach (var (sourceValue, code) in codes)
        {
            if (code is null || !table.Codes.ContainsKey(code))
            {
                fail($"{path}.codes", $"'{sourceValue}' → '{code}': '{code}' is not a code of table {table.Name} (codes: {List(table.Codes.Keys)})");
            }
        }
    }

    /// <summary>Parse kinds produce one value type each, so only the matching pool type can take them.</summary>
    private static bool Fits(string parse, PoolField field) => parse == FittingParse(field);

    private static string? FittingParse(PoolField field) => field.Type switch
    {
        FieldTypes.String when field.Format == "id_number" => "id_number",
        FieldTypes.Date => "date",
        FieldTypes.Int => "int",
        FieldTypes.Decimal => "decimal",
        FieldTypes.Bool => "bool",
        _ => null,
    };

    private static string Describe(PoolField field) =>
        field.Format is null ? $"{field.Type} field" : $"{field.Type} field of format {field.Format}";

    private static string List(IEnumerable<string> names) => string.Join(", ", names);
}
