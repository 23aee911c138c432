using System.Text.Json;
using DataPool.Abstractions;
using DataPool.Core.Schema;
using DataPool.Core.Store;
using DataPool.Core.Store.Writing;
using DataPool.Core.Values;

namespace DataPool.Core.Sync;

/// <summary>
/// One stream of one run: every row is either skipped as unchanged, staged and merged into the pool,
/// or quarantined with every reason. Rows flow one at a time; nothing holds the stream in memory.
/// </summary>
internal sealed class StreamSync : IDisposable
{
    private readonly StreamDefinition _stream;
    private readonly PoolEntity _entity;
    private readonly StreamPlan _plan;
    private readonly List<FieldPlan> _plans;
    private readonly PoolWriter _writer;
    private readonly PoolIdAllocator _ids;
    private readonly StreamRowHasher _rowHasher;
    // A full stream's stored hashes (null for incremental streams and replays, which read few rows): unchanged rows are known without a query.
    private readonly IStoredHashes? _stored;
    // Records this run inserted: live too when delete detection weighs its share.
    private long _inserted;
    private readonly int[] _entityKeyPlans;
    private readonly SourceKeys _keys;
    private const int BatchSize = 2_000;
    private const int DeleteChunk = 5_000;
    private readonly SeenSet _seen = new();
    // Records whose row came unreadable (ragged, cut off) but with its key: not delivered, yet not gone either.
    private readonly SeenSet _kept = new();
    private readonly QuarantineBook _book;
    private string? _cutOff;
    private readonly List<RawRow> _batch = new(BatchSize);
    private RowHeader? _checkedHeader;

    private readonly long? _replayOf;
    private readonly IRowLinker? _linker;
    private readonly PoolRecompute _recompute;
    private readonly RowLinking _linking;

    /// <param name="linker">Links rows beyond their entity key (matching, for persons); null: rows link by their key.</param>
    /// <param name="replayOf">When replaying one quarantined row: its entry, which takes the row's fate instead of a new entry.</param>
    public StreamSync(StreamDefinition stream, SchemaCatalog catalog, PoolWriter writer,
        IReadOnlyDictionary<string, SourceRank> ranks, PoolIdAllocator ids, IRowLinker? linker, long? replayOf = null,
        ControlCharacterPolicy controls = ControlCharacterPolicy.Strip, SyncOptions? options = null)
    {
        var entity = writer.Entity;
        _replayOf = replayOf;
        _stream = stream;
        _entity = entity;
        _writer = writer;
        _ids = ids;
        _plan = new StreamPlan(stream, catalog, controls);
        _plans = _plan.Plans;
        var seed = RowHasher.HashText(JsonSerializer.Serialize(stream));
        _rowHasher = new StreamRowHasher(seed, stream.Key.Concat(_plans.SelectMany(p => p.Mapping.From)).Concat(stream.AsOf is { } asOf ? [asOf] : []).Distinct().ToArray());
        _entityKeyPlans = entity.Key.Select(k => _plans.FindIndex(p => p.Name == k)).ToArray();
        _keys = new SourceKeys(stream, _plans);
        _recompute = new PoolRecompute(writer, entity, ranks, ids.RunId);
        _book = new QuarantineBook(writer, writer.SourceId, stream.Name, ids.RunId);
        _linker = linker;
        _linking = new RowLinking(writer, entity, ids, linker, _recompute, new AsOfClock(stream, entity, writer.NowTicks), Counts);
        _stored = stream.Mode == StreamModes.Full && replayOf is null ? StoredWalk.Open(writer, stream.Name, options ?? SyncOptions.Default) : null;
    }

    /// <summary>The stream is too large for its stored hashes in memory: every row goes to <see cref="Walk"/>, then <see cref="EndWalk"/>, before <see cref="Process"/>.</summary>
    public bool WalksFirst => _stored?.WalksFirst == true;

    /// <summary>A row of the export's first read: only its key hash, row hash and position are kept.</summary>
    public void Walk(RawRow row)
    {
        CheckHeader(row.Header);
        var (key, keyHash, rowHash) = Identity(row);
        ((StoredWalk)_stored!).Observe(key is not null, row.Problem is null, keyHash, rowHash);
    }

    /// <summary>Walks the first read against the stored records; the second read follows.</summary>
    public void EndWalk() => ((StoredWalk)_stored!).Walk();

    /// <summary>
    /// A row's source key and the hashes of key and row (0 when there is none), the same in both reads of a walked
    /// stream. The key hash only where stored hashes are asked (full streams); elsewhere it is not worth a row's time.
    /// </summary>
    private (string? Key, long KeyHash, long RowHash) Identity(RawRow row)
    {
        if (_keys.Of(row) is not { } key)
        {
            return (null, 0, 0);
        }

        return (key, _stored is null ? 0 : RowHasher.HashKey(key), row.Problem is null ? _rowHasher.Hash(row) : 0);
    }

