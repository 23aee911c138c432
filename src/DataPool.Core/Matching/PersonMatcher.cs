using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using DataPool.Core.Schema;
using DataPool.Core.Store;
using DataPool.Core.Store.Writing;

namespace DataPool.Core.Matching;

/// <summary>
/// Links person rows beyond exact ID numbers, one batch at a time and only against what is already in
/// the pool (plus the persons this batch created): a source record once linked keeps its pool record; a
/// valid ID number already in the pool links exactly; anything else is looked up by blocking keys
/// (<see cref="MatchBlocks"/>, one query a batch), scored (<see cref="MatchScorer"/>) and decided by the
/// thresholds (<see cref="MatchSettings"/>). Judgements go to <c>dp_match_links</c> (a link by exact ID number and
/// a new person without any candidate are not judgements: like any entity linked by its key, they are read off
/// <c>dp_source_records</c>), uncertain ones to the review queue (<c>dp_match_reviews</c>).
/// </summary>
internal sealed partial class PersonMatcher
{
    /// <summary>A blocking key shared by more pool persons than this is too common to tell anything (e.g. one birth date in a huge city).</summary>
    private const int MaxBlock = 400;

    private readonly SqlDialect _dialect;
    private readonly PoolEntity _entity;
    private readonly MatchSettings _settings;
    private readonly long _runId;
    private readonly DbCommand _findIds, _findPools, _addReview, _closeStale;
    private readonly string[] _fields;
    private readonly MatchBlocks _keys;
    private readonly CandidateRecords _candidates;
    private readonly ClusterMerges _merges;

    /// <summary>The weights scores are summed from: the deployment's trained model, else the prior (<see cref="MatchModelStore.CurrentSql"/>).</summary>
    private readonly MatchWeights _weights;
    private readonly IBulkWriter _links;
    private readonly PoolWriter _writer;
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
    private readonly Dictionary<long, (string Key, long Hash)[]> _lookups = [];
    private readonly Dictionary<string, long> _placed = new(StringComparer.Ordinal);

    /// <summary>Time spent per phase of <see cref="MatchingMetrics.Phases"/> since the last flush.</summary>
    private readonly long[] _ticks = new long[MatchingMetrics.Phases.Length];

    private enum Phase { Ids, Blocks, Candidates, Records, Scoring, Filing, Writing }

    /// <summary>Adds the time since <paramref name="started"/> to a phase and returns now, the next phase's start.</summary>
    private long Spent(Phase phase, long started)
    {
        var now = Stopwatch.GetTimestamp();
        _ticks[(int)phase] += now - started;
        return now;
    }

    /// <summary>Reports the time spent per phase and starts counting afresh.</summary>
    private void ReportTime()
    {
        for (var i = 0; i < _ticks.Length; i++)
        {
            if (_ticks[i] > 0)
            {
                MatchingMetrics.Seconds.Add((double)_ticks[i] / Stopwatch.Frequency, new KeyValuePair<string, object?>("phase", MatchingMetrics.Phases[i]));
                _ticks[i] = 0;
            }
        }
    }

