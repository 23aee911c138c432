using DataPool.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DataPool.Connectors.Rest;

public static class RestConnectorServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <c>rest</c> connector kind and its named <see cref="HttpClient"/>: a resilience pipeline
    /// (total timeout, retries with exponential backoff and jitter honouring Retry-After, a client-side rate
    /// limit, a per-attempt timeout) whose numbers come from each source's settings. The client logs nothing
    /// (no URL, no header) and follows no redirect.
    /// </summary>
    public static IServiceCollection AddRestConnector(this IServiceCollection services)
    {
        var client = services.AddHttpClient(RestConnector.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                AutomaticDecompression = System.Net.DecompressionMethods.All,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectTimeout = TimeSpan.FromSeconds(15),
            })
            .RemoveAllLoggers();

        // Handlers added later sit inside: the pipeline around, the attempt handler once per attempt.
        client.AddResilienceHandler("rest", RestResilience.Configure);
        client.AddHttpMessageHandler(() => new RestAttemptHandler());

        // Polly reports every retry as a warning; the run's own record says what failed, connectors never log.
        services.Configure<LoggerFilterOptions>(o => o.AddFilter("Polly", LogLevel.Error));
        return services.AddConnector<RestConnector>();
    }
}
