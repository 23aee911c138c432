using System.Text.Encodings.Web;
using System.Text.Unicode;
using DataPool.Server.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace DataPool.Server.Api;

/// <summary>
/// What every API route shares: errors as ProblemDetails (RFC 9457), request size limits, JSON settings,
/// the OpenAPI document (/openapi/v1.json) and the Scalar reference page (/scalar).
/// </summary>
public static class ApiPlatform
{
    /// <summary>Kestrel's limit for any request body. Nothing the API takes is large; uploads go through sources' own files.</summary>
    public const long MaxRequestBodyBytes = 10 * 1024 * 1024;

    /// <summary>The limit for JSON bodies (source definitions, corrections): a definition is a few kilobytes.</summary>
    public const long MaxJsonBodyBytes = 1024 * 1024;

    /// <summary>Deep enough for any definition; a deeper body is an attack or a mistake, refused before it costs anything.</summary>
    public const int MaxJsonDepth = 32;

    public const string ApiKeyScheme = "ApiKey";

    public static IServiceCollection AddApiPlatform(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddExceptionHandler<StoreBusyExceptionHandler>();
        // A body that does not bind (bad JSON, too large) throws, so BadRequestExceptionHandler can say why
        // in a ProblemDetails instead of an empty 400.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(options =>
        {
            // Names and addresses are Chinese: keep them readable; HTML-significant characters stay escaped.
            options.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);
            options.SerializerOptions.MaxDepth = MaxJsonDepth;
        });
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "DataPool";
            document.Info.Description = "One community data pool fed by the departments' legacy systems. "
                + "Programs authenticate with the header X-Api-Key; every error is a ProblemDetails.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "X-Api-Key",
                Description = "An API key (datapool keys create --user NAME)",
            };
            return Task.CompletedTask;
        }));
        return services;
    }

    /// <summary>Turns unhandled exceptions and bodiless error statuses (404 of an unknown route, 401, 403, 413) into ProblemDetails.</summary>
    public static WebApplication UseApiPlatform(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>
    /// /openapi/v1.json and /scalar. Both need a signed-in user (any role): the document describes every
    /// route, which is no secret from colleagues but is from the internet.
    /// </summary>
    public static WebApplication MapApiReference(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").RequireAuthorization(Policies.Authenticated);
        app.MapScalarApiReference("/scalar", options => options
                .WithTitle("DataPool API")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .AddPreferredSecuritySchemes([ApiKeyScheme]))
            .RequireAuthorization(Policies.Authenticated);
        return app;
    }

    /// <summary>In the OpenAPI document: an admin route answers 401 to strangers and 403 to other roles, as ProblemDetails.</summary>
    public static TBuilder ProducesAdminProblems<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);

    /// <summary>The size limit for routes that take JSON bodies, checked before a byte is read past it (413 otherwise).</summary>
    public static TBuilder WithJsonBodyLimit<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequestSizeLimitAttribute(MaxJsonBodyBytes));
}
