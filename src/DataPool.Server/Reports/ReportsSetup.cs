using DataPool.Core.Reports;

namespace DataPool.Server.Reports;

/// <summary>The required reports in the host: definitions, generator, the Hangfire job and the recurring schedules.</summary>
public static class ReportsSetup
{
    public static IServiceCollection AddReports(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddDataPoolReports();
        services.AddTransient<ReportJob>();
        services.AddSingleton<ReportSchedules>();
        services.AddHostedService(sp => sp.GetRequiredService<ReportSchedules>());
        return services;
    }
}
