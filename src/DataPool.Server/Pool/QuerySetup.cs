using DataPool.Core.Query;

namespace DataPool.Server.Pool;

public static class QuerySetup
{
    /// <summary>The query API's reader (grants, masking, scoping and audit come from <c>AddPoolAccess</c> in the core).</summary>
    public static WebApplicationBuilder AddPoolQuery(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PoolReader>();
        return builder;
    }
}
