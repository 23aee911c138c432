using System.Data.Common;
using DataPool.Core.Store;

namespace DataPool.Core.Sync;

/// <summary>The quarantine's reason codes, classified by the pipeline and filled in at start for entries older than codes.</summary>
internal sealed class QuarantineReasonCodes : IStoreInitializer
{
    /// <summary>Entries quarantined before reasons had codes get theirs, so grouping and filtering by code sees every row.</summary>
    public async Task InitialiseAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, CancellationToken cancellationToken)
    {
        var missing = new List<(long Id, string Codes)>();
        await using (var command = connection.Command("SELECT id, reasons FROM dp_quarantine WHERE reason_codes IS NULL", transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var reasons = System.Text.Json.JsonSerializer.Deserialize<List<string>>(reader.GetString(1)) ?? [];
                missing.Add((reader.GetInt64(0), QuarantineReasons.Stored(reasons)));
            }
        }

        foreach (var (id, codes) in missing)
        {
            await connection.ExecuteAsync("UPDATE dp_quarantine SET reason_codes = @codes WHERE id = @id", transaction, cancellationToken, ("@codes", codes), ("@id", id));
        }
    }
}
