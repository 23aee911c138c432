using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using DataPool.Abstractions;
using Polly.Timeout;

namespace DataPool.Connectors.Rest;

/// <summary>
/// The <c>rest</c> connector kind: pages through a JSON REST API and streams every record as a row, one page in
/// memory at a time. See README.md for the settings, pagination styles, columns, retries and rate limit.
/// </summary>
public sealed class RestConnector(IHttpClientFactory clients) : IConnector, IDisposable
{
    /// <summary>The named <see cref="HttpClient"/> with the resilience pipeline (see <c>AddRestConnector</c>).</summary>
    public const string HttpClientName = "DataPool.Connectors.Rest";

    private readonly RestRateLimits _limits = new();

    public string Kind => "rest";

    public async IAsyncEnumerable<RawRow> ReadAsync(
        ConnectorContext context,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = RestOptions.From(context);
        var client = clients.CreateClient(HttpClientName);
        var limiter = options.PerSecond is { } perSecond ? _limits.For($"{context.Source.Id}|{options.BaseUri.Authority}", perSecond) : null;
        var expected = ExpectedColumns(context.Stream);
        var flattener = new RecordFlattener(expected);
        var pager = new RestPager(options, context);

        long number = 0;
        var page = 0;
        var url = pager.First();
        while (url is not null)
        {
            page++;
            var (document, link) = await FetchAsync(client, options, url, limiter, page, cancellationToken);
            using (document)
            {
                var records = Records(document.RootElement, options, page);
                var count = records.GetArrayLength();
                url = pager.Next(document.RootElement, link, count, url, page);
                var index = 0;
                foreach (var record in records.EnumerateArray())
                {
                    index++;
                    number++;
                    var location = $"{options.Path} page {page} record {index}";
                    if (record.ValueKind != JsonValueKind.Object)
                    {
                        yield return new RawRow(flattener.Header, new string?[flattener.Header.Columns.Count], number, location,
                            $"record {index} of page {page} is {Describe(record.ValueKind)}, not an object");
                        continue;
                    }

                    var values = flattener.Flatten(record);
                    yield return new RawRow(flattener.Header, values, number, location);
                }
            }
        }

        if (number == 0 && context.Stream.Mode == StreamModes.Full && !options.AllowEmpty)
        {
            // An empty answer must not look like "every record was deleted" to a full sync.
            throw new ConnectorException($"GET {options.Display}: no records at {options.Records} — a full stream refuses an empty answer (set settings.allowEmpty to accept it)");
        }

        if (number > 0)
        {
            var never = expected.Where(c => !flattener.Seen.Contains(c)).ToList();
            if (never.Count > 0)
            {
                var seen = string.Join(", ", flattener.Seen.Take(30));
                throw new ConnectorException(
                    $"GET {options.Display}: no record has {string.Join(", ", never.Select(c => $"'{c}'"))} (mapped by stream '{context.Stream.Name}'); the records have: {seen}");
            }
        }
    }

    public void Dispose() => _limits.Dispose();

    /// <summary>The columns the stream maps (and its key and cursor) are in every header, so a record without them is a row with empty values.</summary>
    private static List<string> ExpectedColumns(StreamDefinition stream) =>
        stream.Key
            .Concat(stream.Fields.Values.SelectMany(f => f.From))
            .Concat(stream.Cursor is null ? [] : [stream.Cursor])
            .Where(c => !string.IsNullOrWhiteSpace(c))
            .Distinct(StringComparer.Ordinal)
            .ToList();

    private static JsonElement Records(JsonElement root, RestOptions options, int page)
    {
        if (!options.Records.TryEvaluate(root, out var records) || records.ValueKind == JsonValueKind.Null)
        {
            throw new ConnectorException($"GET {options.Display} page {page}: the answer has nothing at {options.Records} (settings.recordsPath)");
        }

        if (records.ValueKind != JsonValueKind.Array)
        {
            throw new ConnectorException($"GET {options.Display} page {page}: {options.Records} is {Describe(records.ValueKind)}, not an array of records (settings.recordsPath)");
        }

        return records;
    }

