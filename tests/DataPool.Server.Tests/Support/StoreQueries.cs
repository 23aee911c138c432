using System.Data.Common;
using DataPool.Core.Access;
using DataPool.Core.Store;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Server.Tests;

/// <summary>Where a test's SQL runs: the audit log has a database of its own on SQLite (data/access-log.db).</summary>
public static class StoreQueries
{
    /// <summary>A connection to the audit log's database when the statement reads <c>dp_access_log</c>, else to the pool.</summary>
    public static Task<DbConnection> OpenAsync(IServiceProvider services, string sql) =>
        sql.Contains("dp_access_log", StringComparison.OrdinalIgnoreCase)
            ? services.GetRequiredService<AccessLog>().OpenAsync()
            : services.GetRequiredService<PoolDatabase>().OpenAsync();
}
