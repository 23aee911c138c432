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
        return services;
    }
}