    public SyncCounts Counts { get; } = new();
    public string? MaxCursor { get; private set; }

    /// <summary>The reasons of the last row quarantined (what a replay reports back).</summary>
    public IReadOnlyList<string> LastReasons { get; private set; } = [];

    /// <summary>Rows are worked in batches so lookups and writes go many rows a statement; memory stays bounded by the batch.</summary>
    public void Process(RawRow row)
    {
        _batch.Add(row);
        if (_batch.Count >= BatchSize)
        {
            Flush();
        }
    }

    /// <summary>Works the rows still buffered; call once the connector has delivered every row.</summary>
    public void Complete()
    {
        Flush();
        (_stored as StoredWalk)?.Verify();

        _linker?.Complete();
        _book.Complete();
    }

    private void Flush()
    {
        if (_batch.Count == 0)
        {
            return;
        }

        var unreadable = new List<string>();
        var rows = Identify(unreadable);
        // The database is asked only about rows the stored hashes do not show unchanged: new, changed, or unreadable.
        var version = _stored?.Version;
        var unchanged = rows.Select(r => _stored?.Unchanged(r.Ordinal, r.KeyHash, r.Hash)).ToList();
        // A key no record can have (by the stored hashes and what this run inserted) is new: nothing to ask for.
        var ask = rows.Where((r, i) => unchanged[i] is null && _stored?.MayHold(r.Ordinal, r.KeyHash) != false).Select(r => r.Key).Concat(unreadable).Distinct().ToList();
        // Sized for the batch: Decide notes every row's record in it (grown from empty, it was copied ten times a batch).
        var stored = ask.Count == 0 ? new Dictionary<string, StoredRecord>(rows.Count, StringComparer.Ordinal) : _writer.FindRecords(ask, rows.Count);
        foreach (var key in unreadable)
        {
            if (stored.TryGetValue(key, out var record))
            {
                _kept.Add(record.Id);
            }
        }

        var merges = Decide(rows, unchanged, version, stored);
        _linking.Link(merges);
        _book.FlushBatch();
        _batch.Clear();
    }

    /// <summary>
    /// Counts each row read and gives it its source key and hash; rows that cannot be identified or read are
    /// quarantined, and the keys of unreadable rows that may have a stored record are kept in <paramref name="unreadable"/>.
    /// </summary>
    private List<(RawRow Row, string Key, long Hash, long KeyHash, long Ordinal)> Identify(List<string> unreadable)
    {
        var rows = new List<(RawRow, string, long, long, long)>(_batch.Count);
        foreach (var row in _batch)
        {
            var ordinal = Counts.Read++;
            CheckHeader(row.Header);
            if (row.CutOff)
            {
                _cutOff = row.Location;
            }

            var (key, keyHash, rowHash) = Identity(row);
            (_stored as StoredWalk)?.Reread(key is not null, row.Problem is null, keyHash, rowHash);

            if (row.Problem is not null)
            {
                Quarantine(row, [row.Problem], key);
                // Its record, if it has one, is kept. Looked up only where the stored hashes may hold the key: at 1M
                // persons, 3,641 ragged rows of keys never stored cost a lookup each (33 MB of the key index, cold).
                if (key is not null && _stored?.MayHold(ordinal, keyHash) != false)
                {
                    unreadable.Add(key);
                }

                continue;
            }

            if (key is null)
            {
                Quarantine(row, [$"key column(s) {string.Join(", ", _stream.Key)} empty: the row cannot be identified"], null);
                continue;
            }

            TrackCursor(row);
            rows.Add((row, key, rowHash, keyHash, ordinal));
        }

        return rows;
    }

