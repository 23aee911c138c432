using System.Text.Json;
using DataPool.Abstractions;

namespace DataPool.Connectors.Rest;

/// <summary>
/// The <c>settings</c> of a <c>rest</c> source (contract: see DESIGN.md and this project's README). A stream's
/// own settings are merged over the source's by the pipeline, so <c>path</c>, <c>recordsPath</c> and
/// <c>pagination</c> usually sit on the stream and <c>baseUrl</c>, <c>headers</c> and <c>rateLimit</c> on the source.
/// </summary>
public sealed record RestSettings
{
    /// <summary>http or https; no credentials in it (put them in <see cref="Headers"/>).</summary>
    public string BaseUrl { get; init; } = "";

    /// <summary>Sent with every request. Values are secrets: never logged, never in a message.</summary>
    public Dictionary<string, string>? Headers { get; init; }

    /// <summary>The stream's path under <see cref="BaseUrl"/>, may carry a query string.</summary>
    public string Path { get; init; } = "";

    /// <summary>Extra query parameters sent with every request of the stream.</summary>
    public Dictionary<string, string>? Query { get; init; }

    /// <summary>A simple JSONPath to the array of records in a response: <c>$</c>, <c>$.data</c>, <c>$.result.items</c>.</summary>
    public string RecordsPath { get; init; } = "$";

    /// <summary>How to get the next page; none: one request.</summary>
    public RestPagination? Pagination { get; init; }

    /// <summary>Client-side rate limit, counted on every attempt (retries included).</summary>
    public RestRateLimit? RateLimit { get; init; }

    /// <summary>Retries of 5xx, 408, 429 and timeouts.</summary>
    public RestRetry? Retry { get; init; }

    /// <summary>Per attempt: response headers and body.</summary>
    public double TimeoutSeconds { get; init; } = 30;

    /// <summary>One page's request, every attempt and wait included.</summary>
    public double TotalTimeoutSeconds { get; init; } = 300;

    /// <summary>For an incremental stream: the query parameter that carries the last checkpointed cursor.</summary>
    public string? SinceParam { get; init; }

    /// <summary>A full stream that returns no record fails the run unless this is true (an empty answer would delete every record).</summary>
    public bool AllowEmpty { get; init; }

    /// <summary>One page's body (after decompression); a larger page fails the run before more of it is buffered.</summary>
    public long MaxPageBytes { get; init; } = RestOptions.DefaultMaxPageBytes;

    /// <summary>Pages per stream; an API that never stops paging fails the run instead of being read forever.</summary>
    public int MaxPages { get; init; } = RestOptions.DefaultMaxPages;
}

/// <summary><c>{style: page|offset|cursor|link, …}</c>.</summary>
public sealed record RestPagination
{
    public string Style { get; init; } = "";
    public string PageParam { get; init; } = "page";
    public string SizeParam { get; init; } = "size";
    public int Size { get; init; } = 100;
    public int FirstPage { get; init; } = 1;
    public string OffsetParam { get; init; } = "offset";
    public string LimitParam { get; init; } = "limit";
    public int Limit { get; init; } = 100;
    public string CursorParam { get; init; } = "cursor";
    public string? CursorPath { get; init; }
    public string? NextPath { get; init; }

    /// <summary>Where the first page says how many pages there are (e.g. <c>$.totalPages</c>): a run then shows a percentage.</summary>
    public string? TotalPagesPath { get; init; }

    /// <summary>Where the first page says how many records there are (e.g. <c>$.total</c>): a run then shows a percentage.</summary>
    public string? TotalPath { get; init; }
}

public sealed record RestRateLimit
{
    /// <summary>Requests per second (fractions allowed: 0.5 = one request every two seconds).</summary>
    public double PerSecond { get; init; }
}

public sealed record RestRetry
{
    /// <summary>Attempts in all, the first included (1 = no retry).</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>The first retry's delay; doubled each retry, with jitter.</summary>
    public double BaseDelayMs { get; init; } = 1000;

    /// <summary>Cap of one delay, Retry-After included.</summary>
    public double MaxDelaySeconds { get; init; } = 30;
}

