using DataPool.Core.Store;
using DataPool.Server.Api;
using DataPool.Server.Burden;
using DataPool.Server.Certificates;
using DataPool.Server.FormRequests;
using DataPool.Server.Forms;
using DataPool.Server.Health;
using DataPool.Server.Identity;
using DataPool.Server.Matching;
using DataPool.Server.Pool;
using DataPool.Server.Sync;
using DataPool.Server.Quality;
using DataPool.Server.Reports;
using DataPool.Server.Scheduling;
using DataPool.Server.Sources;
using DataPool.Server.Verification;
using DataPool.Server.WebUi;

namespace DataPool.Server.Hosting;

/// <summary>The web host: the table of contents of the server.</summary>
public static class ServerApp
{
    /// <summary>The host of a caller that holds its store options as an object (tests, benchmarks).</summary>
    public static WebApplication Build(StoreOptions store, string? schemas, string? urls, params string[] args) =>
        Build(store.ToSettings(schemas), urls, args);

    /// <summary>
    /// The host, configured by the usual sources (settings files, the environment, <paramref name="args"/>) with
    /// <paramref name="settings"/> over them: the command line's flags (<c>--data</c>, <c>--store</c>, …) as configuration.
    /// </summary>
    public static WebApplication Build(IReadOnlyDictionary<string, string?> settings, string? urls, params string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddInMemoryCollection(settings);
        if (urls is not null)
        {
            builder.WebHost.UseUrls(urls);
        }

        builder.Services.AddDataPool(builder.Configuration);

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
        app.MapQualityEndpoints();
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
