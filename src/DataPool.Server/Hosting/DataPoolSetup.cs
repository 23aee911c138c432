using DataPool.Connectors.Csv;
using DataPool.Connectors.Excel;
using DataPool.Connectors.FixedWidth;
using DataPool.Connectors.Rest;
using DataPool.Connectors.Sql;
using DataPool.Core;
using DataPool.Core.Forms;
using DataPool.Server.Api;
using DataPool.Server.Burden;
using DataPool.Server.Certificates;
using DataPool.Server.FormRequests;
using DataPool.Server.Health;
using DataPool.Server.Identity;
using DataPool.Server.Pool;
using DataPool.Server.Quality;
using DataPool.Server.Reports;
using DataPool.Server.Scheduling;
using DataPool.Server.Sources;
using DataPool.Server.Verification;
using DataPool.Server.WebUi;

namespace DataPool.Server.Hosting;

/// <summary>The one composition root: the server, every command-line verb and the test hosts register the same services.</summary>
public static class DataPoolSetup
{
    /// <summary>
    /// Every service of DataPool, configured from <paramref name="configuration"/>: the server's (settings files, the
    /// environment, arguments) or the command line's (its flags over the environment). Each feature registers only
    /// its own services; options are validated when the host starts (<c>ValidateOnStart</c>).
    /// </summary>
    public static IServiceCollection AddDataPool(this IServiceCollection services, IConfiguration configuration) =>
        services
            .AddDataPoolCore(configuration)
            .AddConnectors()
            .AddApiPlatform(configuration)
            .AddPoolHealthChecks(configuration)
            .AddPoolIdentity(configuration)
            .AddSources(configuration)
            .AddScheduling(configuration)
            .AddPoolQuery(configuration)
            .AddReports(configuration)
            .AddQuality(configuration)
            .AddFormRequests(configuration)
            .AddCertificates(configuration)
            .AddRemainingCertificates(configuration)
            .AddBurden(configuration)
            .AddVerification(configuration)
            .AddWebUi(configuration);

    /// <summary>The connector kinds a source definition may name.</summary>
    public static IServiceCollection AddConnectors(this IServiceCollection services) =>
        services.AddCsvConnector().AddExcelConnector().AddSqlConnector().AddRestConnector().AddFixedWidthConnector().AddFormConnector();
}