public static class PaginationStyles
{
    public const string Page = "page";
    public const string Offset = "offset";
    public const string Cursor = "cursor";
    public const string Link = "link";
}

/// <summary>The settings checked and turned into what the reader needs.</summary>
internal sealed record RestOptions(
    Uri BaseUri,
    string BaseUrl,
    string Path,
    string Display,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    IReadOnlyList<KeyValuePair<string, string>> Query,
    JsonRecordPath Records,
    RestPagination? Pagination,
    JsonRecordPath? CursorPath,
    JsonRecordPath? NextPath,
    RestCallSettings Call,
    double? PerSecond,
    string? SinceParam,
    bool AllowEmpty,
    int MaxPages)
{
    /// <summary>Where the first page states the total, if the settings say, and in what.</summary>
    public (JsonRecordPath Path, ProgressUnit Unit)? TotalAt { get; init; }

    public const int MaxAttemptsCap = 10;

    public const long DefaultMaxPageBytes = 64L * 1024 * 1024;

    /// <summary>A page is held in one array: the cap keeps it addressable (and a setting of gigabytes is a mistake).</summary>
    public const long MaxPageBytesCap = 1024L * 1024 * 1024;

    public const int DefaultMaxPages = 100_000;

    public static RestOptions From(ConnectorContext context)
    {
        RestSettings s;
        try
        {
            s = context.Bind<RestSettings>();
        }
        catch (JsonException ex)
        {
            throw new ConnectorException($"settings: {ex.Message}", ex);
        }

        if (string.IsNullOrWhiteSpace(s.BaseUrl) || !Uri.TryCreate(s.BaseUrl.Trim(), UriKind.Absolute, out var baseUri))
        {
            throw new ConnectorException("settings.baseUrl: an absolute http or https URL is required");
        }

        if (baseUri.Scheme != Uri.UriSchemeHttp && baseUri.Scheme != Uri.UriSchemeHttps)
        {
            throw new ConnectorException($"settings.baseUrl: the scheme '{baseUri.Scheme}' is not allowed; only http and https");
        }

        if (!string.IsNullOrEmpty(baseUri.UserInfo))
        {
            throw new ConnectorException("settings.baseUrl: credentials in the URL are not allowed; send them in settings.headers");
        }

        if (!string.IsNullOrEmpty(baseUri.Query) || !string.IsNullOrEmpty(baseUri.Fragment))
        {
            throw new ConnectorException("settings.baseUrl: no query or fragment here; put query parameters in settings.path or settings.query");
        }

        var path = (s.Path ?? "").Trim();
        if (path.Contains("://", StringComparison.Ordinal) || path.StartsWith("//", StringComparison.Ordinal))
        {
            throw new ConnectorException("settings.path: a path under settings.baseUrl is expected, not a URL");
        }

        var baseUrl = baseUri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        path = path.Length == 0 ? "" : "/" + path.TrimStart('/');
        var queryStart = path.IndexOf('?', StringComparison.Ordinal);
        var display = baseUrl + (queryStart >= 0 ? path[..queryStart] : path);

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in s.Headers ?? [])
        {
            if (string.IsNullOrWhiteSpace(name) || name.Any(c => c <= ' ' || c >= 127 || c == ':'))
            {
                throw new ConnectorException($"settings.headers: '{name}' is not a header name");
            }

            if (value is null || value.Contains('\r', StringComparison.Ordinal) || value.Contains('\n', StringComparison.Ordinal))
            {
                // The value is a secret: name the header only.
                throw new ConnectorException($"settings.headers.{name}: the value is empty or has a line break");
            }

            headers.Add(new(name, value));
        }

        var records = JsonRecordPath.Parse(s.RecordsPath, "settings.recordsPath");
        var p = s.Pagination;
        JsonRecordPath? cursorPath = null, nextPath = null;
        if (p is not null)
        {
            switch (p.Style?.Trim().ToLowerInvariant())
            {
                case PaginationStyles.Page:
                    RequireParam(p.PageParam, "pageParam");
                    RequireParam(p.SizeParam, "sizeParam");
                    if (p.Size < 1)
                    {
                        throw new ConnectorException($"settings.pagination.size: {p.Size} must be at least 1");
                    }

                    break;
                case PaginationStyles.Offset:
                    RequireParam(p.OffsetParam, "offsetParam");
                    RequireParam(p.LimitParam, "limitParam");
                    if (p.Limit < 1)
                    {
                        throw new ConnectorException($"settings.pagination.limit: {p.Limit} must be at least 1");
                    }

                    break;
                case PaginationStyles.Cursor:
                    RequireParam(p.CursorParam, "cursorParam");
                    cursorPath = JsonRecordPath.Parse(p.CursorPath, "settings.pagination.cursorPath", required: true);
                    break;
                case PaginationStyles.Link:
                    nextPath = string.IsNullOrWhiteSpace(p.NextPath) ? null : JsonRecordPath.Parse(p.NextPath, "settings.pagination.nextPath");
                    break;
                default:
                    throw new ConnectorException($"settings.pagination.style: '{p.Style}' is not a style; use page, offset, cursor or link");
            }

            p = p with { Style = p.Style!.Trim().ToLowerInvariant() };
        }

        var retry = s.Retry ?? new RestRetry();
        if (retry.MaxAttempts < 1 || retry.MaxAttempts > MaxAttemptsCap)
        {
            throw new ConnectorException($"settings.retry.maxAttempts: {retry.MaxAttempts} must be 1 to {MaxAttemptsCap}");
        }

        if (retry.BaseDelayMs < 0 || retry.MaxDelaySeconds <= 0)
        {
            throw new ConnectorException("settings.retry: baseDelayMs must be 0 or more and maxDelaySeconds more than 0");
        }

        if (s.TimeoutSeconds <= 0 || s.TotalTimeoutSeconds <= 0)
        {
            throw new ConnectorException("settings.timeoutSeconds and settings.totalTimeoutSeconds must be more than 0");
        }

        if (s.MaxPageBytes < 1 || s.MaxPageBytes > MaxPageBytesCap)
        {
            throw new ConnectorException($"settings.maxPageBytes: {s.MaxPageBytes} must be 1 to {MaxPageBytesCap}");
        }

        if (s.MaxPages < 1)
        {
            throw new ConnectorException($"settings.maxPages: {s.MaxPages} must be at least 1");
        }

        double? perSecond = null;
        if (s.RateLimit is { } limit)
        {
            if (!(limit.PerSecond > 0) || limit.PerSecond > 10_000)
            {
                throw new ConnectorException($"settings.rateLimit.perSecond: {limit.PerSecond} must be more than 0 (and at most 10000)");
            }

            perSecond = limit.PerSecond;
        }

        var call = new RestCallSettings(
            retry.MaxAttempts,
            TimeSpan.FromMilliseconds(retry.BaseDelayMs),
            TimeSpan.FromSeconds(retry.MaxDelaySeconds),
            TimeSpan.FromSeconds(s.TimeoutSeconds),
            TimeSpan.FromSeconds(s.TotalTimeoutSeconds),
            s.MaxPageBytes);

        return new RestOptions(
            baseUri, baseUrl, path, display, headers, (s.Query ?? []).ToList(), records, p, cursorPath, nextPath, call, perSecond,
            string.IsNullOrWhiteSpace(s.SinceParam) ? null : s.SinceParam.Trim(), s.AllowEmpty, s.MaxPages)
        {
            TotalAt = p switch
            {
                { TotalPagesPath: { Length: > 0 } pages } => (JsonRecordPath.Parse(pages, "settings.pagination.totalPagesPath"), ProgressUnit.Pages),
                { TotalPath: { Length: > 0 } total } => (JsonRecordPath.Parse(total, "settings.pagination.totalPath"), ProgressUnit.Rows),
                _ => null,
            },
        };
    }

    private static void RequireParam(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ConnectorException($"settings.pagination.{name}: a query parameter name is required");
        }
    }
}

/// <summary>What the resilience pipeline needs to know about one source's requests.</summary>
internal sealed record RestCallSettings(int MaxAttempts, TimeSpan BaseDelay, TimeSpan MaxDelay, TimeSpan AttemptTimeout, TimeSpan TotalTimeout, long MaxPageBytes);
