using System.Data.Common;
using System.Globalization;
using DataPool.Core.Store;

namespace DataPool.Core.Certificates;

/// <summary>What a certificate prints, read from the golden records.</summary>
public static class CertificateData
{
    public const string Person = "person";
    public const string Resident = "resident";
    public const string Community = "community";

    private const string PersonColumns = "pool_id, name, id_number, gender, birth_date, ethnicity, address, household_no, relation_to_head, community_code";

    public static async Task<Dictionary<string, string?>?> PersonAsync(DbConnection connection, long poolId, CancellationToken cancellationToken) =>
        (await RowsAsync(connection, $"SELECT {PersonColumns} FROM {EntityTables.TableName(Person)} WHERE {EntityTables.PoolId} = @key AND {EntityTables.Deleted} = 0", poolId, cancellationToken)).FirstOrDefault();

    /// <summary>The household's members still living there (not marked moved out or dead by the community form).</summary>
    public static Task<List<Dictionary<string, string?>>> MembersAsync(DbConnection connection, string householdNo, CancellationToken cancellationToken) =>
        RowsAsync(connection,
            $"""
            SELECT {string.Join(", ", PersonColumns.Split(", ").Select(c => "p." + c))} FROM {EntityTables.TableName(Person)} p
            LEFT JOIN {EntityTables.TableName(Resident)} r ON r.id_number = p.id_number AND r.{EntityTables.Deleted} = 0
            WHERE p.household_no = @key AND p.{EntityTables.Deleted} = 0 AND (r.residence_status IS NULL OR r.residence_status NOT IN ('2', '3'))
            ORDER BY CASE WHEN p.relation_to_head IN ('01', '02') THEN 0 ELSE 1 END, p.pool_id
            """, householdNo, cancellationToken);

    public static async Task<Dictionary<string, string?>?> CommunityAsync(DbConnection connection, string? code, CancellationToken cancellationToken) =>
        code is null ? null : (await RowsAsync(connection, $"SELECT name, street_name, district_name, office_address, office_phone FROM {EntityTables.TableName(Community)} WHERE community_code = @key", code, cancellationToken)).FirstOrDefault();

    private static async Task<List<Dictionary<string, string?>>> RowsAsync(DbConnection connection, string sql, object key, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(sql, null, ("@key", key));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<Dictionary<string, string?>>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);
            }

            rows.Add(row);
        }

        return rows;
    }
}
