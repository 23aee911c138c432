using DataPool.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Connectors.Csv;

public static class CsvConnectorServiceCollectionExtensions
{
    /// <summary>Registers the <c>csv</c> connector kind.</summary>
    public static IServiceCollection AddCsvConnector(this IServiceCollection services) => services.AddConnector<CsvConnector>();
}
