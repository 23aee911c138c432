using DataPool.Abstractions;
using DataPool.Core.Burden;
using DataPool.Core.Schema;
using DataPool.Core.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DataPool.Core.Forms;

public static class FormServiceCollectionExtensions
{
    /// <summary>
    /// The <c>form</c> connector kind (the community form's submissions as a source) with what it stands on: the
    /// legacy-form catalog, the unified form, its tables, prefill and save, correction requests, and the burden ledger.
    /// </summary>
    public static IServiceCollection AddFormConnector(this IServiceCollection services)
    {
        services.AddConnector<FormSubmissionConnector>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStoreInitializer, FormTables>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStoreInitializer, CorrectionTables>());
        services.TryAddSingleton(sp => LegacyFormCatalog.Load(sp.GetRequiredService<SchemaCatalog>().Root, sp.GetRequiredService<SchemaCatalog>()));
        services.TryAddSingleton<FieldLabels>();
        services.TryAddSingleton(sp => UnifiedForm.Load(sp.GetRequiredService<SchemaCatalog>().Root, sp.GetRequiredService<SchemaCatalog>(), sp.GetRequiredService<LegacyFormCatalog>()));
        services.TryAddSingleton<FormDefinitions>();
        services.TryAddSingleton<HouseholdFormReader>();
        services.TryAddSingleton<CommunityFormSource>();
        services.TryAddSingleton<CorrectionRequests>();
        services.TryAddSingleton<CorrectionSources>();
        services.TryAddSingleton<HouseholdForms>();
        services.TryAddSingleton(sp => Certificates.CertificateCatalog.Load(sp.GetRequiredService<SchemaCatalog>().Root));
        services.TryAddSingleton(new BurdenRates());
        services.TryAddSingleton<BurdenLedger>();
        return services;
    }
}
