using System.Globalization;

namespace DataPool.Core.Sync;

/// <summary>
/// What a full stream's run needs before it marks records deleted: evidence the file is whole. A fixed-width
/// trailer that does not match fails the run in the connector already; here a last line cut off mid-record
/// allows no deletion at all, and deleting more than the source's share of the stream's live records (the
/// row count against the previous run) is refused. Either is lifted only by an admin confirming the
/// deletions for this one run.
/// </summary>
/// <param name="SourceId">For the message: the command to confirm names it.</param>
/// <param name="MaxShare">The source's <c>maxDeleteShare</c>, or the default.</param>
/// <param name="Confirmed">An admin confirmed a real mass deletion for this run.</param>
internal sealed record DeletionGuard(string SourceId, double MaxShare, bool Confirmed)
{
    /// <summary>Throws (failing the run, which then changes nothing) when the deletions lack evidence.</summary>
    /// <param name="live">The stream's live records before this run.</param>
    /// <param name="gone">Those this run would mark deleted.</param>
    /// <param name="cutOff">Where the file ends mid-record, if it does.</param>
    public void Check(string stream, long live, long gone, string? cutOff)
    {
        if (Confirmed || gone == 0)
        {
            return;
        }

        var percent = (100.0 * gone / Math.Max(live, 1)).ToString("0.0", CultureInfo.InvariantCulture);
        var counts = $"{N(gone)} of its {N(live)} live records ({percent}%)";
        if (cutOff is not null)
        {
            throw new SyncException(
                $"stream '{stream}': {cutOff} ends mid-record, so the export may be cut off; it would delete {counts}. Nothing was changed. {HowToConfirm}");
        }

        if (gone > MaxShare * live)
        {
            throw new SyncException(
                $"stream '{stream}' would delete {counts}, more than the source allows in one run (maxDeleteShare {MaxShare.ToString("0.###", CultureInfo.InvariantCulture)}): the export is likely incomplete. Nothing was changed. {HowToConfirm}");
        }
    }

    private string HowToConfirm =>
        $"If the records really are gone at the source, confirm: datapool sync {SourceId} --confirm-deletions (or POST /api/sources/{SourceId}/sync?confirmDeletions=true).";

    private static string N(long count) => count.ToString("N0", CultureInfo.InvariantCulture);
}