    private static async Task<(JsonDocument Document, string? Link)> FetchAsync(
        HttpClient client, RestOptions options, Uri url, System.Threading.RateLimiting.RateLimiter? limiter, int page, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        var hasAccept = false;
        foreach (var (name, value) in options.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                throw new ConnectorException($"settings.headers.{name}: cannot be sent with a GET request");
            }

            hasAccept |= name.Equals("Accept", StringComparison.OrdinalIgnoreCase);
        }

        if (!hasAccept)
        {
            request.Headers.Accept.ParseAdd("application/json");
        }

        var call = new RestCall(options.Call, limiter);
        request.Options.Set(RestCall.Key, call);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (TimeoutRejectedException ex) when (!cancellationToken.IsCancellationRequested)
        {
            var message = ex.Timeout >= options.Call.TotalTimeout && options.Call.TotalTimeout != options.Call.AttemptTimeout
                ? $"GET {options.Display}: no answer within the total timeout of {Seconds(options.Call.TotalTimeout)} ({Attempts(call.Attempts)})"
                : $"GET {options.Display}: timed out (no answer within {Seconds(options.Call.AttemptTimeout)}) after {Attempts(call.Attempts)}";
            throw new ConnectorException(message, ex);
        }
        catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ConnectorException($"GET {options.Display}: {ex.Message} after {Attempts(call.Attempts)}", ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new ConnectorException(Failure(options, response, call.Attempts));
            }

            JsonDocument document;
            try
            {
                var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                document = await JsonDocument.ParseAsync(body, default, cancellationToken);
            }
            catch (JsonException ex)
            {
                throw new ConnectorException($"GET {options.Display} page {page}: the answer is not JSON ({ex.Message})", ex);
            }

            var link = response.Headers.TryGetValues("Link", out var links) ? string.Join(",", links) : null;
            return (document, link);
        }
    }

    private static string Failure(RestOptions options, HttpResponseMessage response, int attempts)
    {
        var status = (int)response.StatusCode;
        if (RestResilience.IsTransient(response.StatusCode))
        {
            return $"GET {options.Display}: {status} after {Attempts(attempts)}";
        }

        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                $"GET {options.Display}: {status} {response.ReasonPhrase} — the API refused the request; check the credentials in settings.headers",
            HttpStatusCode.NotFound => $"GET {options.Display}: 404 Not Found — check settings.baseUrl and settings.path",
            >= HttpStatusCode.MultipleChoices and < HttpStatusCode.BadRequest =>
                $"GET {options.Display}: {status} redirect{(response.Headers.Location is { IsAbsoluteUri: true } to ? $" to {to.GetLeftPart(UriPartial.Authority)}" : "")} — redirects are not followed; set settings.baseUrl to the final address",
            _ => $"GET {options.Display}: {status} {response.ReasonPhrase}",
        };
    }

    private static string Attempts(int n) => n == 1 ? "1 attempt" : $"{n} attempts";

    private static string Seconds(TimeSpan t) => $"{t.TotalSeconds:0.###} s";

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}

/// <summary>The URL of each page, by pagination style; checks that paging makes progress.</summary>
internal sealed class RestPager(RestOptions options, ConnectorContext context)
{
    private int _page;
    private long _offset;
    private string? _cursor;
    private bool _shortPage;
    private int _shortCount;
    private readonly HashSet<string> _visited = new(StringComparer.Ordinal);

    public Uri First()
    {
        var p = options.Pagination;
        switch (p?.Style)
        {
            case PaginationStyles.Page:
                _page = p.FirstPage;
                return Url((p.PageParam, Num(_page)), (p.SizeParam, Num(p.Size)));
            case PaginationStyles.Offset:
                return Url((p.OffsetParam, "0"), (p.LimitParam, Num(p.Limit)));
            default:
                var first = Url();
                _visited.Add(first.AbsoluteUri);
                return first;
        }
    }

