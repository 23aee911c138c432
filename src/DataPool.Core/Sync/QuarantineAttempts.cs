using System.Data.Common;
using System.Text.Json;
using DataPool.Core.Store;
using DataPool.Core.Store.Writing;

namespace DataPool.Core.Sync;

/// <summary>
/// One replay of a quarantined row: who tried it and when (UTC, ISO 8601), the columns they corrected, the whole row
/// as it was replayed, and its fate: accepted (the row's values are then the accepted value) or still bad with these reasons.
/// </summary>
public sealed record QuarantineAttempt(long Id, long RunId, string At, string? By, IReadOnlyDictionary<string, string?> Corrections,
    IReadOnlyDictionary<string, string?> Row, bool Accepted, IReadOnlyList<string> Reasons)
{
    /// <summary>Each reason with its stable code and the field and columns it concerns.</summary>
    public IReadOnlyList<QuarantineReason> ReasonDetails => Reasons.Select(QuarantineReasons.Classify).ToList();
}

/// <summary>Writes and reads <c>dp_quarantine_attempts</c>: every replay of an entry is kept, the entry itself never changes its row.</summary>
public static class QuarantineAttempts
{
    private const string Columns = "id, run_id, attempted_at, attempted_by, corrections, row_values, accepted, reasons";

    /// <summary>Records an attempt inside the replay's own transaction, so it is kept exactly when the run is.</summary>
    internal static Task RecordAsync(DbConnection connection, DbTransaction transaction, long quarantineId, long runId, string? by,
        IReadOnlyDictionary<string, string?> corrections, IReadOnlyDictionary<string, string?> row, IReadOnlyList<string> reasons, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(
            """
            INSERT INTO dp_quarantine_attempts (quarantine_id, run_id, attempted_at, attempted_by, corrections, row_values, accepted, reasons)
            VALUES (@entry, @run, @at, @by, @corrections, @row, @accepted, @reasons)
            """,
            transaction, cancellationToken, ("@entry", quarantineId), ("@run", runId), ("@at", SourceLock.Now()), ("@by", by),
            ("@corrections", JsonSerializer.Serialize(corrections)), ("@row", JsonSerializer.Serialize(row)), ("@accepted", reasons.Count == 0 ? 1L : 0L),
            ("@reasons", JsonSerializer.Serialize(reasons)));

    /// <summary>The attempts of one entry, oldest first.</summary>
    public static async Task<List<QuarantineAttempt>> ListAsync(PoolDatabase database, long quarantineId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ListAsync(connection, quarantineId, cancellationToken);
    }

    internal static async Task<List<QuarantineAttempt>> ListAsync(DbConnection connection, long quarantineId, CancellationToken cancellationToken)
    {
        await using var command = connection.Command($"SELECT {Columns} FROM dp_quarantine_attempts WHERE quarantine_id = @entry ORDER BY id", null, ("@entry", quarantineId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var attempts = new List<QuarantineAttempt>();
        while (await reader.ReadAsync(cancellationToken))
        {
            attempts.Add(new QuarantineAttempt(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetNullableString(3),
                Values(reader.GetString(4)), Values(reader.GetString(5)), reader.GetInt64(6) == 1,
                JsonSerializer.Deserialize<List<string>>(reader.GetString(7)) ?? []));
        }

        return attempts;
    }

    private static Dictionary<string, string?> Values(string json) => JsonSerializer.Deserialize<Dictionary<string, string?>>(json) ?? [];
}
