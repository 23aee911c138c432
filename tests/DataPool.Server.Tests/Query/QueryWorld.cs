using System.Net.Http.Json;
using System.Text.Json;
using DataPool.Core.Store;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Server.Tests.Query;

/// <summary>
/// A small pool written straight into the entity tables of a running server: named residents in two communities
/// (with disability records and a resident whose name and address would run as formulas in a spreadsheet), and a
/// bulk community of generated residents for paging and export.
/// </summary>
public static class QueryWorld
{
    public const string CommunityA = ServerHost.Community;
    public const string CommunityB = "110101001002";
    public const string BulkCommunity = "110101001003";
    public const int BulkCount = 20_000;

    public const string ZhangId = "110101195703020015";
    public const string WangId = "110102195001010031";
    public const string FormulaName = "=HYPERLINK(\"http://x\",\"y\")";
    public const string FormulaAddress = "+1-2@东城区";

    /// <summary>(id number, name, gender, birth date, address, community, phone)</summary>
    public static readonly (string Id, string Name, string Gender, string Birth, string Address, string Community, string Phone)[] Named =
    [
        (ZhangId, "张三", "1", "1957-03-02", "东城区东华门街道1号", CommunityA, "13800138000"),
        ("110101196205010022", "李四", "2", "1962-05-01", "东城区东华门街道2号", CommunityA, "13800138001"),
        ("110101198001010041", FormulaName, "2", "1980-01-01", FormulaAddress, CommunityA, "-13800138002"),
        (WangId, "王五", "1", "1950-01-01", "西城区西长安街3号", CommunityB, "13900139000"),
        ("110102194012310013", "赵六", "1", "1940-12-31", "西城区西长安街4号", CommunityB, "13900139001"),
    ];

    public static async Task SeedAsync(ServerHost server)
    {
        var database = server.Services.GetRequiredService<PoolDatabase>();
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var p in Named)
        {
            await connection.ExecuteAsync(
                "INSERT INTO pool_person (id_number, name, gender, birth_date, address, community_code, phone) VALUES (@id, @name, @gender, @birth, @address, @community, @phone)",
                transaction, default, ("@id", p.Id), ("@name", p.Name), ("@gender", p.Gender), ("@birth", p.Birth), ("@address", p.Address), ("@community", p.Community), ("@phone", p.Phone));
        }

        await connection.ExecuteAsync(
            "INSERT INTO pool_disability (id_number, certificate_no, category, grade) VALUES (@a, @ac, '4', '2'), (@b, @bc, '1', '1')",
            transaction, default, ("@a", ZhangId), ("@ac", ZhangId + "42"), ("@b", WangId), ("@bc", WangId + "11"));

        // Generated residents: birth dates cycle over 1940-1999 (some left empty, to page across nulls), genders alternate.
        await connection.ExecuteAsync(
            """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @count)
            INSERT INTO pool_person (id_number, name, gender, birth_date, address, community_code)
            SELECT '9' || (100000000000000000 + i), '居民' || i, CASE WHEN i % 2 = 0 THEN '2' ELSE '1' END,
                   CASE WHEN i % 97 = 0 THEN NULL ELSE (1940 + i % 60) || '-0' || (1 + i % 9) || '-1' || (i % 10) END,
                   '朝阳区' || (i % 50) || '号', @community
            FROM n
            """,
            transaction, default, ("@count", (long)BulkCount), ("@community", BulkCommunity));
        await transaction.CommitAsync();
    }

    public static async Task<long> PoolIdAsync(ServerHost server, string entity, string idNumber)
    {
        var database = server.Services.GetRequiredService<PoolDatabase>();
        await using var connection = await database.OpenAsync();
        return await connection.ScalarAsync<long>($"SELECT pool_id FROM pool_{entity} WHERE id_number = @id", null, default, ("@id", idNumber));
    }

    public static async Task<long> CountAsync(ServerHost server, string sql, params (string, object?)[] parameters)
    {
        await using var connection = await StoreQueries.OpenAsync(server.Services, sql);
        return await connection.ScalarAsync<long>(sql, null, default, parameters);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        Assert.That(response.IsSuccessStatusCode, Is.True, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
