using DataPool.Core.Store;

namespace DataPool.Server.Forms;

/// <summary>A household found by the search box.</summary>
public sealed record HouseholdHit(string HouseholdNo, string? Address, string? HeadName, long MemberCount, string? CommunityCode);

/// <summary>
/// Finds households by a member's name, ID number, the address or the household number (at most 50), limited to
/// one community for a worker. The text is a parameter, never part of the SQL.
/// </summary>
public static class HouseholdSearch
{
    public const int Limit = 50;

    public static async Task<IReadOnlyList<HouseholdHit>> FindAsync(PoolDatabase database, string q, string? community, CancellationToken cancellationToken)
    {
        var text = q.Trim();
        var id = Core.Values.IdNumber.TryNormalise(text, out var normalised, out _) ? normalised : text.ToUpperInvariant();
        var like = "%" + text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"""
            SELECT h.household_no, h.address, h.head_name, h.community_code,
                   (SELECT COUNT(*) FROM pool_person m WHERE m.household_no = h.household_no AND m._deleted = 0) AS members
            FROM pool_household h
            WHERE h._deleted = 0 AND (@community IS NULL OR h.community_code = @community)
              AND (h.household_no = @text OR h.address LIKE @like ESCAPE '\' OR h.head_name = @text
                   OR h.household_no IN (SELECT p.household_no FROM pool_person p WHERE p._deleted = 0 AND (p.name = @text OR p.id_number = @id OR p.address LIKE @like ESCAPE '\')))
            ORDER BY h.household_no
            LIMIT {Limit}
            """,
            null, ("@community", community), ("@text", text), ("@id", id), ("@like", like));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var hits = new List<HouseholdHit>();
        while (await reader.ReadAsync(cancellationToken))
        {
            hits.Add(new HouseholdHit(reader.GetString(0), reader.GetNullableString(1), reader.GetNullableString(2),
                Convert.ToInt64(reader.GetValue(4), System.Globalization.CultureInfo.InvariantCulture), reader.GetNullableString(3)));
        }

        return hits;
    }
}
