using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
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
            if (page == options.MaxPages)
            {
                // An API that pages forever (a next link or cursor that never ends) is not read forever.
                throw new ConnectorException(
                    $"GET {options.Display}: more than {options.MaxPages} pages (settings.maxPages) and the API still offers another; raise settings.maxPages if it really holds more");
            }

            page++;
            var (document, link, hash) = await FetchAsync(client, options, url, limiter, page, cancellationToken);
            using (document)
            {
                var records = Records(document.RootElement, options, page);
                var count = records.GetArrayLength();
                ReportProgress(document.RootElement, options, page, context.Progress);
                url = pager.Next(document.RootElement, link, count, url, page);
                pager.CheckNotRepeated(hash, count, page);
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

    /// <summary>The total from the first page, where the settings say the API states one; pages fetched so far.</summary>
    private static void ReportProgress(JsonElement root, RestOptions options, int page, ReadProgress progress)
    {
        if (options.TotalAt is not { } at)
        {
            return;
        }

        if (page == 1 && at.Path.TryEvaluate(root, out var total) && total.ValueKind == JsonValueKind.Number && total.TryGetInt64(out var value))
        {
            progress.SetTotal(value, at.Unit);
        }

        // Pages count when the page is fetched; a total of records is counted by the pipeline per row.
        progress.ReportPosition(page);
    }

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

    private static async Task<(JsonDocument Document, string? Link, byte[] Hash)> FetchAsync(
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
        catch (PageTooLargeException ex)
        {
            var found = ex.Declared is { } declared ? $"{declared:N0} bytes declared" : $"more than {ex.Limit:N0} bytes read";
            throw new ConnectorException(
                $"GET {options.Display} page {page}: the page is larger than settings.maxPageBytes ({found}, limit {ex.Limit:N0}); ask for smaller pages (settings.pagination) or raise settings.maxPageBytes", ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new ConnectorException(Failure(options, response, call.Attempts));
            }

            JsonDocument document;
            byte[] hash;
            try
            {
                // The body is already buffered (within settings.maxPageBytes): hash it to spot a page served again.
                var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                hash = await SHA256.HashDataAsync(body, cancellationToken);
                body.Position = 0;
                document = await JsonDocument.ParseAsync(body, default, cancellationToken);
            }
            catch (JsonException ex)
            {
                throw new ConnectorException($"GET {options.Display} page {page}: the answer is not JSON ({ex.Message})", ex);
            }

            var link = response.Headers.TryGetValues("Link", out var links) ? string.Join(",", links) : null;
            return (document, link, hash);
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
