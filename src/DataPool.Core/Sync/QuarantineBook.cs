using System.Data.Common;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text.Json;
using DataPool.Abstractions;
using DataPool.Core.Store;
using DataPool.Core.Store.Writing;

namespace DataPool.Core.Sync;

/// <summary>
/// Keeps one stream's quarantine true to the source. The same bad row in a later run updates its entry
/// instead of opening another (<see cref="Identity"/>); an open entry closes when its row (same source key)
/// arrives clean, or arrives with other content (then the changed row is an entry of its own, or clean).
/// The keys of the stream's open entries are hashed into memory with their identities when the stream starts (16 bytes
/// an open entry), so a clean row costs a hash lookup and the same bad row again costs nothing; only keys that may have
/// an entry to close are looked up, a batch at a time.
/// </summary>
internal sealed class QuarantineBook
{
    private static readonly JsonSerializerOptions Json = StoredJson.Options;
    private const char Separator = '\u001f';
    private const int CloseChunk = 5_000;
    private readonly PoolWriter _writer;
    private readonly long _runId;
    /// <summary>
    /// The stream's open keyed entries by key hash: the identity of the key's one open entry, or null when it has
    /// several. A row whose key is not here has no entry to close.
    /// </summary>
    private readonly Dictionary<long, long?> _openKeys = [];
    private readonly HashSet<string> _clean = new(StringComparer.Ordinal);
    private readonly HashSet<string> _bad = new(StringComparer.Ordinal);
    private readonly Dictionary<long, bool> _closing = [];
    private readonly DbCommand? _find;

    public QuarantineBook(PoolWriter writer, string sourceId, string stream, long runId)
    {
        _writer = writer;
        _runId = runId;
        using (var open = writer.Command("SELECT source_key, row_hash FROM dp_quarantine WHERE source_id = @source AND stream = @stream AND status = 'open' AND source_key IS NOT NULL"))
        {
            open.AddParameter("@source", sourceId);
            open.AddParameter("@stream", stream);
            using var reader = open.ExecuteReader();
            while (reader.Read())
            {
                var keyHash = RowHasher.HashKey(reader.GetString(0));
                _openKeys[keyHash] = _openKeys.ContainsKey(keyHash) ? null : reader.GetInt64(1);
            }
        }

        if (_openKeys.Count > 0)
        {
            _find = writer.Command(
                $"SELECT id, source_key FROM dp_quarantine WHERE source_id = @source AND stream = @stream AND status = 'open' AND {writer.Dialect.InList("source_key", "@keys")}");
            _find.AddParameter("@source", sourceId);
            _find.AddParameter("@stream", stream);
            _find.AddParameter("@keys");
        }
    }

    /// <summary>
    /// Which quarantined row this is, across runs and re-exports: its source key (normalised as for source
    /// records) and, per mapped field, the canonical value when it parses, else the cleaned text (NFKC, trimmed,
    /// spaces collapsed). Not the raw line: quoting, column order, encoding, padding, width, line position,
    /// columns the stream does not map and a date written another way all change with a re-formatted export
    /// and say nothing about the row. Not the mapping's definition either, so editing a mapping keeps entries.
    /// </summary>
    public static long Identity(string? key, MappedRow mapped)
    {
        var hash = new XxHash3();
        hash.Append(MemoryMarshal.AsBytes((key ?? "\0").AsSpan()));
        for (var i = 0; i < mapped.Values.Length; i++)
        {
            hash.Append(MemoryMarshal.AsBytes([Separator]));
            hash.Append(MemoryMarshal.AsBytes((mapped.Values[i] ?? mapped.Raw[i] ?? "").AsSpan()));
        }

        return (long)hash.GetCurrentHashAsUInt64();
    }

    /// <summary>A row with this key arrived clean (accepted, or unchanged since it was).</summary>
    /// <param name="keyHash">The key's <see cref="RowHasher.HashKey"/> when the caller has it (0: not at hand).</param>
    public void Clean(string key, long keyHash = 0)
    {
        if (_openKeys.Count > 0 && _openKeys.ContainsKey(keyHash != 0 ? keyHash : RowHasher.HashKey(key)))
        {
            _clean.Add(key);
        }
    }

    /// <summary>A row with this key and <see cref="Identity"/> was quarantined in this run.</summary>
    /// <remarks>
    /// The same bad row again (its key's one open entry has its identity) has nothing to close: its entry is the one
    /// the run refreshes. Only a key whose open entry is another row is looked up; an unchanged re-sync of an export
    /// with thousands of bad rows asked the database about each of them, and wrote a no-op close for each.
    /// </remarks>
    private void Bad(string key, long identity)
    {
        if (_openKeys.Count > 0 && _openKeys.TryGetValue(RowHasher.HashKey(key), out var open) && open != identity)
        {
            _bad.Add(key);
        }
    }

    /// <summary>
    /// Writes the row's entry with every reason, the row as the source delivered it (column by column) and its
    /// <see cref="Identity"/>, and notes its key as <see cref="Bad"/>.
    /// </summary>
    /// <param name="key">The row's source key, when it has a readable one: its entry is found by it when the row comes back.</param>
    public void Quarantine(RawRow row, IReadOnlyList<string> reasons, string? key, MappedRow mapped)
    {
        var raw = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < row.Header.Columns.Count; i++)
        {
            raw.TryAdd(row.Header.Columns[i], i < row.Values.Length ? row.Values[i] : null);
        }

        var identity = Identity(key, mapped);
        _writer.Quarantine(identity, key, row.Location, row.Number, JsonSerializer.Serialize(raw, Json), JsonSerializer.Serialize(reasons, Json),
            QuarantineReasons.Stored(reasons));
        if (key is not null)
        {
            Bad(key, identity);
        }
    }

    /// <summary>Finds the open entries of the batch's keys; they close at the end unless this run quarantined them again.</summary>
    public void FlushBatch()
    {
        if (_find is null || (_clean.Count == 0 && _bad.Count == 0))
        {
            return;
        }

        _find.Parameters["@keys"].Value = _writer.Dialect.ListValue(_clean.Concat(_bad).Distinct());
        using (var reader = _find.ExecuteReader())
        {
            while (reader.Read())
            {
                var clean = _clean.Contains(reader.GetString(1));
                _closing[reader.GetInt64(0)] = clean || _closing.GetValueOrDefault(reader.GetInt64(0));
            }
        }

        _clean.Clear();
        _bad.Clear();
    }

    /// <summary>Closes the entries found, except those the run saw again as the same bad row (their last run is this one).</summary>
    public void Complete()
    {
        FlushBatch();
        if (_closing.Count == 0)
        {
            return;
        }

        using var close = _writer.Command(
            $"UPDATE dp_quarantine SET status = 'resolved', resolution = @resolution WHERE {_writer.Dialect.InList("id", "@ids")} AND status = 'open' AND last_run <> @run");
        close.AddParameter("@run", _runId);
        var ids = close.AddParameter("@ids");
        var resolution = close.AddParameter("@resolution", "");
        // Set-based: one statement per kind of closing and chunk, not one per entry.
        foreach (var group in _closing.GroupBy(entry => entry.Value))
        {
            resolution.Value = group.Key
                ? $"the row arrived clean in run {_runId}"
                : $"the row changed at the source (run {_runId}); its current version is quarantined as an entry of its own";
            foreach (var chunk in group.Select(entry => entry.Key).Chunk(CloseChunk))
            {
                ids.Value = _writer.Dialect.ListValue(chunk);
                close.ExecuteNonQuery();
            }
        }
    }
}
