using System.Diagnostics;
using System.Text.Json;
using DataPool.Core.Store.Writing;

namespace DataPool.Core.Matching;

/// <summary>How <see cref="PersonMatcher"/> files a decided row: its link, the blocking keys it adds to its person, merges and review items.</summary>
internal sealed partial class PersonMatcher
{
    /// <summary>Records where a row went: its decision, the blocking keys it adds to its pool record, and a review item when uncertain.</summary>
    public void Record(PendingRow row, Placement placement, long poolId)
    {
        var started = Stopwatch.GetTimestamp();
        FileDecision(row, placement, poolId);
        Spent(Phase.Filing, started);
        var written = _keys.TakeWriteTicks();
        _ticks[(int)Phase.Filing] -= written;
        _ticks[(int)Phase.Writing] += written;
    }

    private void FileDecision(PendingRow row, Placement placement, long poolId)
    {
        _placed[placement.Decision ?? "kept"] = _placed.GetValueOrDefault(placement.Decision ?? "kept") + 1;
        if (placement.Decision is null)
        {
            return;
        }

        if (placement.ById)
        {
            // Found by its number: its person is filed under blocks of its own already, and a variant spelling is not worth a read.
            Link(row, placement, poolId);
            return;
        }

        var record = RecordFor(row);
        var isNew = placement.PoolId is null;

        var person = !isNew && _pools.TryGetValue(poolId, out var pool) ? pool.Record : null;
        var known = person?.BlockingKeys(_settings.Blocking).ToHashSet(StringComparer.Ordinal) ?? [];
        var validPerson = (person ?? record).HasValidId;
        _openPersons |= !validPerson;
        var keys = record.BlockingKeys(validPerson, _settings.Blocking).Where(k => !known.Contains(k)).ToList();
        if (isNew)
        {
            _keys.FileNew(keys, poolId);
        }

        foreach (var key in keys)
        {
            if (!isNew)
            {
                _keys.File(key, poolId);
            }

            if (validPerson && !_openRows)
            {
                // Plain blocks are looked up only by rows without a valid ID number, and this batch has none.
                continue;
            }

            var hash = MatchBlocks.Hash(key);
            if (!_blocks.TryGetValue(hash, out var block))
            {
                _blocks[hash] = block = [];
            }

            block.Add(poolId);
        }

        if (isNew)
        {
            _pools[poolId] = (record, false);
            if (record.Id is { Valid: true } id)
            {
                _exact[id.Full!] = poolId;
            }
        }
        else
        {
            _candidates.Add(poolId, record);
        }

        Link(row, placement, poolId);
        foreach (var (other, score) in placement.Others ?? [])
        {
            if (placement.Merge)
            {
                // Later rows of the batch meet the merged person as the survivor, with all its records.
                _redirects[other] = poolId;
                _candidates.Move(other, poolId);
                _candidates.Add(poolId, _pools[other].Record);
                _merges.Add(row.RecordId, other, poolId, score);
            }
            else
            {
                AddReview(row, poolId, other, score);
            }
        }
    }

    private void Link(PendingRow row, Placement placement, long poolId)
    {
        if (placement.ById || placement is { Decision: MatchDecisions.New, Candidate: null })
        {
            // What the record's pool id says already (new for the record that made the person, auto after it): no row.
            return;
        }

        decimal? score = placement.Score is { } s ? (decimal)s : null;
        _links.Add(row.RecordId, _entity.Name, poolId, placement.Decision, score, placement.Candidate, _runId);
        if (placement.Decision == MatchDecisions.Review)
        {
            AddReview(row, poolId, placement.Candidate!.Value, placement.Breakdown!);
        }
    }

    private void AddReview(PendingRow row, long poolId, long candidate, MatchScore score) =>
        Run(_addReview, ("@entity", _entity.Name), ("@record", row.RecordId), ("@pool", poolId), ("@candidate", candidate),
            ("@score", (decimal)score.Total), ("@breakdown", JsonSerializer.Serialize(score.Fields)), ("@run", _runId));
}
