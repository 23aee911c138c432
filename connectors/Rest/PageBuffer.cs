using System.Buffers;

namespace DataPool.Connectors.Rest;

/// <summary>
/// Reads one page's body into memory, refusing it as soon as it is larger than the limit: a declared
/// Content-Length over the limit is refused before a byte is read, and an undeclared (chunked, compressed) body
/// is counted as it arrives, so a 200 MB page never costs more than the limit.
/// </summary>
internal static class PageBuffer
{
    private const int Chunk = 81920;

    public static async Task<HttpContent> ReadAsync(HttpContent content, long maxBytes, CancellationToken cancellationToken)
    {
        var declared = content.Headers.ContentLength;
        if (declared > maxBytes)
        {
            throw new PageTooLargeException(maxBytes, declared);
        }

        var buffer = new MemoryStream((int)Math.Min(declared ?? Chunk, maxBytes));
        var chunk = ArrayPool<byte>.Shared.Rent(Chunk);
        try
        {
            await using var body = await content.ReadAsStreamAsync(cancellationToken);
            int read;
            while ((read = await body.ReadAsync(chunk.AsMemory(0, Chunk), cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw new PageTooLargeException(maxBytes, null);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        var buffered = new ByteArrayContent(buffer.GetBuffer(), 0, (int)buffer.Length);
        foreach (var (name, values) in content.Headers.NonValidated)
        {
            // The length is the buffer's own; the rest (type, charset) travels with the body.
            if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                buffered.Headers.TryAddWithoutValidation(name, values);
            }
        }

        content.Dispose();
        return buffered;
    }
}

/// <summary>A page over <c>settings.maxPageBytes</c>. Not an <see cref="HttpRequestException"/>: it is not retried.</summary>
internal sealed class PageTooLargeException(long limit, long? declared)
    : Exception(declared is { } length ? $"the answer declares {length} bytes" : $"the answer has more than {limit} bytes")
{
    public long Limit { get; } = limit;

    public long? Declared { get; } = declared;
}