    public PersonMatcher(PoolWriter writer, SqlDialect dialect, PoolEntity entity, MatchSettings settings, long runId)
    {
        (_writer, _dialect, _entity, _settings, _runId) = (writer, dialect, entity, settings, runId);
        var table = EntityTables.TableName(entity.Name);
        _fields = MatchRecord.Fields.Where(entity.Fields.ContainsKey).ToArray();
        _findIds = Command(writer, $"SELECT id_number, {EntityTables.PoolId} FROM {table} WHERE {dialect.InList("id_number", "@keys")}", "@keys");
        _findPools = Command(writer,
            $"SELECT {EntityTables.PoolId}, {EntityTables.Deleted}, {MatchRecord.TextColumns(_fields)} FROM {table}{dialect.IndexHint(MatchTables.MatchIndex(entity))} " +
            $"WHERE {dialect.InList(EntityTables.PoolId, "@ids")}", "@ids");
        _addReview = Command(writer,
            "INSERT INTO dp_match_reviews (entity, record_id, pool_id, candidate_pool, score, breakdown, status, run_id) VALUES (@entity, @record, @pool, @candidate, @score, @breakdown, 'pending', @run)",
            "@entity", "@record", "@pool", "@candidate", "@score", "@breakdown", "@run");
        _closeStale = Command(writer, StaleReviews.CloseSql, "@entity", "@now");
        _keys = new MatchBlocks(writer);
        _weights = MatchModelStore.Current(Command(writer, MatchModelStore.CurrentSql, "@entity"), entity.Name);
        _candidates = new CandidateRecords(writer, entity.Name, _weights, settings.Link);
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

    /// <summary>A row's lookup keys with their hashes, made once a batch: <see cref="Prepare"/> reads their blocks, <see cref="Place"/> their candidates.</summary>
    private (string Key, long Hash)[] LookupsFor(PendingRow row)
    {
        if (!_lookups.TryGetValue(row.RecordId, out var keys))
        {
            _lookups[row.RecordId] = keys = RecordFor(row).LookupKeys(_settings.Blocking).Select(k => (k, MatchBlocks.Hash(k))).ToArray();
        }

        return keys;
    }

    /// <summary>
    /// Reads everything the batch's rows may be compared with: the pool persons with their valid ID numbers (or the
    /// number an invalid one most likely meant), the blocks their keys name (the open ones from memory while few:
    /// <see cref="MatchBlocks"/>), and the golden records of those blocks' persons. A candidate's source records wait
    /// until a row's score against its golden record leaves the decision open (<see cref="CandidateRecords"/>).
    /// </summary>
    public void Prepare(IReadOnlyList<PendingRow> rows)
    {
        var started = Stopwatch.GetTimestamp();
        var open = rows.Where(r => r.Stored?.PoolId is null).ToList();
        var ids = open.Select(r => IdFor(r) is { } id ? id.Valid ? id.Full : id.Corrected : null).OfType<string>().Distinct().Where(_writer.MayHoldKey).ToList();
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
        started = Spent(Phase.Ids, started);
        _openPersons = _keys.AnyOpen();
        _openRows = open.Any(r => IdFor(r) is not { Valid: true });
        var lookups = open.Where(r => IdFor(r) is { Valid: true } id ? _openPersons && !_exact.ContainsKey(id.Full!) : true)
            .SelectMany(LookupsFor).Distinct().ToList();
        var idBlocks = lookups.Where(k => IsIdBlock(k.Key)).Select(k => k.Hash).ToHashSet();

        foreach (var (hash, pool) in _keys.Find(lookups))
        {
            if (!_blocks.TryGetValue(hash, out var block))
            {
                _blocks[hash] = block = [];
            }

            block.Add(Resolve(pool));
        }

        started = Spent(Phase.Blocks, started);
        wanted.UnionWith(_blocks.Where(b => b.Value.Count <= MaxBlock || idBlocks.Contains(b.Key)).SelectMany(b => b.Value));
        wanted.ExceptWith(_pools.Keys);
        MatchingMetrics.Candidates.Add(wanted.Count);
        if (wanted.Count > 0)
        {
            _findPools.Parameters["@ids"].Value = _dialect.ListValue(wanted);
            using var reader = _findPools.ExecuteReader();
            while (reader.Read())
            {
                _pools[reader.GetInt64(0)] = (MatchRecord.Read(reader, _fields, 2), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture) != 0);
            }
        }

        Spent(Phase.Candidates, started);
    }

    /// <summary>
    /// Writes the batch's decisions and merges (after the batch's records: call it once they are written; its keys wait in
    /// <see cref="MatchBlocks"/>); the next batch reads the pool afresh (survivorship changed it). Returns the persons merges touched.
    /// </summary>
    public IReadOnlyCollection<long> Flush()
    {
        var started = Stopwatch.GetTimestamp();
        _links.Flush();
        var merged = _merges.Write();
        Spent(Phase.Writing, started);
        ReportTime();
        foreach (var (decision, count) in _placed)
        {
            MatchingMetrics.Rows.Add(count, new KeyValuePair<string, object?>("decision", decision));
        }

        _placed.Clear();
        _exact.Clear();
        _records.Clear();
        _ids.Clear();
        _lookups.Clear();
        _blocks.Clear();
        _pools.Clear();
        _candidates.Clear();
        return merged;
    }

    /// <summary>
    /// Writes the keys still waiting (<see cref="MatchBlocks"/>) and closes the review items this sync's merges answered
    /// (<see cref="StaleReviews"/>); call once the stream's last batch is flushed.
    /// </summary>
    public void Complete()
    {
        var started = Stopwatch.GetTimestamp();
        _keys.Write();
        Run(_closeStale, ("@entity", _entity.Name), ("@now", SourceLock.Now()));
        Spent(Phase.Writing, started);
        ReportTime();
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
