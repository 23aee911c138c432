using System.Text.Json;
using DataPool.Core.Schema;

namespace DataPool.Core.Store.Writing;

/// <summary>
/// Recomputes a golden record from the source records linked to it (survivorship per field), writes a
/// history row when it changed, and records the conflicts: every field where the linked sources hold
/// different values, with the value that won (table <c>dp_match_conflicts</c>, shown by explain).
/// </summary>
internal sealed class PoolRecompute
{
    private static readonly JsonSerializerOptions Json = StoredJson.Options;
    private readonly PoolWriter _writer;
    private readonly PoolEntity _entity;
    private readonly IReadOnlyDictionary<string, SourceRank> _ranks;
    private readonly System.Data.Common.DbCommand _clearConflicts;
    private readonly IBulkWriter _conflicts;
    private readonly SqlDialect _dialect;
    private readonly long _runId;
    /// <summary>Records recomputed since the last flush, with the conflicts each has now (empty: none).</summary>
    private readonly Dictionary<long, List<object?[]>> _touched = [];

    public PoolRecompute(PoolWriter writer, PoolEntity entity, IReadOnlyDictionary<string, SourceRank> ranks, long runId)
    {
        _writer = writer;
        _entity = entity;
        _ranks = ranks;
        (_dialect, _runId) = (writer.Dialect, runId);
        _clearConflicts = writer.Command($"DELETE FROM dp_match_conflicts WHERE entity = @entity AND {_dialect.InList(EntityTables.PoolId, "@pools")}");
        _clearConflicts.AddParameter("@entity", entity.Name);
        _clearConflicts.AddParameter("@pools");
        _conflicts = writer.OpenBulk("dp_match_conflicts", ["entity", "pool_id", "field", "chosen", "candidates", "run_id"]);
    }

    /// <summary>
    /// Writes the conflicts of the records recomputed since the last flush: one delete and one bulk insert
    /// a batch rather than statements per record (each is a round trip on PostgreSQL).
    /// </summary>
    public void Flush()
    {
        if (_touched.Count == 0)
        {
            return;
        }

        _clearConflicts.Parameters["@pools"].Value = _dialect.ListValue(_touched.Keys);
        _clearConflicts.ExecuteNonQuery();
        foreach (var row in _touched.Values.SelectMany(rows => rows))
        {
            _conflicts.Add(row);
        }

        _conflicts.Flush();
        _touched.Clear();
    }

    /// <summary>Records recomputed per statement pair (their source records, their current values) at most.</summary>
    private const int Chunk = 500;

    /// <summary>True when the pool record changed.</summary>
    public bool Recompute(long poolId) => RecomputeMany([poolId]).Count > 0;

    /// <summary>
    /// Recomputes each pool record, in the order given, and returns those that changed. Their source records and
    /// current values are read for many records a statement: a changed row on PostgreSQL paid two round trips for them.
    /// </summary>
    public HashSet<long> RecomputeMany(IEnumerable<long> poolIds)
    {
        var changed = new HashSet<long>();
        foreach (var chunk in poolIds.Distinct().Chunk(Chunk))
        {
            var sources = _writer.CandidatesOf(chunk);
            var pools = _writer.ReadPools(chunk);
            foreach (var poolId in chunk)
            {
                if (Recompute(poolId, sources.GetValueOrDefault(poolId) ?? [], pools.TryGetValue(poolId, out var pool) ? pool : ([], true, null)))
                {
                    changed.Add(poolId);
                }
            }

            _writer.FlushPoolUpdates();
        }

        return changed;
    }

    private bool Recompute(long poolId, List<(long Id, string SourceId, string Data, string Stream, string SourceKey, string? AsOf)> sources,
        (Dictionary<string, string> Values, bool Deleted, string? Provenance) pool)
    {
        var candidates = sources
            .Select(c =>
            {
                var rank = _ranks.TryGetValue(c.SourceId, out var r) ? r : new SourceRank(0, "");
                var values = JsonSerializer.Deserialize<Dictionary<string, string>>(c.Data) ?? [];
                var times = AsOfTimes.Parse(c.AsOf);
                return new Candidate(c.Id, c.SourceId, rank.Priority, rank.Department, values, c.Stream, c.SourceKey, times is null ? null : times.Of, rank.IsForm);
            })
            .ToList();
        var (current, wasDeleted, provenance) = pool;
        var golden = GoldenRecord.Compute(_entity, candidates);
        var deleted = candidates.Count == 0;
        if (deleted)
        {
            // Nothing supports the record any more: keep its last values, mark it deleted.
            golden = current.ToDictionary(c => c.Key, c => new Survivor(c.Value, 0), StringComparer.Ordinal);
        }

        RecordConflicts(poolId, candidates, golden);
        var changes = Changes(current, golden);
        if (changes == "{}" && deleted == wasDeleted)
        {
            // Same values, perhaps from another source record (the higher-priority one is back): provenance follows
            // what survivorship credits, so explain and a pool built from scratch agree. No history: nothing changed.
            if (provenance != GoldenColumns.Provenance(golden))
            {
                _writer.UpdatePool(poolId, golden, deleted, current, wasDeleted);
            }

            return false;
        }

        _writer.UpdatePool(poolId, golden, deleted, current, wasDeleted);
        _writer.History(poolId, deleted ? "deleted" : wasDeleted ? "restored" : "updated", changes);
        return true;
    }

    private void RecordConflicts(long poolId, List<Candidate> candidates, Dictionary<string, Survivor> golden)
    {
        var rows = _touched[poolId] = [];
        if (candidates.Count < 2)
        {
            return;
        }

        foreach (var field in _entity.Fields.Keys)
        {
            var held = candidates
                .Where(c => c.Values.ContainsKey(field))
                .Select(c => new { record = c.RecordId, source = c.SourceId, value = c.Values[field] })
                .ToList();
            if (held.Select(h => h.value).Distinct(StringComparer.Ordinal).Count() > 1)
            {
                rows.Add([_entity.Name, poolId, field, golden.TryGetValue(field, out var survivor) ? survivor.Value : null, JsonSerializer.Serialize(held, Json), _runId]);
            }
        }
    }

    private static string Changes(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, Survivor> after)
    {
        var changes = new SortedDictionary<string, string?[]>(StringComparer.Ordinal);
        foreach (var (field, survivor) in after)
        {
            if (!before.TryGetValue(field, out var old) || old != survivor.Value)
            {
                changes[field] = [old, survivor.Value];
            }
        }

        foreach (var (field, old) in before.Where(b => !after.ContainsKey(b.Key)))
        {
            changes[field] = [old, null];
        }

        return JsonSerializer.Serialize(changes, Json);
    }
}
