using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace DataPool.Server.Api;

/// <summary>
/// A request the server could not read (malformed JSON, a body over the size limit, a missing required
/// body) is the caller's mistake, not a server error: answer with its own status (400, 413, 415) and
/// the reason, instead of a 500.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is too large" : "The request could not be read",
                // The messages name the parameter and the JSON problem; they never echo the body.
                Detail = bad.InnerException is { } inner and not BadHttpRequestException ? $"{bad.Message} {inner.Message}" : bad.Message,
            },
        });
    }
}
