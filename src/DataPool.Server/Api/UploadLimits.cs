using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataPool.Server.Api;

/// <summary>The body limit of an upload route, below or beside the server-wide one.</summary>
public static class UploadLimits
{
    /// <summary>
    /// A declared length over <paramref name="maxBytes"/> is refused before anything is read (the 413 returned), and
    /// Kestrel stops an undeclared (chunked) body at it (a 413 ProblemDetails through the exception handler).
    /// </summary>
    public static ProblemHttpResult? Apply(HttpContext http, long maxBytes, string title, string detail)
    {
        if (http.Request.ContentLength > maxBytes)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: title, detail: detail);
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        return null;
    }
}
