using DataPool.Core.Schema;
using DataPool.Core.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DataPool.Core.Reports;

public static class ReportServiceCollectionExtensions
{
    /// <summary>The report definitions (schemas/reports), their tables, the archive and the generator.</summary>
    public static IServiceCollection AddDataPoolReports(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStoreInitializer, ReportTables>());
        services.TryAddSingleton(sp => ReportCatalog.Load(sp.GetRequiredService<SchemaCatalog>()));
        services.TryAddSingleton<ReportArchive>();
        services.TryAddSingleton<ReportGenerator>();
        return services;
    }
}
