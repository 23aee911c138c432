using System.Data.Common;
using DataPool.Core.Store;

namespace DataPool.Core.Households;

/// <summary>
/// Household membership through time: one row per (person, household) spell, open while <c>to_at</c> is null.
/// A household is keyed by its registration number (<c>no:…</c>) or, lacking one, by community and normalised
/// address (<c>addr:…</c>). Times are fixed-width UTC text so they compare as text on both stores.
/// </summary>
internal sealed class HouseholdTables : IStoreInitializer
{
    private const string Template = """
        CREATE TABLE IF NOT EXISTS dp_household_members (
            id {AutoId},
            household_key TEXT NOT NULL,
            household_no TEXT,
            community_code TEXT,
            address TEXT,
            person_id {BigInt} NOT NULL,
            relation_code TEXT,
            is_head {BigInt} NOT NULL DEFAULT 0,
            from_run {BigInt},
            from_at TEXT NOT NULL,
            to_run {BigInt},
            to_at TEXT);
        CREATE INDEX IF NOT EXISTS ix_dp_household_members_person ON dp_household_members (person_id, to_at);
        CREATE INDEX IF NOT EXISTS ix_dp_household_members_key ON dp_household_members (household_key, to_at);
        """;

    public Task InitialiseAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(Template.Replace("{AutoId}", dialect.AutoId).Replace("{BigInt}", dialect.BigInt), transaction, cancellationToken);

    /// <summary>A moment as stored in the table: fixed-width UTC, so text order is time order.</summary>
    public static string Stamp(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
