using DataPool.Core;
using DataPool.Core.Store;
using DataPool.Server.Cli;
using DataPool.Server.Health;

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
        builder.Services.AddProblemDetails();
        builder.AddPoolHealthChecks();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapHealthEndpoints();
        return app;
    }

    public static Task InitialiseAsync(WebApplication app, CancellationToken cancellationToken) =>
        app.Services.GetRequiredService<PoolDatabase>().InitialiseAsync(cancellationToken);
}
