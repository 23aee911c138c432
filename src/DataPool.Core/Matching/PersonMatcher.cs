using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DataPool.Core.Schema;
using DataPool.Core.Store;
using DataPool.Core.Store.Writing;

namespace DataPool.Core.Matching;

/// <summary>
/// Where a row goes: an existing pool record, or a new one (then <see cref="PoolId"/> is null until created).
/// A scored decision carries the breakdown; a link by exact ID number (<see cref="ById"/>) has no score. A row that links
/// more persons than one names the others (<see cref="Others"/>, each with the row's score against it): merged into
/// <see cref="PoolId"/> when <see cref="Merge"/>, else each a review item (<see cref="PersonMatcher"/>'s chaining guard).
/// </summary>
internal sealed record Placement(long? PoolId, string? Decision, double? Score, long? Candidate, MatchScore? Breakdown = null, bool ById = false,
    IReadOnlyList<(long Pool, MatchScore Score)>? Others = null, bool Merge = false);

/// <summary>
/// Links person rows beyond exact ID numbers, one batch at a time and only against what is already in
/// the pool (plus the persons this batch created): a source record once linked keeps its pool record; a
/// valid ID number already in the pool links exactly; anything else is looked up by blocking keys
/// (<see cref="MatchBlocks"/>, one query a batch), scored (<see cref="MatchScorer"/>) and decided by the
/// thresholds (<see cref="MatchSettings"/>). Judgements go to <c>dp_match_links</c> (a link by exact ID number and
/// a new person without any candidate are not judgements: like any entity linked by its key, they are read off
/// <c>dp_source_records</c>), uncertain ones to the review queue (<c>dp_match_reviews</c>).
/// </summary>
internal sealed class PersonMatcher
{
    /// <summary>A blocking key shared by more pool persons than this is too common to tell anything (e.g. one birth date in a huge city).</summary>
    private const int MaxBlock = 400;

    private readonly SqlDialect _dialect;
    private readonly PoolEntity _entity;
    private readonly MatchSettings _settings;
    private readonly long _runId;
    private readonly DbCommand _findIds, _findPools, _addReview;
    private readonly string[] _fields;
    private readonly MatchBlocks _keys;
    private readonly CandidateRecords _candidates;
    private readonly ClusterMerges _merges;

    /// <summary>The weights scores are summed from: the deployment's trained model, else the prior (<see cref="MatchModelStore.CurrentSql"/>).</summary>
    private readonly MatchWeights _weights;
    private readonly IBulkWriter _links;
    private readonly Dictionary<long, long> _redirects = [];
    private readonly Dictionary<string, long> _exact = new(StringComparer.Ordinal);
    private readonly Dictionary<long, HashSet<long>> _blocks = [];

    /// <summary>Whether an open person (no valid ID number) may be a candidate in this batch: one is filed, or this batch filed one.</summary>
    private bool _openPersons;

    /// <summary>Whether this batch has rows without a valid ID number, the only ones that look up plain blocks.</summary>
    private bool _openRows;
    private readonly Dictionary<long, (MatchRecord Record, bool Deleted)> _pools = [];
    private readonly Dictionary<long, MatchRecord> _records = [];
    private readonly Dictionary<long, IdForm?> _ids = [];
    private readonly Dictionary<string, long> _placed = new(StringComparer.Ordinal);
    private long _ticks;

