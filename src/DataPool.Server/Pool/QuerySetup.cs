using DataPool.Core.Query;

namespace DataPool.Server.Pool;

public static class QuerySetup
{
    /// <summary>The query API's reader (grants, masking, scoping and audit come from <c>AddPoolAccess</c> in the core).</summary>
    public static IServiceCollection AddPoolQuery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<PoolReader>();
        return services;
    }
}
