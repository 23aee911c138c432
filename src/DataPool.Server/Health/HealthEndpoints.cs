using DataPool.Core.Store;
using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DataPool.Server.Health;

public static class HealthEndpoints
{
    public static IServiceCollection AddPoolHealthChecks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store").AddCheck<SchedulerHealthCheck>("scheduler");
        return services;
    }

    /// <summary><c>/health</c>: open to anyone (load balancers), reveals only healthy or not.</summary>
    public static IEndpointConventionBuilder MapHealthEndpoints(this WebApplication app) =>
        app.MapHealthChecks("/health").WithTags("Health");
}

internal sealed class StoreHealthCheck(PoolDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await SourceRegistry.CountAsync(database, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("the pool store does not answer", e);
        }
    }
}

/// <summary>The scheduler's storage answers (its own SQLite file, or the hangfire schema on PostgreSQL).</summary>
internal sealed class SchedulerHealthCheck(JobStorage storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var connection = storage.GetConnection();
            connection.GetAllItemsFromSet("recurring-jobs");
            return Task.FromResult(HealthCheckResult.Healthy());
        }
        catch (Exception e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("the scheduler's storage does not answer", e));
        }
    }
}
