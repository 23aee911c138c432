using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text;
using DataPool.Core.Schema;

namespace DataPool.Core.Forms;

/// <summary>
/// One prefilled value and who said so: the source, its department, and when (the run that last changed it, the import).
/// <see cref="Withheld"/>: the viewer's grant does not show this field (not granted, or masked): no value, no source.
/// </summary>
public sealed record FieldValue(string? Value, string? Source, string? Department, string? At)
{
    /// <summary>When the department recorded the value, where its source says so (the stream's <c>asOf</c> column); else null.</summary>
    public string? RecordedAt { get; init; }

    public static readonly FieldValue WithheldValue = new(null, null, null, null) { Withheld = true };

    public bool Withheld { get; init; }
}

/// <summary>A member of the household as the form shows it: their pool id (person) and their sections' values.</summary>
public sealed record MemberValues(long? PoolId, IReadOnlyDictionary<string, IReadOnlyDictionary<string, FieldValue>> Sections);

/// <summary>
/// A household's form prefilled from the pool (the HTTP contract's GET body). <see cref="Corrections"/>: the household's
/// correction requests with their status, each naming its value by <see cref="CorrectionRequest.FormKey"/>;
/// <see cref="CreatedCorrections"/>: on a save's answer, the ids of the requests that save opened.
/// </summary>
public sealed record HouseholdForm(string HouseholdNo, string? CommunityCode, string Etag,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, FieldValue>> Sections, IReadOnlyList<MemberValues> Members)
{
    public IReadOnlyList<CorrectionRequest> Corrections { get; init; } = [];

    public IReadOnlyList<long>? CreatedCorrections { get; init; }

    /// <summary>
    /// The form as a viewer may see it: a value of a field their grant does not show unmasked is withheld (no value, no
    /// source), so the form shows no more than the query API would. <paramref name="shows"/> answers per entity and field.
    /// </summary>
    public HouseholdForm As(FormDefinition definition, Func<string, string, bool> shows)
    {
        var fields = definition.Sections.ToDictionary(s => s.Id, s => s.Fields.ToDictionary(f => f.Name, f => (f.Entity, f.Field), StringComparer.Ordinal), StringComparer.Ordinal);
        IReadOnlyDictionary<string, FieldValue> Filter(string section, IReadOnlyDictionary<string, FieldValue> values) =>
            values.ToDictionary(p => p.Key,
                p => fields.TryGetValue(section, out var names) && names.TryGetValue(p.Key, out var field) && !shows(field.Entity, field.Field) ? FieldValue.WithheldValue : p.Value,
                StringComparer.Ordinal);
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, FieldValue>> FilterAll(IReadOnlyDictionary<string, IReadOnlyDictionary<string, FieldValue>> sections) =>
            sections.ToDictionary(p => p.Key, p => Filter(p.Key, p.Value), StringComparer.Ordinal);
        return this with { Sections = FilterAll(Sections), Members = Members.Select(m => m with { Sections = FilterAll(m.Sections) }).ToList() };
    }

    /// <summary>Every value by its path (<c>household.address</c>, <c>members[pool:17].phone</c>): what the ETag covers and what a conflict compares.</summary>
    public Dictionary<string, FieldValue> Flatten()
    {
        var flat = new Dictionary<string, FieldValue>(StringComparer.Ordinal);
        foreach (var (section, fields) in Sections)
        {
            foreach (var (name, value) in fields)
            {
                flat[$"{section}.{name}"] = value;
            }
        }

        foreach (var member in Members)
        {
            foreach (var (section, fields) in member.Sections)
            {
                foreach (var (name, value) in fields)
                {
                    flat[MemberKey(member.PoolId, section, name)] = value;
                }
            }
        }

        return flat;
    }

    /// <summary>The key of a member's value, by pool id so that it survives members being reordered.</summary>
    public static string MemberKey(long? poolId, string section, string name) =>
        section == FormDefinition.Members
            ? $"members[pool:{poolId}].{name}"
            : $"members[pool:{poolId}].{section}.{name}";

    /// <summary>An opaque tag over the current values only (not their provenance): any change of a value changes it.</summary>
    public static string TagOf(IReadOnlyDictionary<string, FieldValue> flat)
    {
        var text = string.Join("\n", flat.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value.Value}"));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..24].ToLowerInvariant();
    }

    public static string Snapshot(IReadOnlyDictionary<string, FieldValue> flat) =>
        JsonSerializer.Serialize(flat.ToDictionary(p => p.Key, p => p.Value.Value));
}

/// <summary>Values between the store's column types and the form's text.</summary>
public static class FormText
{
    public static string? FromColumn(string type, object? value)
    {
        if (value is null or DBNull)
        {
            return null;
        }

        return type switch
        {
            FieldTypes.Bool => Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0 ? "true" : "false",
            FieldTypes.Decimal => Convert.ToDecimal(value, CultureInfo.InvariantCulture).ToString("0.##########", CultureInfo.InvariantCulture),
            FieldTypes.Int => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The text a submitted value stands for, in the same shape <see cref="FromColumn"/> gives (for comparison).</summary>
    public static string? Canonical(string type, string? format, string? text)
    {
        text = Values.Text.Clean(text);
        if (text is null)
        {
            return null;
        }

        return type switch
        {
            FieldTypes.Bool when Values.Numbers.TryParseBool(text, out var flag, out _) => flag ? "true" : "false",
            FieldTypes.Decimal when Values.Numbers.TryParseDecimal(text, out var amount, out _) => amount.ToString("0.##########", CultureInfo.InvariantCulture),
            FieldTypes.Int when Values.Numbers.TryParseInt(text, out var number, out _) => number.ToString(CultureInfo.InvariantCulture),
            FieldTypes.Date when Values.LegacyDate.TryParse(text, out var date, out _) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ when format == "id_number" && Values.IdNumber.TryNormalise(text, out var id, out _) => id,
            _ => text,
        };
    }
}
