using DataPool.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Connectors.FixedWidth;

public static class FixedWidthConnectorServiceCollectionExtensions
{
    /// <summary>Registers the <c>fixedwidth</c> connector kind.</summary>
    public static IServiceCollection AddFixedWidthConnector(this IServiceCollection services) => services.AddConnector<FixedWidthConnector>();
}
