using DataPool.Core.Schema;
using DataPool.Core.Store;

namespace DataPool.Core.Tests.Store;

/// <summary>SQLite's page cache is a setting (<c>DataPool__Store__SqliteCacheMegabytes</c>): a big first load wants more than the default.</summary>
public sealed class SqliteCacheTests
{
    [TestCase(StoreOptions.DefaultSqliteCacheMegabytes)]
    [TestCase(512)]
    public async Task Every_connection_gets_the_configured_page_cache(int megabytes)
    {
        var folder = Path.Combine(Path.GetTempPath(), "datapool-tests", Guid.NewGuid().ToString("N"));
        await using var database = new PoolDatabase(new StoreOptions { DataDirectory = folder, SqliteCacheMegabytes = megabytes }, SchemaCatalog.Load(SchemaCatalog.Locate()));
        await using var connection = await database.OpenAsync();

        Assert.That(await connection.ScalarAsync<long>("PRAGMA cache_size"), Is.EqualTo(-megabytes * 1024L), "negative: kibibytes, not pages");
    }
}
