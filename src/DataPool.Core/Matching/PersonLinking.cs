using DataPool.Core.Store.Writing;

namespace DataPool.Core.Matching;

/// <summary>Persons (<see cref="PersonMatcher.Applies"/>) link by matching, with the thresholds configured for this pool.</summary>
internal sealed class PersonLinking(MatchSettings? settings = null) : EntityLinking
{
    private readonly MatchSettings _settings = settings ?? MatchSettings.Default;

    internal override IRowLinker? For(PoolWriter writer, long runId) =>
        PersonMatcher.Applies(writer.Entity) ? new PersonLinker(new PersonMatcher(writer, writer.Dialect, writer.Entity, _settings, runId), writer.Entity) : null;

    /// <summary>The matcher as a sync's linker: it keeps each row's placement (score, candidate) until the row is written.</summary>
    private sealed class PersonLinker(PersonMatcher matcher, Schema.PoolEntity entity) : IRowLinker
    {
        private readonly Dictionary<long, Placement> _placements = [];

        public string? Unlinkable(IReadOnlyDictionary<string, string> values, IReadOnlyDictionary<string, FlaggedValue>? flags) =>
            // Without a valid ID number a person is matched on the other fields, which must meet an evidence rule.
            matcher.TooLittleToMatch(values, flags?.GetValueOrDefault(entity.Key[0])?.Raw) is { } shortfall
                ? $"{entity.Key[0]}: missing or invalid, and {shortfall}"
                : null;

        public void Prepare(IReadOnlyList<PendingRow> rows) => matcher.Prepare(rows);

        public long? Place(PendingRow row)
        {
            var placement = matcher.Place(row);
            _placements[row.RecordId] = placement;
            return placement.PoolId;
        }

        public void Placed(PendingRow row, long poolId)
        {
            _placements.Remove(row.RecordId, out var placement);
            matcher.Record(row, placement!, poolId);
        }

        public long Resolve(long poolId) => matcher.Resolve(poolId);

        public IReadOnlyCollection<long> Flush() => matcher.Flush();

        public void Complete() => matcher.Complete();
    }
}
