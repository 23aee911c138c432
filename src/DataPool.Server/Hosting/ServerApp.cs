using DataPool.Core;
using DataPool.Core.Store;
using DataPool.Server.Api;
using DataPool.Server.Burden;
using DataPool.Server.Certificates;
using DataPool.Server.FormRequests;
using DataPool.Server.Forms;
using DataPool.Server.Cli;
using DataPool.Server.Health;
using DataPool.Server.Identity;
using DataPool.Server.Matches;
using DataPool.Server.Pool;
using DataPool.Server.Quarantine;
using DataPool.Server.Reports;
using DataPool.Server.Runs;
using DataPool.Server.Scheduling;
using DataPool.Server.Sources;
using DataPool.Server.Verification;
using DataPool.Server.WebUi;

namespace DataPool.Server.Hosting;

/// <summary>The web host: the table of contents of the server.</summary>
public static class ServerApp
{
    public static WebApplication Build(StoreOptions store, string? schemas, string? urls, params string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (urls is not null)
        {
            builder.WebHost.UseUrls(urls);
        }

        // Also from a settings file or an argument, not only the environment the command line reads.
        store = store with { ReadTimeoutSeconds = CommonOptions.ReadTimeoutSeconds(builder.Configuration[CommonOptions.ReadTimeoutKey], store.ReadTimeoutSeconds) };
        builder.Services.AddDataPoolCore(store, schemas).AddConnectors();
        builder.AddApiPlatform();
        builder.AddPoolHealthChecks();
        builder.AddPoolIdentity();
        builder.AddSources();
        builder.AddScheduling();
        builder.AddPoolQuery();
        builder.AddMatches();
        builder.AddReports();
        builder.AddFormRequests();
        builder.AddCertificates();
        builder.AddRemainingCertificates();
        builder.AddBurden();
        builder.AddVerification();
        builder.AddWebUi();

        var app = builder.Build();
        app.UseApiPlatform();
        app.UseWebUi();
        app.UsePoolIdentity();
        app.MapHealthEndpoints().AllowAnonymous();
        app.MapIdentityEndpoints();
        app.MapUserEndpoints();
        app.MapApiReference();
        app.MapSourceEndpoints();
        app.MapRunEndpoints();
        app.MapQuarantineEndpoints();
        app.MapMatchEndpoints();
        app.MapPoolEndpoints();
        app.MapQueryEndpoints();
        app.MapAccessLogEndpoints();
        app.MapChangeFeedEndpoints();
        app.MapHouseholdEndpoints();
        app.MapReportEndpoints();
        app.MapFormEndpoints();
        app.MapCorrectionEndpoints();
        app.MapBurdenEndpoints();
        app.MapFormRequestEndpoints();
        app.MapCertificateEndpoints();
        app.MapRemainingCertificateEndpoints();
        app.MapVerifyEndpoints();
        app.MapSchedulingDashboard();
        app.MapWebUi();
        return app;
    }

    public static Task InitialiseAsync(WebApplication app, CancellationToken cancellationToken) =>
        app.Services.GetRequiredService<PoolDatabase>().InitialiseAsync(cancellationToken);
}