    public PersonMatcher(PoolWriter writer, SqlDialect dialect, PoolEntity entity, MatchSettings settings, long runId)
    {
        (_dialect, _entity, _settings, _runId) = (dialect, entity, settings, runId);
        var table = EntityTables.TableName(entity.Name);
        _fields = MatchRecord.Fields.Where(entity.Fields.ContainsKey).ToArray();
        _findIds = Command(writer, $"SELECT id_number, {EntityTables.PoolId} FROM {table} WHERE {dialect.InList("id_number", "@keys")}", "@keys");
        _findPools = Command(writer,
            $"SELECT {EntityTables.PoolId}, {EntityTables.Deleted}, {string.Join(", ", _fields.Select(f => $"CAST({f} AS TEXT)"))} FROM {table}{dialect.IndexHint(MatchTables.MatchIndex(entity))} " +
            $"WHERE {dialect.InList(EntityTables.PoolId, "@ids")}", "@ids");
        _addReview = Command(writer,
            "INSERT INTO dp_match_reviews (entity, record_id, pool_id, candidate_pool, score, breakdown, status, run_id) VALUES (@entity, @record, @pool, @candidate, @score, @breakdown, 'pending', @run)",
            "@entity", "@record", "@pool", "@candidate", "@score", "@breakdown", "@run");
        _keys = new MatchBlocks(writer);
        _weights = MatchModelStore.Current(Command(writer, MatchModelStore.CurrentSql, "@entity"), entity.Name);
        _candidates = new CandidateRecords(writer, entity.Name, _weights);
        _merges = new ClusterMerges(writer, entity.Name, runId);
        _links = writer.OpenBulk("dp_match_links", ["record_id", "entity", "pool_id", "decision", "score", "candidate_pool", "run_id"]);
        var redirects = Command(writer, "SELECT from_pool, to_pool FROM dp_match_redirects WHERE entity = @entity", "@entity");
        redirects.Parameters["@entity"].Value = entity.Name;
        using var reader = redirects.ExecuteReader();
        while (reader.Read())
        {
            _redirects[reader.GetInt64(0)] = reader.GetInt64(1);
        }
    }

    /// <summary>Person entities (keyed by an ID number, with a name and a birth date) are matched; other entities link by their key.</summary>
    public static bool Applies(PoolEntity entity) =>
        entity.Key.Count == 1 && entity.Fields.TryGetValue(entity.Key[0], out var key) && key.Format == "id_number"
        && entity.Fields.ContainsKey("name") && entity.Fields.ContainsKey("birth_date");

    /// <summary>
    /// Why a row without a valid ID number cannot be matched (no evidence rule is met: <see cref="MatchEvidence"/>), or null when it can.
    /// </summary>
    public string? TooLittleToMatch(IReadOnlyDictionary<string, string> values, string? flaggedId)
    {
        var record = MatchRecord.From(values, flaggedId);
        return _settings.Evidence.IsMetBy(record) ? null : _settings.Evidence.Shortfall(record);
    }

    /// <summary>The pool record a merged-away id now lives in.</summary>
    public long Resolve(long poolId)
    {
        var hops = 0;
        while (_redirects.TryGetValue(poolId, out var next) && hops++ < 64)
        {
            poolId = next;
        }

        return poolId;
    }

    /// <summary>
    /// A row's ID number, read alone: a row linked by it (most rows of a department) is never normalised further.
    /// </summary>
    private IdForm? IdFor(PendingRow row)
    {
        if (!_ids.TryGetValue(row.RecordId, out var id))
        {
            _ids[row.RecordId] = id = MatchRecord.ReadId(row.Values, row.Flags?.GetValueOrDefault("id_number")?.Raw);
        }

        return id;
    }

    /// <summary>The batch's rows as matching sees them, normalised once (the ID number read by <see cref="IdFor"/>).</summary>
    private MatchRecord RecordFor(PendingRow row)
    {
        if (!_records.TryGetValue(row.RecordId, out var record))
        {
            _records[row.RecordId] = record = MatchRecord.From(row.Values, IdFor(row));
        }

        return record;
    }