    public Uri? Next(JsonElement root, string? linkHeader, int count, Uri current, int page)
    {
        var p = options.Pagination;
        switch (p?.Style)
        {
            case PaginationStyles.Page:
                if (count == 0)
                {
                    return null;
                }

                if (_shortPage)
                {
                    throw new ConnectorException(
                        $"GET {options.Display}: page {page - 1} had {_shortCount} records, fewer than pagination.size {p.Size}, yet page {page} has more — the API caps its page size; set settings.pagination.size to at most {_shortCount}");
                }

                if (count < p.Size)
                {
                    _shortPage = true;
                    _shortCount = count;
                }

                _page++;
                return Url((p.PageParam, Num(_page)), (p.SizeParam, Num(p.Size)));
            case PaginationStyles.Offset:
                if (count == 0)
                {
                    return null;
                }

                _offset += count;
                return Url((p.OffsetParam, Num(_offset)), (p.LimitParam, Num(p.Limit)));
            case PaginationStyles.Cursor:
                if (count == 0 || !options.CursorPath!.TryEvaluate(root, out var value) || Text(value) is not { } cursor)
                {
                    return null;
                }

                if (cursor == _cursor)
                {
                    throw new ConnectorException($"GET {options.Display} page {page}: the API returned the same cursor again; paging would never end");
                }

                _cursor = cursor;
                return Url((p.CursorParam, cursor));
            case PaginationStyles.Link:
                var next = options.NextPath is { } nextPath
                    ? nextPath.TryEvaluate(root, out var link) ? Text(link) : null
                    : NextFromLinkHeader(linkHeader);
                if (next is null || count == 0)
                {
                    return null;
                }

                return Follow(next, current, page);
            default:
                return null;
        }
    }

    private Uri Follow(string next, Uri current, int page)
    {
        if (!Uri.TryCreate(current, next, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ConnectorException($"GET {options.Display} page {page}: the next link is not an http(s) URL");
        }

        // Credentials go with every request: never to a host other than settings.baseUrl's.
        if (!string.Equals(uri.GetLeftPart(UriPartial.Authority), options.BaseUri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase)
            || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new ConnectorException(
                $"GET {options.Display} page {page}: the next link leads to {uri.GetLeftPart(UriPartial.Authority)}, not to settings.baseUrl's host; refused so the headers are not sent there");
        }

        if (!_visited.Add(uri.AbsoluteUri))
        {
            throw new ConnectorException($"GET {options.Display} page {page}: the next link points to a page already read; paging would never end");
        }

        return uri;
    }

    /// <summary>RFC 8288: <c>&lt;url&gt;; rel="next"</c>, possibly among others.</summary>
    internal static string? NextFromLinkHeader(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        var i = 0;
        while (i < header.Length)
        {
            var open = header.IndexOf('<', i);
            if (open < 0)
            {
                return null;
            }

            var close = header.IndexOf('>', open);
            if (close < 0)
            {
                return null;
            }

            var target = header[(open + 1)..close];
            var nextOpen = header.IndexOf('<', close);
            var parameters = nextOpen < 0 ? header[(close + 1)..] : header[(close + 1)..nextOpen];
            foreach (var param in parameters.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = param.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0 && param[..eq].Trim().Equals("rel", StringComparison.OrdinalIgnoreCase)
                    && param[(eq + 1)..].Trim().Trim('"').Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("next", StringComparer.OrdinalIgnoreCase))
                {
                    return target.Trim();
                }
            }

            i = nextOpen < 0 ? header.Length : nextOpen;
        }

        return null;
    }

    private Uri Url(params (string Name, string Value)[] paging)
    {
        var url = new StringBuilder(options.BaseUrl).Append(options.Path);
        var separator = options.Path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        void Add(string name, string value)
        {
            url.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        foreach (var (name, value) in options.Query)
        {
            Add(name, value);
        }

        if (options.SinceParam is { } since && context.Stream.Mode == StreamModes.Incremental && !string.IsNullOrEmpty(context.Cursor))
        {
            Add(since, context.Cursor);
        }

        foreach (var (name, value) in paging)
        {
            Add(name, value);
        }

        return new Uri(url.ToString(), UriKind.Absolute);
    }

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => string.IsNullOrEmpty(value.GetString()) ? null : value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        _ => null,
    };

    private static string Num(long n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
