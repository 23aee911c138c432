using DataPool.Core.Schema;

namespace DataPool.Core.Store.Writing;

/// <summary>One source record linked to a pool record, as survivorship sees it; <paramref name="Form"/>: a source of kind <c>form</c>.</summary>
/// <param name="Stream">With <paramref name="SourceId"/> and <paramref name="SourceKey"/>, the last tie-break: what the
/// source holds, never the order the pool learnt it in (record ids and run ids depend on that order).</param>
/// <param name="AsOf">When each value became true (see <see cref="AsOfTimes"/>); the ranking of <c>recent</c>.</param>
public sealed record Candidate(long RecordId, string SourceId, int Priority, string Department, IReadOnlyDictionary<string, string> Values,
    string Stream = "", string SourceKey = "", Func<string, string, long>? AsOf = null, bool Form = false)
{
    public long AsOfOf(string field, string value) => AsOf?.Invoke(field, value) ?? 0;
}

/// <summary>The value a pool field took and the source record that supplied it.</summary>
public readonly record struct Survivor(string Value, long RecordId);

/// <summary>
/// Survivorship: picks each field's value among the source records linked to one pool record, by the
/// rule the schema declares for the field. Deterministic whatever order the candidates come in, and whatever
/// order the syncs came in: ties fall to priority, then source id, stream and source key.
/// </summary>
public static class GoldenRecord
{
    public static Dictionary<string, Survivor> Compute(PoolEntity entity, IReadOnlyList<Candidate> candidates)
    {
        var result = new Dictionary<string, Survivor>(StringComparer.Ordinal);
        foreach (var field in entity.Fields.Values)
        {
            Candidate? best = null;
            string? bestValue = null;
            foreach (var candidate in candidates)
            {
                if (!candidate.Values.TryGetValue(field.Name, out var value) || value is null)
                {
                    continue;
                }

                if (best is null || Beats(entity, field, candidate, value, best, bestValue!))
                {
                    best = candidate;
                    bestValue = value;
                }
            }

            if (best is not null)
            {
                result[field.Name] = new Survivor(bestValue!, best.RecordId);
            }
        }

        return result;
    }

    private static bool Beats(PoolEntity entity, PoolField field, Candidate a, string aValue, Candidate b, string bValue)
    {
        var yields = Yields(entity, field, a).CompareTo(Yields(entity, field, b));
        if (yields != 0)
        {
            return yields < 0;
        }

        var order = field.Survivorship switch
        {
            Survivorship.Recent => Compare(a.AsOfOf(field.Name, aValue), b.AsOfOf(field.Name, bValue), a.Priority, b.Priority),
            Survivorship.Complete => Compare(aValue.Length, bValue.Length, a.Priority, b.Priority),
            Survivorship.Owner => Compare(IsOwner(entity, field, a) ? 1 : 0, IsOwner(entity, field, b) ? 1 : 0, a.Priority, b.Priority),
            _ => a.Priority.CompareTo(b.Priority),
        };
        if (order != 0)
        {
            return order > 0;
        }

        // Last resort, by what the sources hold: the smaller source id, stream and key keeps the field, so neither
        // re-runs nor the order of past syncs flip it.
        order = string.CompareOrdinal(a.SourceId, b.SourceId);
        order = order != 0 ? order : string.CompareOrdinal(a.Stream, b.Stream);
        order = order != 0 ? order : string.CompareOrdinal(a.SourceKey, b.SourceKey);
        return order != 0 ? order < 0 : a.RecordId < b.RecordId;
    }

    private static int Compare(long first, long firstOther, long second, long secondOther)
    {
        var order = first.CompareTo(firstOther);
        return order != 0 ? order : second.CompareTo(secondOther);
    }

    /// <summary>
    /// A form (a worker's entry, whatever its priority) never takes a key field, nor an <c>owner</c> field of another
    /// department, from a department's source: its value there is kept only as a fallback, for a record no department
    /// holds a value for (a member the worker added). A department's own correction (kind <c>form</c>, department = the
    /// owner) still wins its owner field.
    /// </summary>
    private static bool Yields(PoolEntity entity, PoolField field, Candidate candidate) =>
        candidate.Form && (entity.Key.Contains(field.Name) || (field.Survivorship == Survivorship.Owner && !IsOwner(entity, field, candidate)));

    private static bool IsOwner(PoolEntity entity, PoolField field, Candidate candidate) =>
        string.Equals(entity.OwnerOf(field), candidate.Department, StringComparison.Ordinal);
}