    /// <summary>
    /// Reads, in four queries, everything the batch's rows may be compared with: the pool persons with
    /// their valid ID numbers (or the number an invalid one most likely meant), the blocks their keys
    /// name (after one probe for whether any open block exists), and the candidate persons of those blocks.
    /// </summary>
    public void Prepare(IReadOnlyList<PendingRow> rows)
    {
        var started = Stopwatch.GetTimestamp();
        var open = rows.Where(r => r.Stored?.PoolId is null).ToList();
        var ids = open.Select(r => IdFor(r) is { } id ? id.Valid ? id.Full : id.Corrected : null).OfType<string>().Distinct().ToList();
        var corrected = open.Select(r => IdFor(r) is { Valid: false } id ? id.Corrected : null).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var wanted = new HashSet<long>();
        if (ids.Count > 0)
        {
            _findIds.Parameters["@keys"].Value = _dialect.ListValue(ids);
            using var reader = _findIds.ExecuteReader();
            while (reader.Read())
            {
                var pool = Resolve(reader.GetInt64(1));
                var id = reader.GetString(0);
                _exact[id] = _exact.TryGetValue(id, out var other) ? Math.Min(other, pool) : pool;
                if (corrected.Contains(id))
                {
                    // The person an invalid number most likely meant is a candidate to score; a valid number links as it is.
                    wanted.Add(pool);
                }
            }
        }

        // While every pool person has a valid ID number (a register's first sync), a row with a valid ID number
        // has no open block to look in: one probe a batch spares a million lookups.
        _openPersons = _keys.AnyOpen();
        _openRows = open.Any(r => IdFor(r) is not { Valid: true });
        var lookups = open.Where(r => IdFor(r) is { Valid: true } id ? _openPersons && !_exact.ContainsKey(id.Full!) : true)
            .SelectMany(r => RecordFor(r).LookupKeys(_settings.Blocking)).ToHashSet(StringComparer.Ordinal);
        var idBlocks = lookups.Where(IsIdBlock).Select(MatchBlocks.Hash).ToHashSet();

        foreach (var (hash, pool) in _keys.Find(lookups))
        {
            if (!_blocks.TryGetValue(hash, out var block))
            {
                _blocks[hash] = block = [];
            }

            block.Add(Resolve(pool));
        }

        wanted.UnionWith(_blocks.Where(b => b.Value.Count <= MaxBlock || idBlocks.Contains(b.Key)).SelectMany(b => b.Value));
        wanted.ExceptWith(_pools.Keys);
        if (wanted.Count > 0)
        {
            _findPools.Parameters["@ids"].Value = _dialect.ListValue(wanted);
            using var reader = _findPools.ExecuteReader();
            while (reader.Read())
            {
                var values = new Dictionary<string, string>(StringComparer.Ordinal);
                for (var i = 0; i < _fields.Length; i++)
                {
                    if (!reader.IsDBNull(i + 2))
                    {
                        values[_fields[i]] = reader.GetString(i + 2);
                    }
                }

                _pools[reader.GetInt64(0)] = (MatchRecord.From(values), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture) != 0);
            }
        }

        _candidates.Load(wanted, Resolve);

