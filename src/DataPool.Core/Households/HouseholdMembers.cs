using System.Globalization;
using DataPool.Core.Store;
using DataPool.Core.Values;

namespace DataPool.Core.Households;

/// <summary>A member of a household: the person's pool id and name, relation to the head (GB/T 4761 code), and since when.</summary>
public sealed record HouseholdMember(long PoolId, string? Name, string? RelationCode, bool IsHead, DateTimeOffset Since);

/// <summary>A household of the pool: its pool id, registration number and community.</summary>
public sealed record HouseholdRecord(long PoolId, string HouseholdNo, string? CommunityCode);

/// <summary>
/// Who lives in a household, now or at a past moment, from the memberships the household step keeps.
/// The head comes first, then the others by relation code.
/// </summary>
public sealed class HouseholdMembers(PoolDatabase database)
{
    /// <summary>The members of the household registered under <paramref name="householdNo"/>; <paramref name="asOf"/> null: now.</summary>
    public Task<IReadOnlyList<HouseholdMember>> ForHouseholdAsync(string householdNo, DateTimeOffset? asOf, CancellationToken cancellationToken) =>
        Text.Clean(householdNo) is { } number
            ? MembersAsync("no:" + number, asOf, cancellationToken)
            : Task.FromResult<IReadOnlyList<HouseholdMember>>([]);

    /// <summary>A household record of the pool (its number and community), to check who may see it before listing its members.</summary>
    public async Task<HouseholdRecord?> HouseholdAsync(long poolId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"SELECT household_no, community_code FROM {EntityTables.TableName("household")} WHERE {EntityTables.PoolId} = @id AND {EntityTables.Deleted} = 0",
            null, ("@id", poolId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new HouseholdRecord(poolId, reader.GetString(0), reader.GetNullableString(1)) : null;
    }

    /// <summary>The members of the household the person belonged to (by number or, lacking one, by address); empty when none.</summary>
    public async Task<IReadOnlyList<HouseholdMember>> ForPersonAsync(long personId, DateTimeOffset? asOf, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var key = await connection.ScalarAsync<string>(
            $"SELECT m.household_key FROM dp_household_members m JOIN {EntityTables.TableName("person")} p ON p.pool_id = m.person_id WHERE m.person_id = @person AND {During(asOf)} ORDER BY m.id DESC LIMIT 1",
            null, cancellationToken, [("@person", personId), .. At(asOf)]);
        return key is null ? [] : await MembersAsync(key, asOf, cancellationToken);
    }

    private async Task<IReadOnlyList<HouseholdMember>> MembersAsync(string key, DateTimeOffset? asOf, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"""
            SELECT m.person_id, p.name, m.relation_code, m.is_head, m.from_at
            FROM dp_household_members m JOIN {EntityTables.TableName("person")} p ON p.pool_id = m.person_id
            WHERE m.household_key = @key AND {During(asOf)}
            ORDER BY m.is_head DESC, m.relation_code, m.person_id
            """, null, [("@key", key), .. At(asOf)]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var members = new List<HouseholdMember>();
        while (await reader.ReadAsync(cancellationToken))
        {
            members.Add(new HouseholdMember(reader.GetInt64(0), reader.GetNullableString(1), reader.GetNullableString(2),
                Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture) != 0,
                DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)));
        }

        return members;
    }

    /// <summary>
    /// A membership current at the moment, or open now of a person still in the pool (a person merged away by the
    /// review queue is closed only by the next sync that touches them).
    /// </summary>
    private static string During(DateTimeOffset? asOf) => asOf is null
        ? $"m.to_at IS NULL AND p.{EntityTables.Deleted} = 0"
        : "m.from_at <= @at AND (m.to_at IS NULL OR m.to_at > @at)";

    /// <summary>The moment's parameter, bound only when the statement names it (PostgreSQL cannot type an unused null).</summary>
    private static (string, object?)[] At(DateTimeOffset? asOf) => asOf is { } moment ? [("@at", HouseholdTables.Stamp(moment))] : [];
}
