using System.Text.Json;
using DataPool.Abstractions;
using DataPool.Core.Store;

namespace DataPool.Core.Sync;

/// <summary>
/// A quarantined row as stored, and the same row with an admin's corrections, ready to replay. Corrections apply to
/// the row as last tried (<see cref="Raw"/> is the source's row until a first attempt), so a second attempt builds on the first.
/// </summary>
internal sealed record QuarantineEntry(long Id, string SourceId, string Stream, string Status, string? Location, long Number, Dictionary<string, string?> Raw)
{
    public static async Task<QuarantineEntry> LoadAsync(PoolDatabase database, long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT source_id, stream, status, location, row_number, raw FROM dp_quarantine WHERE id = @id", null, ("@id", id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new KeyNotFoundException($"no quarantined row {id}");
        }

        var entry = new QuarantineEntry(id, reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetNullableString(3),
            reader.GetNullableInt64(4) ?? 0, JsonSerializer.Deserialize<Dictionary<string, string?>>(reader.GetString(5)) ?? []);
        if (entry.Status != "open")
        {
            throw new InvalidOperationException($"quarantined row {id} is {entry.Status}; only open rows can be replayed");
        }

        await reader.DisposeAsync();
        var attempts = await QuarantineAttempts.ListAsync(connection, id, cancellationToken);
        return attempts.Count == 0 ? entry : entry with { Raw = attempts[^1].Row.ToDictionary() };
    }

    /// <summary>The whole row with the corrections applied, column → text.</summary>
    public Dictionary<string, string?> CorrectedValues(IReadOnlyDictionary<string, string?> corrections) =>
        Raw.Keys.ToDictionary(c => c, c => corrections.TryGetValue(c, out var corrected) ? corrected : Raw[c]);

    public RawRow Corrected(IReadOnlyDictionary<string, string?> corrections)
    {
        var unknown = corrections.Keys.Where(c => !Raw.ContainsKey(c)).ToList();
        if (unknown.Count > 0)
        {
            throw new SyncException($"quarantined row {Id} has no column(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))} (it has: {string.Join(", ", Raw.Keys)})");
        }

        var columns = Raw.Keys.ToList();
        var values = columns.Select(c => corrections.TryGetValue(c, out var corrected) ? corrected : Raw[c]).ToArray();
        return new RawRow(new RowHeader(columns), values, Number, $"replay of {Location}");
    }
}
