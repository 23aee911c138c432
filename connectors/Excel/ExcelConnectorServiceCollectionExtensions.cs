using DataPool.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Connectors.Excel;

public static class ExcelConnectorServiceCollectionExtensions
{
    /// <summary>Registers the <c>excel</c> connector kind.</summary>
    public static IServiceCollection AddExcelConnector(this IServiceCollection services) =>
        services.AddConnector<ExcelConnector>();
}
