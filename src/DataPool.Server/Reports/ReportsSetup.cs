using DataPool.Core.Reports;
using DataPool.Server.Scheduling;

namespace DataPool.Server.Reports;

/// <summary>The required reports in the host: definitions, generator, the Hangfire job and the recurring schedules.</summary>
public static class ReportsSetup
{
    public static IServiceCollection AddReports(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddDataPoolReports();
        services.AddTransient<ReportJob>();
        services.AddSingleton<IRecurringJobSet, ReportSchedules>();
        // Run now from the API: generated in the background on this node, stopped with it.
        services.AddSingleton<ReportRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<ReportRunner>());
        return services;
    }
}