        _ticks += Stopwatch.GetTimestamp() - started;
    }

    /// <summary>Decides one row (after <see cref="Prepare"/>); rows of the same batch placed before it count as pool persons.</summary>
    public Placement Place(PendingRow row)
    {
        var started = Stopwatch.GetTimestamp();
        var placement = Decide(row);
        _ticks += Stopwatch.GetTimestamp() - started;
        return placement;
    }

    private Placement Decide(PendingRow row)
    {
        if (row.Stored?.PoolId is { } linked)
        {
            // Linked once, linked for good: a changed row is not matched again.
            return new Placement(Resolve(linked), null, null, null);
        }

        if (IdFor(row) is { Valid: true } valid && _exact.TryGetValue(valid.Full!, out var exact))
        {
            // The same valid ID number is the same person: linked without reading or scoring the person.
            return new Placement(exact, MatchDecisions.Auto, null, exact, ById: true);
        }

        var record = RecordFor(row);

        if (record.HasValidId && !_openPersons)
        {
            // A valid ID number new to the pool could only meet an open person, and there is none.
            return new Placement(null, MatchDecisions.New, null, null);
        }

        var scored = new Dictionary<long, (double Total, MatchRecord Record)>();
        void Consider(long candidate)
        {
            candidate = Resolve(candidate);
            if (!scored.ContainsKey(candidate) && _pools.TryGetValue(candidate, out var pool) && !pool.Deleted)
            {
                scored[candidate] = _candidates.Best(record, candidate, pool.Record);
            }
        }

        if (record.Id is { Valid: false } invalid && _exact.TryGetValue(invalid.Corrected, out var corrected))
        {
            Consider(corrected);
        }

        foreach (var key in record.LookupKeys(_settings.Blocking))
        {
            if (_blocks.TryGetValue(MatchBlocks.Hash(key), out var block) && (block.Count <= MaxBlock || IsIdBlock(key)))
            {
                foreach (var candidate in block)
                {
                    Consider(candidate);
                }
            }
        }

        if (scored.Count == 0)
        {
            return new Placement(null, MatchDecisions.New, null, null);
        }

        var found = scored.MaxBy(s => (s.Value.Total, -s.Key));
        var score = MatchScorer.Score(record, found.Value.Record, _weights);
        var decision = _settings.Decide(score.Total);
        return decision == MatchDecisions.Auto
            ? Cluster(record, found.Key, score, scored)
            : new Placement(null, decision, score.Total, found.Key, score);
    }

    /// <summary>
    /// A row that links more than one person holds them together: they become one (the oldest id survives). A chain
    /// can join strangers, though (A resembles B, B resembles C, A and C nothing alike), so the cluster is merged only
    /// when its weakest internal link, the worst pair of its persons, still reaches the link threshold; otherwise
    /// the row joins its best person and each other link becomes a review item, for an admin to merge or not. A weakest
    /// link in the review band is a review item too, not a merge: merging there cost precision on the independent
    /// labelled world (0.987 against 0.991 with learned weights), as any review-band pair linked silently would.
    /// </summary>
    private Placement Cluster(MatchRecord record, long best, MatchScore score, Dictionary<long, (double Total, MatchRecord Record)> scored)
    {
        var others = scored.Where(s => s.Key != best && s.Value.Total >= _settings.Link).Select(s => s.Key).Order().ToList();
        if (others.Count == 0)
        {
            return new Placement(best, MatchDecisions.Auto, score.Total, best, score);
        }

        var members = others.Append(best).ToList();
        var weakest = members.SelectMany((a, i) => members.Skip(i + 1).Select(b => _candidates.Between(a, _pools[a].Record, b, _pools[b].Record))).Min();
        if (weakest < _settings.Link)
        {
            return new Placement(best, MatchDecisions.Auto, score.Total, best, score, Others: others.Select(o => (o, MatchScorer.Score(record, scored[o].Record, _weights))).ToList());
        }

        var survivor = members.Min();
        var merged = members.Where(m => m != survivor).Select(m => (m, m == best ? score : MatchScorer.Score(record, scored[m].Record, _weights))).ToList();
        return new Placement(survivor, MatchDecisions.Auto, score.Total, best, score, Others: merged, Merge: true);
    }

    private static bool IsIdBlock(string key) => key.StartsWith(MatchRecord.IdPrefix, StringComparison.Ordinal);

    /// <summary>Records where a row went: its decision, the blocking keys it adds to its pool record, and a review item when uncertain.</summary>
    public void Record(PendingRow row, Placement placement, long poolId)
    {
        var started = Stopwatch.GetTimestamp();
        FileDecision(row, placement, poolId);
        _ticks += Stopwatch.GetTimestamp() - started;
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
        foreach (var key in record.BlockingKeys(validPerson, _settings.Blocking).Where(k => !known.Contains(k)))
        {
            _keys.File(key, poolId);
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

    /// <summary>
    /// Writes the batch's decisions and merges (after the batch's records: call it once they are written; its keys wait in
    /// <see cref="MatchBlocks"/>); the next batch reads the pool afresh (survivorship changed it). Returns the persons merges touched.
    /// </summary>
    public IReadOnlyCollection<long> Flush()
    {
        var started = Stopwatch.GetTimestamp();
        _links.Flush();
        var merged = _merges.Write();
        _ticks += Stopwatch.GetTimestamp() - started;
        MatchingMetrics.Seconds.Add((double)_ticks / Stopwatch.Frequency);
        _ticks = 0;
        foreach (var (decision, count) in _placed)
        {
            MatchingMetrics.Rows.Add(count, new KeyValuePair<string, object?>("decision", decision));
        }

        _placed.Clear();
        _exact.Clear();
        _records.Clear();
        _ids.Clear();
        _blocks.Clear();
        _pools.Clear();
        _candidates.Clear();
        return merged;
    }

    /// <summary>Writes the keys still waiting (<see cref="MatchBlocks"/>); call once the stream's last batch is flushed.</summary>
    public void Complete()
    {
        var started = Stopwatch.GetTimestamp();
        _keys.Write();
        MatchingMetrics.Seconds.Add((double)(Stopwatch.GetTimestamp() - started) / Stopwatch.Frequency);
    }

    private static DbCommand Command(PoolWriter writer, string sql, params string[] parameters)
    {
        var command = writer.Command(sql);
        foreach (var name in parameters)
        {
            command.AddParameter(name);
        }

        return command;
    }

    private static void Run(DbCommand command, params (string Name, object? Value)[] values)
    {
        foreach (var (name, value) in values)
        {
            command.Parameters[name].Value = value ?? DBNull.Value;
        }

        command.ExecuteNonQuery();
    }
}
