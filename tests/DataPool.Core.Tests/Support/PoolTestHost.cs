using System.Data.Common;
using System.Text;
using DataPool.Connectors.Csv;
using DataPool.Connectors.Excel;
using DataPool.Connectors.FixedWidth;
using DataPool.Connectors.Sql;
using DataPool.Core;
using DataPool.Core.Schema;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Core.Tests.Support;

/// <summary>A real pool in a temporary folder, with the real connectors, for pipeline tests.</summary>
public sealed class PoolTestHost : IAsyncDisposable
{
    static PoolTestHost() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private readonly string? _postgresDatabase;

    private PoolTestHost(string root, ServiceProvider services, string? postgresDatabase)
    {
        Root = root;
        Services = services;
        _postgresDatabase = postgresDatabase;
    }

    /// <summary>The stores every store-dependent test runs on.</summary>
    public static readonly string[] Stores = [StoreOptions.Sqlite, StoreOptions.Postgres];

    /// <summary>A folder of its own for source files and the pool.</summary>
    public string Root { get; }
    public ServiceProvider Services { get; }
    public PoolDatabase Database => Services.GetRequiredService<PoolDatabase>();

    /// <summary>The names of a table's columns, on either store.</summary>
    public async Task<List<string>> ColumnsAsync(string table)
    {
        await using var connection = await Database.OpenAsync();
        await using var command = connection.Command($"SELECT * FROM {table} WHERE 1 = 0");
        await using var reader = await command.ExecuteReaderAsync();
        return Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
    }

    /// <param name="configure">Services a test adds or replaces (e.g. a step that fails on purpose).</param>
    public static async Task<PoolTestHost> CreateAsync(string store = StoreOptions.Sqlite, string? schemasRoot = null, Action<IServiceCollection>? configure = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "datapool-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var database = store == StoreOptions.Postgres ? await DataPool.Testing.PostgresServer.CreateDatabaseAsync() : null;
        var options = new StoreOptions { Provider = store, Connection = database, DataDirectory = Path.Combine(root, "data") };
        var services = new ServiceCollection()
            .AddLogging()
            .AddDataPoolCore(options, schemasRoot ?? SchemaCatalog.Locate())
            .AddCsvConnector()
            .AddExcelConnector()
            .AddFixedWidthConnector()
            .AddSqlConnector();
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider();
        var host = new PoolTestHost(root, provider, database);
        await host.Database.InitialiseAsync();
        return host;
    }

    public string WriteFile(string name, string text, string encoding = "utf-8")
    {
        var path = Path.Combine(Root, name);
        File.WriteAllBytes(path, Encoding.GetEncoding(encoding).GetBytes(text));
        return path;
    }

    /// <param name="confirmDeletions">As an admin confirming a mass deletion (<c>sync --confirm-deletions</c>).</param>
    public async Task<SyncResult> SyncAsync(string definitionFile, bool confirmDeletions = false)
    {
        var source = Services.GetRequiredService<SourceDefinitionLoader>().Load(Path.Combine(Root, definitionFile));
        await Services.GetRequiredService<SourceRegistry>().UpsertAsync(source);
        return await Services.GetRequiredService<SyncRunner>().RunAsync(source.Definition.Id, "manual", null, confirmDeletions);
    }

    /// <summary>The store's plan for <paramref name="sql"/> (EXPLAIN, or SQLite's EXPLAIN QUERY PLAN), one line a row.</summary>
    public async Task<string> ExplainAsync(string sql) =>
        string.Join("\n", (await QueryAsync((Database.Dialect.IsPostgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + sql)).Select(row => string.Join(" ", row.Values)));

    public async Task<List<Dictionary<string, object?>>> QueryAsync(string sql, params (string, object?)[] parameters)
    {
        await using var connection = await OpenForAsync(sql);
        await using var command = connection.Command(sql, null, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, object?>();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public async Task<long> CountAsync(string sql, params (string, object?)[] parameters)
    {
        await using var connection = await OpenForAsync(sql);
        return await connection.ScalarAsync<long>(sql, null, default, parameters);
    }

    /// <summary>The audit log has a database of its own on SQLite (access-log.db): a statement reading it runs there.</summary>
    private Task<DbConnection> OpenForAsync(string sql) =>
        sql.Contains("dp_access_log", StringComparison.OrdinalIgnoreCase)
            ? Services.GetRequiredService<DataPool.Core.Access.AccessLog>().OpenAsync()
            : Database.OpenAsync();

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_postgresDatabase is not null)
        {
            await DataPool.Testing.PostgresServer.DropDatabaseAsync(_postgresDatabase);
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the OS is left for the temp cleaner.
        }
    }
}
