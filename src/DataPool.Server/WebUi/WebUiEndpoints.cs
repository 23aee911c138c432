using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace DataPool.Server.WebUi;

/// <summary>
/// Where the web UI's files are: <c>DataPool:WebRoot</c> (environment <c>DataPool__WebRoot</c>), which must be a folder
/// when set; unset, the <c>wwwroot</c> shipped next to the program.
/// </summary>
public sealed class WebUiOptions
{
    /// <summary>The section <see cref="WebRoot"/> is a key of (a key of DataPool itself, as it always was).</summary>
    public const string Section = "DataPool";

    public string? WebRoot { get; set; }

    /// <summary>The folder the files are served from.</summary>
    public string Root => Path.GetFullPath(WebRoot is { Length: > 0 } root ? root : Path.Combine(AppContext.BaseDirectory, "wwwroot"));
}

/// <summary>
/// The web UI: a static single page (wwwroot: index.html, JS modules, CSS, i18n files) served to anyone — it holds
/// no data; every value it shows comes from the API, which stays protected by its own policies. No CDN: district
/// intranets are offline, so everything the page loads is served from here, and the CSP forbids anything else.
/// </summary>
public static class WebUiEndpoints
{
    /// <summary>Only this origin's scripts, styles, images and API; no inline script, no framing.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IServiceCollection AddWebUi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebUiOptions>().BindConfiguration(WebUiOptions.Section)
            .Validate(o => o.WebRoot is not { Length: > 0 } root || Directory.Exists(root),
                $"{WebUiOptions.Section}:WebRoot must name an existing folder of the web UI's files (or be left unset for the shipped one)")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<WebUiOptions>>().Value);
        return services;
    }

    /// <summary>
    /// The static files, answered before routing and authorization: the page must load for a stranger so they can
    /// sign in. Routing is placed explicitly after them, which is where the rest of the pipeline expects it.
    /// </summary>
    public static WebApplication UseWebUi(this WebApplication app)
    {
        var files = Files(app);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = context => Harden(context.Context.Response),
        });
        app.UseRouting();
        return app;
    }

    /// <summary>
    /// The page's own client routes (history API): a reload on one of them answers the page again. Only these, so any
    /// other unknown path keeps its 401/404 — the shell never widens what is open beyond the page itself.
    /// </summary>
    public static readonly string[] ClientRoutes =
    [
        "/login", "/dashboard", "/households/{**path}",
        "/sources", "/sources/{**path}", "/runs/{**path}", "/quarantine", "/matches", "/reports", "/query", "/quality",
    ];

    public static RouteGroupBuilder MapWebUi(this WebApplication app)
    {
        var files = Files(app);
        var group = app.MapGroup("").AllowAnonymous().ExcludeFromDescription();
        foreach (var route in ClientRoutes)
        {
            group.MapMethods(route, [HttpMethods.Get, HttpMethods.Head], (HttpContext context) =>
            {
                var index = files.GetFileInfo("index.html");
                if (!index.Exists)
                {
                    return Results.NotFound();
                }

                Harden(context.Response);
                return Results.File(index.PhysicalPath!, "text/html; charset=utf-8");
            });
        }

        return group;
    }

    private static IFileProvider Files(WebApplication app)
    {
        var root = app.Services.GetRequiredService<WebUiOptions>().Root;
        return Directory.Exists(root) ? new PhysicalFileProvider(root) : new NullFileProvider();
    }

    /// <summary>Revalidate every time (the files carry no version in their names), and the page's security headers.</summary>
    private static void Harden(HttpResponse response)
    {
        response.Headers.CacheControl = "no-cache";
        response.Headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }
}
