using System.Data.Common;

namespace DataPool.Core.Store.Writing;

/// <summary>
/// A stream's bad rows into <c>dp_quarantine</c>, in the run's transaction. A row is known by its identity (the hash
/// of its raw content), so the same bad row delivered again updates its entry instead of adding one. On SQLite a
/// statement is a call; on PostgreSQL it is a round trip, so there a batch's rows wait for <see cref="Flush"/> and go
/// in one statement.
/// </summary>
internal sealed class QuarantineWriter
{
    private const string Insert =
        "INSERT INTO dp_quarantine (source_id, stream, row_hash, source_key, status, location, row_number, raw, reasons, reason_codes, first_run, last_run, seen_count)";

    /// <summary>The same bad row again updates its entry: its last delivery, one more run seen, reopened when it was resolved.</summary>
    private const string Conflict =
        """
        ON CONFLICT (source_id, stream, row_hash) DO UPDATE SET location = excluded.location, row_number = excluded.row_number,
            raw = excluded.raw, reasons = excluded.reasons, reason_codes = excluded.reason_codes, source_key = excluded.source_key,
            seen_count = dp_quarantine.seen_count + CASE WHEN dp_quarantine.last_run = excluded.last_run THEN 0 ELSE 1 END,
            status = CASE WHEN dp_quarantine.status = 'resolved' THEN 'open' ELSE dp_quarantine.status END,
            resolution = CASE WHEN dp_quarantine.status = 'resolved' THEN NULL ELSE dp_quarantine.resolution END,
            last_run = excluded.last_run
        """;

    private readonly DbCommand _insert, _seenAgain;
    private readonly bool _batched;
    private readonly List<(long Identity, string? Key, string Location, long Number, string Raw, string Reasons, string? Codes)> _pending = [];

    /// <param name="common">The run's parameters (<c>@source</c>, <c>@stream</c>, <c>@run</c>, …) as the writer binds them.</param>
    public QuarantineWriter(PoolWriter writer, (string Name, object? Value)[] common)
    {
        _batched = writer.Dialect.IsPostgres;
        _insert = _batched
            ? writer.Prepare(
                $"{Insert} SELECT @source, @stream, q.hash, q.key, 'open', q.location, q.number, q.raw, q.reasons, q.codes, @run, @run, 1 " +
                $"FROM unnest(@hash, @key, @location, @number, @raw, @reasons, @codes) AS q(hash, key, location, number, raw, reasons, codes) {Conflict}",
                common, "@hash", "@key", "@location", "@number", "@raw", "@reasons", "@codes")
            : writer.Prepare(
                $"{Insert} VALUES (@source, @stream, @hash, @key, 'open', @location, @number, @raw, @reasons, @codes, @run, @run, 1) {Conflict}",
                common, "@hash", "@key", "@location", "@number", "@raw", "@reasons", "@codes");
        // A replay still bad leaves the entry's row and reasons as the source delivered them: the attempt is recorded on its own.
        _seenAgain = writer.Prepare("UPDATE dp_quarantine SET last_run = @run WHERE id = @id", common, "@id");
    }

    /// <summary>
    /// Opens the row's entry, or, when the same row (by <paramref name="identity"/>) was quarantined before, updates
    /// that entry: its last run, reasons and how many runs have seen it; an entry resolved meanwhile opens again.
    /// </summary>
    /// <param name="reasonCodes">The reasons' stable codes as stored (the pipeline classifies them; the store only keeps them).</param>
    public void Add(long identity, string? key, string location, long number, string raw, string reasonsJson, string? reasonCodes)
    {
        if (_batched)
        {
            _pending.Add((identity, key, location, number, raw, reasonsJson, reasonCodes));
            return;
        }

        PoolWriter.Run(_insert, ("@hash", identity), ("@key", key), ("@location", location), ("@number", number), ("@raw", raw), ("@reasons", reasonsJson),
            ("@codes", reasonCodes));
    }

    /// <summary>
    /// The batch's quarantined rows in one statement (PostgreSQL). A row quarantined twice in the batch keeps its last
    /// delivery, as two statements in turn would leave it (the second counts no new run).
    /// </summary>
    public void Flush()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var rows = _pending.GroupBy(q => q.Identity).Select(g => g.Last()).ToList();
        _pending.Clear();
        PoolWriter.Run(_insert, ("@hash", rows.Select(r => r.Identity).ToArray()), ("@key", rows.Select(r => r.Key).ToArray()),
            ("@location", rows.Select(r => r.Location).ToArray()), ("@number", rows.Select(r => r.Number).ToArray()), ("@raw", rows.Select(r => r.Raw).ToArray()),
            ("@reasons", rows.Select(r => r.Reasons).ToArray()), ("@codes", rows.Select(r => r.Codes).ToArray()));
    }

    /// <summary>A replayed row still bad: its entry was seen by this run (the attempt, with its row and reasons, is recorded by the replay).</summary>
    public void SeenAgain(long quarantineId) => PoolWriter.Run(_seenAgain, ("@id", quarantineId));
}
