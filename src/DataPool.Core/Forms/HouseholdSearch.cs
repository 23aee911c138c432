using System.Globalization;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using DataPool.Core.Households;
using DataPool.Core.Store;

namespace DataPool.Core.Forms;

/// <summary>A household found by the search box; its pool id is for the audit log, not the answer.</summary>
public sealed record HouseholdHit(string HouseholdNo, string? Address, string? HeadName, long MemberCount, string? CommunityCode,
    [property: JsonIgnore] long PoolId = 0)
{
    /// <summary>The community's name, shown with its code beside (null when the pool does not know it).</summary>
    public string? CommunityName { get; init; }
}

/// <summary>One page of a search, with the number of all households that match (not only the ones on this page).</summary>
public sealed record HouseholdPage(long Total, int Page, int PageSize, IReadOnlyList<HouseholdHit> Items);

/// <summary>
/// Finds households the way a worker types: the household number, an ID number, a surname or any part of a
/// member's name, part of the address, or address shorthand ("2-2-201" for 2号楼2单元201). Limited to one community
/// for a worker. The text is always a parameter, never part of the SQL.
/// </summary>
public static partial class HouseholdSearch
{
    public const int PageSize = 50;

    private static readonly string Households = EntityTables.TableName("household");
    private static readonly string Persons = EntityTables.TableName("person");
    private static readonly string Communities = EntityTables.TableName("community");

    public static async Task<HouseholdPage> FindAsync(PoolDatabase database, string q, string? community, int page, CancellationToken cancellationToken)
    {
        page = Math.Clamp(page, 1, 1_000_000);
        var text = q.Trim();
        var id = Values.IdNumber.TryNormalise(text, out var normalised, out _) ? normalised : text.ToUpperInvariant();
        var flat = Shorthand().IsMatch(text) ? AddressKey.Normalise(text) : null;
        var parameters = new List<(string, object?)>
        {
            ("@community", community), ("@text", text), ("@id", id), ("@like", Contains(text)),
        };
        var shorthand = "";
        if (flat is not null)
        {
            // "2号楼…" inside "12号楼…" is another building: the flat must not follow a digit.
            var longer = string.Join(" OR ", Enumerable.Range(0, 10).Select(d => $"h.address LIKE @flat{d} ESCAPE '\\'"));
            shorthand = $"OR (h.address LIKE @flat ESCAPE '\\' AND NOT ({longer}))";
            parameters.Add(("@flat", Contains(flat)));
            parameters.AddRange(Enumerable.Range(0, 10).Select(d => ($"@flat{d}", (object?)Contains(d.ToString(CultureInfo.InvariantCulture) + flat))));
        }

        var where =
            $"""
            FROM {Households} h
            WHERE h.{EntityTables.Deleted} = 0 AND (@community IS NULL OR h.community_code = @community)
              AND (h.household_no = @text OR h.address LIKE @like ESCAPE '\' OR h.head_name LIKE @like ESCAPE '\'
                   {shorthand}
                   OR h.household_no IN (SELECT p.household_no FROM {Persons} p WHERE p.{EntityTables.Deleted} = 0
                                         AND (p.name LIKE @like ESCAPE '\' OR p.id_number = @id OR p.address LIKE @like ESCAPE '\')))
            """;

        await using var connection = await database.OpenAsync(cancellationToken);
        long total;
        await using (var count = connection.Command($"SELECT COUNT(*) {where}", null, [.. parameters]))
        {
            total = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        await using var command = connection.Command(
            $"""
            SELECT h.household_no, h.address, h.head_name, h.community_code, h.{EntityTables.PoolId},
                   (SELECT COUNT(*) FROM {Persons} m WHERE m.household_no = h.household_no AND m.{EntityTables.Deleted} = 0) AS members,
                   (SELECT MIN(c.name) FROM {Communities} c WHERE c.community_code = h.community_code AND c.{EntityTables.Deleted} = 0) AS community_name
            {where}
            ORDER BY h.household_no
            LIMIT {PageSize} OFFSET {(page - 1) * PageSize}
            """,
            null, [.. parameters]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var hits = new List<HouseholdHit>();
        while (await reader.ReadAsync(cancellationToken))
        {
            hits.Add(new HouseholdHit(reader.GetString(0), reader.GetNullableString(1), reader.GetNullableString(2),
                Convert.ToInt64(reader.GetValue(5), CultureInfo.InvariantCulture), reader.GetNullableString(3), reader.GetInt64(4))
            { CommunityName = reader.GetNullableString(6) });
        }

        return new HouseholdPage(total, page, PageSize, hits);
    }

    private static string Contains(string text) => "%" + text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";

    /// <summary>Building-unit-room as digits: "2-2-201", "2-2-201室", full-width dashes once NFKC has run.</summary>
    [GeneratedRegex(@"^\s*\d+\s*[-－]\s*\d+\s*[-－]\s*\d+\s*(室|号)?\s*$")]
    private static partial Regex Shorthand();
}