    /// <summary>Unchanged rows and exact duplicates are counted and skipped; the rest are judged, and the bad ones quarantined.</summary>
    /// <param name="unchanged">Per row, the stored hashes' answer (<see cref="StoredHashes.Unchanged"/>) at <paramref name="version"/>.</param>
    private List<PendingRow> Decide(List<(RawRow Row, string Key, long Hash, long KeyHash, long Ordinal)> rows, List<long?> unchanged, int? version,
        Dictionary<string, StoredRecord> stored)
    {
        var merges = new List<PendingRow>();
        for (var i = 0; i < rows.Count; i++)
        {
            var (row, key, hash, keyHash, ordinal) = rows[i];
            // Asked again in row order only if an earlier row of this batch rewrote a stored record (then the database's answer decides).
            if ((_stored?.Version == version ? unchanged[i] : _stored?.Unchanged(ordinal, keyHash, hash)) is { } same)
            {
                _seen.Add(same);
                Counts.Unchanged++; // unchanged since the last run, or an exact duplicate within the export
                _book.Clean(key, keyHash);
                continue;
            }

            stored.TryGetValue(key, out var known);
            var exists = stored.ContainsKey(key);
            if (exists && _seen.Contains(known.Id))
            {
                if (known.Hash == hash)
                {
                    Counts.Unchanged++; // an exact duplicate within the export adds nothing
                    _book.Clean(key, keyHash);
                }
                else
                {
                    Quarantine(row, [$"duplicate key '{key}': an earlier row of this run ({known.Location}) has the same key with other values"], key);
                }

                continue;
            }

            if (exists)
            {
                // Seen even if the row turns out bad: a quarantined row does not delete its last good record.
                _seen.Add(known.Id);
                if (known.Hash == hash && !known.Deleted)
                {
                    Counts.Unchanged++;
                    _book.Clean(key, keyHash);
                    continue;
                }
            }

            var (_, values, flags, reasons) = _plan.Judge(row);
            var entityKey = _entityKeyPlans.Select(p => p >= 0 && values.TryGetValue(_plans[p].Name, out var v) ? v : null).ToArray();
            if (reasons.Count == 0 && entityKey.Any(v => v is null)
                && (_linker is null ? $"{string.Join(", ", _entity.Key)}: missing, so the row cannot be linked to a {_entity.Name}" : _linker.Unlinkable(values, flags)) is { } unlinkable)
            {
                reasons.Add(unlinkable);
            }

            if (reasons.Count > 0)
            {
                Quarantine(row, reasons, key);
                continue;
            }

            _book.Clean(key, keyHash);

            var id = exists ? known.Id : _ids.NextRecordId();
            _seen.Add(id);
            if (exists)
            {
                _stored?.Rewritten(keyHash, id, hash, known.Deleted);
            }
            else
            {
                _inserted++;
                _stored?.Inserted(keyHash);
            }

            // Later rows of this run with the same key compare against this one.
            stored[key] = new StoredRecord(id, hash, known.PoolId, false, row.Location);
            merges.Add(new PendingRow(row, key, hash, id, exists ? known : null, values, flags, entityKey!));
        }

        return merges;
    }

    /// <summary>
    /// A full stream's records not delivered this run were deleted at the source, if the guard finds the file
    /// whole; a record whose row came unreadable but keyed was delivered, just not readably.
    /// </summary>
    public void DetectDeletions(DeletionGuard guard)
    {
        Flush();
        var stored = _stored ?? throw new InvalidOperationException("delete detection needs a full stream's stored hashes");
        // The candidates hold every record live before the run that may be gone; those this run inserted were all seen.
        var gone = stored.DeletionCandidates().Where(id => !_seen.Contains(id) && !_kept.Contains(id)).ToList();
        guard.Check(_stream.Name, stored.Live + _inserted, gone.Count, _cutOff);

        var deletions = new SourceRecordDeletions(_writer, _ids.RunId);
        foreach (var chunk in gone.Chunk(DeleteChunk))
        {
            // A statement per chunk of gone records, not per record; their pool records are recomputed once each.
            var (deleted, touched) = deletions.Mark(chunk);
            Counts.Deleted += deleted;
            _recompute.RecomputeMany(touched.Select(p => _linker?.Resolve(p) ?? p));
            _recompute.Flush();
        }

        _writer.Flush();
    }

    public void Dispose()
    {
        _stored?.Dispose();
        _writer.Dispose();
    }

    /// <param name="key">The row's source key, when it has a readable one: its entry is found by it when the row comes back.</param>
    private void Quarantine(RawRow row, IReadOnlyList<string> reasons, string? key)
    {
        Counts.Quarantined++;
        LastReasons = reasons;
        if (_replayOf is { } entry)
        {
            _writer.QuarantineInto(entry);
            return;
        }

        _book.Quarantine(row, reasons, key, _plan.Mapper.Map(row));
    }

    private void TrackCursor(RawRow row)
    {
        if (_stream.Cursor is null || Text.Clean(row[_stream.Cursor]) is not { } value)
        {
            return;
        }

        if (MaxCursor is null || CursorOrder.Compare(value, MaxCursor) > 0)
        {
            MaxCursor = value;
        }
    }

    private void CheckHeader(RowHeader header)
    {
        if (!ReferenceEquals(header, _checkedHeader))
        {
            _plan.RequireColumns(header);
            _checkedHeader = header;
        }
    }
}
