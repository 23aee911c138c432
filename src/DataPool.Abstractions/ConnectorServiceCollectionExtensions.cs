using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Abstractions;

public static class ConnectorServiceCollectionExtensions
{
    /// <summary>Registers a connector kind; the pipeline finds it by <see cref="IConnector.Kind"/>.</summary>
    public static IServiceCollection AddConnector<TConnector>(this IServiceCollection services)
        where TConnector : class, IConnector
    {
        services.AddSingleton<IConnector, TConnector>();
        return services;
    }
}
