using System.Runtime.CompilerServices;
using System.Threading.Channels;
using DataPool.Abstractions;

namespace DataPool.Core.Sync;

/// <summary>
/// Reads a connector's rows on a task of their own, a few batches ahead of the rows being written: parsing and
/// decoding the source then runs on one core while the writes run on another. The queue is bounded, so memory
/// stays flat however far the reader could run ahead. A reader's failure surfaces where the rows are consumed,
/// as the exception the connector threw; a consumer that stops (a failure, a cancellation) stops the reader too.
/// </summary>
internal static class ReadAhead
{
    private const int BatchRows = 512;
    private const int BatchesAhead = 8;

    public static async IAsyncEnumerable<RawRow> ReadAsync(IAsyncEnumerable<RawRow> rows, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var queue = Channel.CreateBounded<List<RawRow>>(new BoundedChannelOptions(BatchesAhead) { SingleReader = true, SingleWriter = true });
        var reader = Task.Run(() => FillAsync(rows, queue.Writer, stop.Token), CancellationToken.None);
        try
        {
            while (await queue.Reader.WaitToReadAsync(cancellationToken))
            {
                while (queue.Reader.TryRead(out var batch))
                {
                    foreach (var row in batch)
                    {
                        yield return row;
                    }
                }
            }

            // The queue ends when the reader does: its failure, if any, is the connector's own exception.
            await reader;
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAny(reader); // never throws: the reader's outcome was observed above, or no longer matters
        }
    }

    private static async Task FillAsync(IAsyncEnumerable<RawRow> rows, ChannelWriter<List<RawRow>> queue, CancellationToken cancellationToken)
    {
        try
        {
            var batch = new List<RawRow>(BatchRows);
            await foreach (var row in rows.WithCancellation(cancellationToken))
            {
                batch.Add(row);
                if (batch.Count == BatchRows)
                {
                    await queue.WriteAsync(batch, cancellationToken);
                    batch = new List<RawRow>(BatchRows);
                }
            }

            if (batch.Count > 0)
            {
                await queue.WriteAsync(batch, cancellationToken);
            }
        }
        finally
        {
            queue.TryComplete();
        }
    }
}
