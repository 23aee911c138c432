using DataPool.Core.Store;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.Sqlite;
using Microsoft.Net.Http.Headers;
using Npgsql;

namespace DataPool.Server.Api;

/// <summary>
/// The store was too busy to answer in time (SQLite busy or locked, a timeout, a PostgreSQL lock or statement
/// timeout): nothing is wrong with the request or the server, so answer 503 with Retry-After, never 500. The
/// message says only that the store is busy; the exception's text stays in the log.
/// </summary>
internal sealed class StoreBusyExceptionHandler(IProblemDetailsService problems, StoreOptions store) : IExceptionHandler
{
    private const int SqliteBusy = 5, SqliteLocked = 6;

    /// <summary>lock_not_available (lock_timeout) and query_canceled (statement_timeout).</summary>
    private static readonly HashSet<string> PostgresTimeouts = [PostgresErrorCodes.LockNotAvailable, PostgresErrorCodes.QueryCanceled];

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsBusy(exception) || httpContext.Response.HasStarted)
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers[HeaderNames.RetryAfter] = store.ReadTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The pool is busy",
                Detail = $"The store did not answer within {store.ReadTimeoutSeconds} s (a sync may be writing); try again after the time in Retry-After.",
            },
        });
    }

    /// <summary>Whether the exception, or one it wraps, says the store was busy or too slow.</summary>
    public static bool IsBusy(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var busy = e switch
            {
                TimeoutException => true,
                SqliteException lite => (lite.SqliteErrorCode & 0xff) is SqliteBusy or SqliteLocked,
                PostgresException pg => PostgresTimeouts.Contains(pg.SqlState),
                // Npgsql's own command timeout and an exhausted connection pool wrap a TimeoutException: the loop finds it.
                _ => false,
            };
            if (busy)
            {
                return true;
            }
        }

        return false;
    }
}
