using System.Globalization;
using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using System.Text;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using DataPool.Server.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Server.Tests.Sources;

/// <summary>Definitions and calls shared by the source and quarantine API tests.</summary>
public static class ApiSources
{
    /// <summary><see cref="TestSource.Definition"/> under another id (its CSV path, persons.csv, resolves against the sources root).</summary>
    public static string Definition(string id = TestSource.Id, string? settings = null) =>
        TestSource.Definition.Replace("\"cli-hukou\"", $"\"{id}\"", StringComparison.Ordinal)
            .Replace("""{ "path": "persons.csv", "encoding": "GB18030", "headerRow": 2 }""", settings ?? """{ "path": "persons.csv", "encoding": "GB18030", "headerRow": 2 }""", StringComparison.Ordinal);

    /// <summary>Where definitions added through the API resolve their paths: <c>&lt;data&gt;/sources</c>.</summary>
    public static string Root(ServerHost server)
    {
        var root = Path.Combine(server.Folder, "sources");
        Directory.CreateDirectory(root);
        return root;
    }

    public static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Adds a definition through the API; fails the test unless it is created.</summary>
    public static async Task AddAsync(HttpClient admin, string json)
    {
        using var response = await admin.PostAsync("/api/sources", JsonBody(json));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    /// <summary>The values of a column of the server's pool, whichever the store (SQLite or PostgreSQL), ordered.</summary>
    public static async Task<List<string?>> ColumnAsync(ServerHost server, string table, string column)
    {
        await using var connection = await server.Services.GetRequiredService<PoolDatabase>().OpenAsync();
        await using var command = connection.Command($"SELECT {column} FROM {table} ORDER BY 1");
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string?>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.IsDBNull(0) ? null : Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture));
        }

        return values;
    }

    public static async Task<long> CountAsync(ServerHost server, string table)
    {
        await using var connection = await server.Services.GetRequiredService<PoolDatabase>().OpenAsync();
        return await connection.ScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
    }

    /// <summary>Polls the source's runs until one newer than run <paramref name="after"/> has finished (a queued sync starts later).</summary>
    public static async Task<RunSummary> WaitForRunAsync(HttpClient admin, string id, long after = 0, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var runs = await admin.GetFromJsonAsync<List<RunSummary>>($"/api/sources/{id}/runs");
            if (runs is [{ Status: not ("running" or "queued") } latest, ..] && latest.Id > after)
            {
                return latest;
            }

            Assert.That(DateTime.UtcNow, Is.LessThan(until), $"no finished run of {id}: {JsonSerializer.Serialize(runs)}");
            await Task.Delay(100);
        }
    }
}
