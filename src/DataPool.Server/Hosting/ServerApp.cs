using DataPool.Core;
using DataPool.Core.Store;
using DataPool.Server.Api;
using DataPool.Server.Cli;
using DataPool.Server.Health;
using DataPool.Server.Identity;
using DataPool.Server.Pool;
using DataPool.Server.Quarantine;
using DataPool.Server.Runs;
using DataPool.Server.Scheduling;
using DataPool.Server.Sources;

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

        builder.Services.AddDataPoolCore(store, schemas).AddConnectors();
        builder.AddApiPlatform();
        builder.AddPoolHealthChecks();
        builder.AddPoolIdentity();
        builder.AddSources();
        builder.AddScheduling();

        var app = builder.Build();
        app.UseApiPlatform();
        app.UsePoolIdentity();
        app.MapHealthEndpoints().AllowAnonymous();
        app.MapIdentityEndpoints();
        app.MapUserEndpoints();
        app.MapApiReference();
        app.MapSourceEndpoints();
        app.MapRunEndpoints();
        app.MapQuarantineEndpoints();
        app.MapPoolEndpoints();
        app.MapSchedulingDashboard();
        return app;
    }

    public static Task InitialiseAsync(WebApplication app, CancellationToken cancellationToken) =>
        app.Services.GetRequiredService<PoolDatabase>().InitialiseAsync(cancellationToken);
}
