using System.Globalization;
using System.Text.Json;
using DataPool.Core.Store.Writing;

namespace DataPool.Core.History;

/// <summary>One field's value before and after a change (null: absent).</summary>
public sealed record FieldChange(string? Old, string? New)
{
    /// <summary>Changes as the viewer may see them: fields not granted are left out (not even named), granted ones masked as granted.</summary>
    public static SortedDictionary<string, FieldChange> ShownTo(IReadOnlyDictionary<string, FieldChange> changes, Access.PoolView view)
    {
        var shown = new SortedDictionary<string, FieldChange>(StringComparer.Ordinal);
        foreach (var (field, change) in changes.Where(c => view.Shows(c.Key)))
        {
            shown[field] = new FieldChange(view.Present(field, change.Old), view.Present(field, change.New));
        }

        return shown;
    }
}

/// <summary>
/// One row of <c>dp_history</c>: what happened to a pool record, field by field, in which run, when.
/// <see cref="Id"/> only grows, so it is also the change feed's cursor.
/// </summary>
public sealed record HistoryEntry(long Id, string Entity, long PoolId, string Change,
    IReadOnlyDictionary<string, FieldChange> Changes, long? RunId, DateTimeOffset At);

/// <summary>The kinds of change <c>dp_history</c> records.</summary>
public static class HistoryKinds
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Deleted = "deleted";
    public const string Restored = "restored";

    /// <summary>A person's household membership changed (written by the household step; carries no field values of the person).</summary>
    public const string Household = "household";

    /// <summary>The kinds whose changes are the record's own field values: what "as of" replays.</summary>
    public static bool ChangesValues(string change) => change is Created or Updated or Deleted or Restored;
}

/// <summary>Reads <c>dp_history</c> rows; one shape for the record's history, "as of" and the change feed.</summary>
internal static class HistoryRows
{
    /// <summary>The columns every reader selects, in <see cref="Read"/>'s order, from <see cref="From"/>.</summary>
    public const string Columns = "h.id, h.entity, h.pool_id, h.change, " + HistoryCreations.Changes + ", h.run_id, h.at";

    /// <summary>History as every reader reads it: a creation's values may be its source record's data.</summary>
    public const string From = "dp_history h " + HistoryCreations.Join;

    public static HistoryEntry Read(System.Data.Common.DbDataReader reader) => new(
        reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3),
        ParseChanges(reader.GetString(4)), reader.IsDBNull(5) ? null : reader.GetInt64(5),
        DateTimeOffset.Parse(reader.GetString(6), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));

    /// <summary>
    /// A created record's row holds its values (<c>{field: value}</c>); every other row holds
    /// <c>{field: [old, new]}</c>. Both read as old/new pairs.
    /// </summary>
    public static IReadOnlyDictionary<string, FieldChange> ParseChanges(string json)
    {
        var changes = new SortedDictionary<string, FieldChange>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return changes;
        }

        foreach (var property in document.RootElement.EnumerateObject())
        {
            var value = property.Value;
            changes[property.Name] = value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 2
                ? new FieldChange(Text(value[0]), Text(value[1]))
                : new FieldChange(null, Text(value));
        }

        return changes;
    }

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => value.GetString(),
        _ => value.GetRawText(),
    };
}
