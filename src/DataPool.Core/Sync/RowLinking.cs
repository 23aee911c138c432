using System.Text.Json;
using DataPool.Core.Schema;
using DataPool.Core.Store;
using DataPool.Core.Store.Writing;

namespace DataPool.Core.Sync;

/// <summary>
/// The judged rows of a batch linked to pool records: a row linking to nobody creates its pool record, a known one
/// is recomputed by survivorship, and each linked row is counted as updated or unchanged by what its record became.
/// </summary>
internal sealed class RowLinking(PoolWriter writer, PoolEntity entity, PoolIdAllocator ids, IRowLinker? linker, PoolRecompute recompute,
    AsOfClock asOf, SyncCounts counts)
{
    private static readonly JsonSerializerOptions Json = StoredJson.Options;

    private readonly PoolWriter _writer = writer;
    private readonly PoolEntity _entity = entity;
    private readonly PoolIdAllocator _ids = ids;
    private readonly IRowLinker? _linker = linker;
    private readonly PoolRecompute _recompute = recompute;
    private readonly AsOfClock _asOf = asOf;

    private SyncCounts Counts { get; } = counts;

    /// <summary>Links judged rows to pool records: a new key creates a record, a known one is recomputed by survivorship.</summary>
    public void Link(List<PendingRow> merges)
    {
        if (_linker is not null)
        {
            LinkByLinker(merges, _linker);
            return;
        }

        var pools = merges.Count == 0 ? [] : _writer.FindPools(merges.Select(m => m.EntityKey).DistinctBy(PoolWriter.JoinKey).ToList());
        var recompute = new List<long>();
        var linked = new List<(PendingRow Row, long Pool)>();
        foreach (var pending in merges)
        {
            var data = JsonSerializer.Serialize(pending.Values, Json);
            var flagText = pending.Flags is null ? null : JsonSerializer.Serialize(pending.Flags, Json);
            var entityKey = PoolWriter.JoinKey(pending.EntityKey);
            if (pools.TryGetValue(entityKey, out var poolId))
            {
                WriteRecord(pending, poolId, data, flagText);
                recompute.Add(poolId);
                linked.Add((pending, poolId));
            }
            else
            {
                poolId = CreatePool(pending, data, flagText);
                pools[entityKey] = poolId;
            }

            if (pending.Stored?.PoolId is { } former && former != poolId)
            {
                recompute.Add(former);
            }
        }

        Settle(recompute, linked);
    }

    /// <summary>Rows a linker places (persons: kept, exact, scored or new), in row order, so a row can join a record created earlier in the batch.</summary>
    private void LinkByLinker(List<PendingRow> merges, IRowLinker matcher)
    {
        matcher.Prepare(merges);
        var recompute = new List<long>();
        var linked = new List<(PendingRow Row, long Pool)>();
        foreach (var pending in merges)
        {
            var data = JsonSerializer.Serialize(pending.Values, Json);
            var flagText = pending.Flags is null ? null : JsonSerializer.Serialize(pending.Flags, Json);
            if (matcher.Place(pending) is { } poolId)
            {
                WriteRecord(pending, poolId, data, flagText);
                recompute.Add(poolId);
                linked.Add((pending, poolId));
            }
            else
            {
                poolId = CreatePool(pending, data, flagText);
            }

            matcher.Placed(pending, poolId);
            if (pending.Stored?.PoolId is { } former && matcher.Resolve(former) != poolId)
            {
                recompute.Add(former);
            }
        }

        // The records first: a merge the matcher writes moves them, those of persons this batch created too.
        _writer.Flush();
        recompute.AddRange(matcher.Flush());
        Settle(recompute, linked);
    }

    /// <summary>Recomputes every touched pool record and counts each linked row as updated (its record changed) or unchanged.</summary>
    private void Settle(List<long> recompute, List<(PendingRow Row, long Pool)> linked)
    {
        _writer.Flush();
        var changed = _recompute.RecomputeMany(recompute);
        _recompute.Flush();
        foreach (var (_, pool) in linked)
        {
            if (changed.Remove(pool))
            {
                Counts.Updated++;
            }
            else
            {
                Counts.Unchanged++;
            }
        }

        _writer.Flush();
    }

    /// <summary>A row that links to nobody creates its pool record, with the row's values as the golden ones.</summary>
    private long CreatePool(PendingRow pending, string data, string? flagText)
    {
        var poolId = _ids.NextPoolId(_entity.Name);
        WriteRecord(pending, poolId, data, flagText);
        _writer.CreatePool(poolId, pending.Values, pending.RecordId);
        Counts.New++;
        return poolId;
    }

    private void WriteRecord(PendingRow pending, long poolId, string data, string? flags)
    {
        var asOf = _asOf.Next(pending.Stored?.AsOf, pending.Values, pending.Row);
        if (pending.Stored is { } existing)
        {
            _writer.UpdateRecord(existing.Id, pending.Hash, poolId, existing.PoolId, data, flags, pending.Row.Location, asOf);
        }
        else
        {
            _writer.InsertRecord(pending.RecordId, pending.Key, pending.Hash, poolId, data, flags, pending.Row.Location, asOf);
        }
    }
}
