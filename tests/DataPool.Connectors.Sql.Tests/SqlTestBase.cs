using System.Text.Json;
using System.Text.Json.Nodes;
using DataPool.Abstractions;
using Microsoft.Data.Sqlite;

namespace DataPool.Connectors.Sql.Tests;

/// <summary>A fresh temp folder per test, SQLite files in it, and contexts reading them.</summary>
public abstract class SqlTestBase
{
    protected string Folder { get; private set; } = "";

    [SetUp]
    public void CreateFolder()
    {
        Folder = Path.Combine(Path.GetTempPath(), "datapool-sql-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    [TearDown]
    public void DeleteFolder()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Creates (or adds to) a SQLite database in the test folder.</summary>
    protected async Task SqliteAsync(string file, params string[] statements)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(Folder, file)};Pooling=False");
        await connection.OpenAsync();
        foreach (var sql in statements)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }
    }

    protected ConnectorContext Context(JsonObject settings, string mode = StreamModes.Full, string? cursorColumn = null, string? cursor = null)
    {
        var source = new SourceDefinition { Id = "hr", Kind = "sql", Settings = JsonSerializer.SerializeToElement(settings) };
        var stream = new StreamDefinition { Name = "registrations", Entity = "employment", Mode = mode, Cursor = cursorColumn };
        return new ConnectorContext(source, stream, JsonSerializer.SerializeToElement(settings), Folder, cursor);
    }

    protected static JsonObject Settings(string provider, string connection, string? table = null, string? query = null)
    {
        var settings = new JsonObject { ["provider"] = provider, ["connection"] = connection };
        if (table is not null)
        {
            settings["table"] = table;
        }

        if (query is not null)
        {
            settings["query"] = query;
        }

        return settings;
    }

    protected static async Task<List<RawRow>> ReadAllAsync(ConnectorContext context, PoolStoreLocation? pool = null)
    {
        var rows = new List<RawRow>();
        await foreach (var row in new SqlConnector(pool).ReadAsync(context, CancellationToken.None))
        {
            rows.Add(row);
        }

        return rows;
    }
}
