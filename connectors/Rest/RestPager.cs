using System.Text;
using System.Text.Json;
using DataPool.Abstractions;

namespace DataPool.Connectors.Rest;

/// <summary>The URL of each page, by pagination style; checks that paging makes progress.</summary>
internal sealed class RestPager(RestOptions options, ConnectorContext context)
{
    private int _page;
    private long _offset;
    private bool _shortPage;
    private int _shortCount;
    private byte[]? _previousHash;
    private readonly HashSet<string> _visited = new(StringComparer.Ordinal);
    private readonly HashSet<string> _cursors = new(StringComparer.Ordinal);

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

                if (!_cursors.Add(cursor))
                {
                    throw new ConnectorException($"GET {options.Display} page {page}: the API returned a cursor it had returned before; paging would never end");
                }

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

    /// <summary>
    /// A non-empty page byte-identical to the one before means the API ignores the paging parameters (or serves one
    /// page forever): reading on would repeat its records until some other limit stopped it.
    /// </summary>
    public void CheckNotRepeated(byte[] hash, int count, int page)
    {
        var previous = _previousHash;
        _previousHash = hash;
        if (count > 0 && previous is not null && hash.AsSpan().SequenceEqual(previous))
        {
            throw new ConnectorException(
                $"GET {options.Display} page {page}: the same page as page {page - 1} again — the API ignores the paging parameters (check settings.pagination); paging would never end");
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
