using DataPool.Abstractions;
using DataPool.Core.Schema;
using DataPool.Core.Values;
using DataPool.Core.Store.Writing;

namespace DataPool.Core.Sync;

/// <summary>
/// A row mapped and judged: the pool values it brings, the values flagged (invalid ones, kept aside; or cleaned ones,
/// used, noting what was removed), and the reasons to quarantine it.
/// </summary>
public sealed record RowVerdict(MappedRow Mapped, Dictionary<string, string> Values, Dictionary<string, FlaggedValue>? Flags, List<string> Reasons);

/// <summary>A stream's mapping compiled once: field plans, mapper and validator, shared by sync and dry run.</summary>
public sealed class StreamPlan
{
    public StreamPlan(StreamDefinition stream, SchemaCatalog catalog, ControlCharacterPolicy controls = ControlCharacterPolicy.Strip)
    {
        Stream = stream;
        Entity = catalog.Entity(stream.Entity);
        Plans = stream.Fields
            .Select(f =>
            {
                var field = Entity.Fields[f.Key];
                return new FieldPlan(field, f.Value, field.CodeTable is { } table ? catalog.CodeTables[table] : null, stream.Key);
            })
            .ToList();
        Mapper = new RowMapper(Plans, controls);
        Validator = new RowValidator(Plans);
    }

    public StreamDefinition Stream { get; }
    public PoolEntity Entity { get; }
    public List<FieldPlan> Plans { get; }
    public RowMapper Mapper { get; }
    public RowValidator Validator { get; }

    /// <summary>Columns the mapping or the key needs that this header lacks: the run fails rather than guess.</summary>
    public void RequireColumns(RowHeader header)
    {
        var missing = Mapper.MissingColumns(header)
            .Concat(Stream.Key.Append(Stream.AsOf).OfType<string>().Where(k => !header.TryGetIndex(k, out _))).Distinct().ToList();
        if (missing.Count > 0)
        {
            throw new SyncException($"stream '{Stream.Name}': column(s) {string.Join(", ", missing.Select(m => $"'{m}'"))} not found in the source (it has: {string.Join(", ", header.Columns)})");
        }
    }

    /// <summary>Maps and validates a row. A failure on a field mapped with <c>"onInvalid": "flag"</c> flags the value; any other is a reason.</summary>
    public RowVerdict Judge(RawRow row)
    {
        var mapped = Mapper.Map(row);
        var reasons = new List<string>();
        Dictionary<string, FlaggedValue>? flags = null;
        // A clean row (most of them) skips the validator's result objects: there is nothing for them to say.
        IEnumerable<FluentValidation.Results.ValidationFailure> failures = Validator.Passes(mapped) ? [] : Validator.Validate(mapped).Errors;
        foreach (var failure in failures)
        {
            var index = Plans.FindIndex(p => p.Name == failure.PropertyName);
            var plan = Plans[index];
            if (plan.Mapping.FlagsInvalid && mapped.Raw[index] is { } raw)
            {
                flags ??= new Dictionary<string, FlaggedValue>(StringComparer.Ordinal);
                flags.TryAdd(plan.Name, new FlaggedValue(raw, failure.ErrorMessage));
            }
            else
            {
                reasons.Add($"{plan.Name} ({plan.Columns}): {failure.ErrorMessage}");
            }
        }

        // Sized for every field at once: grown from empty, each row's dictionary was three allocations of its entries.
        var values = new Dictionary<string, string>(Plans.Count, StringComparer.Ordinal);
        for (var i = 0; i < Plans.Count; i++)
        {
            if (mapped.Values[i] is { } value && flags?.ContainsKey(Plans[i].Name) != true)
            {
                values[Plans[i].Name] = value;
            }
        }

        // A value cleaned of control characters is used, and flagged so the source record says what was removed.
        for (var i = 0; i < Plans.Count; i++)
        {
            if (mapped.Note(i) is { } note && values.ContainsKey(Plans[i].Name))
            {
                flags ??= new Dictionary<string, FlaggedValue>(StringComparer.Ordinal);
                flags.TryAdd(Plans[i].Name, new FlaggedValue(mapped.Raw[i]!, note));
            }
        }

        return new RowVerdict(mapped, values, flags, reasons);
    }
}
