using DataPool.Core.Reports;

namespace DataPool.Server.Reports;

/// <summary>The required reports in the host: definitions, generator, the Hangfire job and the recurring schedules.</summary>
public static class ReportsSetup
{
    public static WebApplicationBuilder AddReports(this WebApplicationBuilder builder)
    {
        builder.Services.AddDataPoolReports();
        builder.Services.AddTransient<ReportJob>();
        builder.Services.AddSingleton<ReportSchedules>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReportSchedules>());
        builder.Services.AddSingleton<ReportRunner>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReportRunner>());
        return builder;
    }
}
