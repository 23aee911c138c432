using System.Globalization;

namespace DataPool.Core.History;

/// <summary>The types of change feed items: the record-level changes and the life events derived from them.</summary>
public static class ChangeTypes
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Deleted = "deleted";
    public const string Restored = "restored";
    public const string Moved = "moved";
    public const string Born = "born";
    public const string Died = "died";
    public const string AssistanceStarted = "assistance_started";
    public const string AssistanceEnded = "assistance_ended";
    public const string HouseholdChanged = "household_changed";

    public static readonly IReadOnlySet<string> All = new SortedSet<string>(StringComparer.Ordinal)
    {
        Created, Updated, Deleted, Restored, Moved, Born, Died, AssistanceStarted, AssistanceEnded, HouseholdChanged,
    };
}

/// <summary>One typed event read from one history row: the fields it concerns, and why it was derived when that is not obvious.</summary>
public sealed record LifeEvent(string Type, IReadOnlyDictionary<string, FieldChange> Changes, string? Basis = null);

/// <summary>
/// Derives what a department subscribes to from a history row. A row yields its own change (created, updated,
/// deleted, restored, household_changed) and any life events it implies.
/// </summary>
public static class LifeEvents
{
    public const string Person = "person";
    public const string SocialAssistance = "social_assistance";

    /// <summary>Assistance status codes (schemas/codes/assistance_status.json): 1 在保 receiving, 3 停保 terminated.</summary>
    private const string Receiving = "1", Terminated = "3";

    /// <summary>
    /// The person schema has no death field: the household register cancels (注销) a dead resident's registration,
    /// so a person whose every source record is gone is read as died; not one merged into another person (the
    /// records moved, none deleted). A <c>death_date</c> field, when a schema adds one, is read first.
    /// </summary>
    public const string DiedByDeletion = "the person's registration was cancelled (注销): no source holds them any more";

    /// <param name="goneAtSource">For a deletion: whether its source records were deleted at their source (false: merged into another record).</param>
    public static IEnumerable<LifeEvent> Derive(HistoryEntry entry, bool goneAtSource = true)
    {
        var changes = entry.Changes;
        switch (entry.Change)
        {
            case HistoryKinds.Household:
                yield return new LifeEvent(ChangeTypes.HouseholdChanged, changes);
                yield break;
            case HistoryKinds.Created or HistoryKinds.Updated or HistoryKinds.Deleted or HistoryKinds.Restored:
                yield return new LifeEvent(entry.Change, changes);
                break;
            default:
                yield break; // a kind this feed does not know yet is left out rather than mistyped
        }

        if (entry.Change is HistoryKinds.Updated or HistoryKinds.Restored
            && Pick(changes, f => f.Old is not null && f.New is not null && f.Old != f.New, "address", "community_code") is { Count: > 0 } moved)
        {
            yield return new LifeEvent(ChangeTypes.Moved, moved);
        }

        if (entry.Entity == Person)
        {
            foreach (var life in PersonEvents(entry, goneAtSource))
            {
                yield return life;
            }
        }
        else if (entry.Entity == SocialAssistance && AssistanceEvent(entry) is { } assistance)
        {
            yield return assistance;
        }
    }

    private static IEnumerable<LifeEvent> PersonEvents(HistoryEntry entry, bool goneAtSource)
    {
        var changes = entry.Changes;
        if (entry.Change == HistoryKinds.Created && changes.TryGetValue("birth_date", out var birth)
            && DateOnly.TryParseExact(birth.New, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var born))
        {
            var day = DateOnly.FromDateTime(entry.At.UtcDateTime);
            if (born <= day && born > day.AddYears(-1))
            {
                yield return new LifeEvent(ChangeTypes.Born, Pick(changes, _ => true, "birth_date", "gender", "household_no", "community_code"));
            }
        }

        if (changes.TryGetValue("death_date", out var death) && death.Old is null && death.New is not null)
        {
            yield return new LifeEvent(ChangeTypes.Died, Pick(changes, _ => true, "death_date"));
        }
        else if (entry.Change == HistoryKinds.Deleted && goneAtSource)
        {
            yield return new LifeEvent(ChangeTypes.Died, changes, DiedByDeletion);
        }
    }

    private static LifeEvent? AssistanceEvent(HistoryEntry entry)
    {
        var changes = entry.Changes;
        changes.TryGetValue("status", out var status);
        var fields = Pick(changes, _ => true, "status", "assistance_type", "since", "end_date", "monthly_amount", "household_no");
        return entry.Change switch
        {
            HistoryKinds.Created when status?.New is null or Receiving => new LifeEvent(ChangeTypes.AssistanceStarted, fields),
            HistoryKinds.Restored => new LifeEvent(ChangeTypes.AssistanceStarted, fields, "the assistance record came back at its source"),
            HistoryKinds.Deleted => new LifeEvent(ChangeTypes.AssistanceEnded, fields, "the assistance record is gone from its source's roster"),
            HistoryKinds.Updated when status is { New: Terminated } && status.Old != Terminated => new LifeEvent(ChangeTypes.AssistanceEnded, fields),
            HistoryKinds.Updated when changes.TryGetValue("end_date", out var end) && end.Old is null && end.New is not null => new LifeEvent(ChangeTypes.AssistanceEnded, fields),
            HistoryKinds.Updated when status is { New: Receiving, Old: not null } && status.Old != Receiving => new LifeEvent(ChangeTypes.AssistanceStarted, fields),
            _ => null,
        };
    }

    private static Dictionary<string, FieldChange> Pick(IReadOnlyDictionary<string, FieldChange> changes, Func<FieldChange, bool> keep, params string[] fields)
    {
        var picked = new Dictionary<string, FieldChange>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            if (changes.TryGetValue(field, out var change) && keep(change))
            {
                picked[field] = change;
            }
        }

        return picked;
    }
}
