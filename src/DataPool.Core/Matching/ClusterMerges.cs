using System.Data.Common;
using System.Text.Json;
using DataPool.Core.Store;
using DataPool.Core.Store.Writing;

namespace DataPool.Core.Matching;

/// <summary>
/// Persons a sync merges because one row links them all (a cluster held together transitively): each merge is
/// written as the review queue writes an accepted item (<see cref="MatchDecider"/>) — the records move to the
/// survivor, noted for a split, and the merged id redirects — under an accepted review item decided by the matcher,
/// so an admin sees it among accepted merges and can split it like any other.
/// Merges wait until the batch's records are written, since a person created in the same batch may be merged.
/// </summary>
internal sealed class ClusterMerges
{
    /// <summary>Who decided a merge the matcher made (<c>dp_match_reviews.decided_by</c>).</summary>
    public const string DecidedBy = "matcher";

    /// <summary>
    /// One merge of <c>@merged</c> into <c>@survivor</c> (under review <c>@review</c>): every source record moves (each move noted for a split),
    /// and so do the link decisions and redirects that pointed at the merged id. Blocking keys stay filed under the merged id: matching
    /// follows its redirect, and a split gets them back as they were.
    /// </summary>
    public static readonly string[] Statements =
    [
        "INSERT INTO dp_match_moves (review_id, record_id, from_pool, to_pool) SELECT @review, id, @merged, @survivor FROM dp_source_records WHERE entity = @entity AND pool_id = @merged",
        "UPDATE dp_source_records SET pool_id = @survivor WHERE entity = @entity AND pool_id = @merged",
        "UPDATE dp_match_links SET pool_id = @survivor WHERE entity = @entity AND pool_id = @merged",
        "UPDATE dp_match_redirects SET to_pool = @survivor WHERE entity = @entity AND to_pool = @merged",
        "INSERT INTO dp_match_redirects (entity, from_pool, to_pool, review_id, at) VALUES (@entity, @merged, @survivor, @review, @now)",
    ];

    private readonly DbCommand _accepted;
    private readonly DbCommand[] _statements;
    private readonly List<(long Record, long Merged, long Survivor, MatchScore Score)> _waiting = [];

    public ClusterMerges(PoolWriter writer, string entity, long runId)
    {
        _accepted = writer.Command(
            "INSERT INTO dp_match_reviews (entity, record_id, pool_id, candidate_pool, score, breakdown, status, run_id, decided_by, decided_at, survivor, merged) " +
            $"VALUES (@entity, @record, @merged, @survivor, @score, @breakdown, '{ReviewStatus.Accepted}', @run, '{DecidedBy}', @now, @survivor, @merged) RETURNING id");
        _statements = Statements.Select(writer.Command).ToArray();
        foreach (var command in _statements.Append(_accepted))
        {
            foreach (var name in new[] { "@entity", "@record", "@merged", "@survivor", "@score", "@breakdown", "@run", "@now", "@review" }
                .Where(n => command.CommandText.Contains(n, StringComparison.Ordinal)))
            {
                command.AddParameter(name, name switch { "@entity" => entity, "@run" => runId, _ => null });
            }
        }
    }

    /// <summary>Notes that the row <paramref name="record"/> merged <paramref name="merged"/> into <paramref name="survivor"/> (scored against the merged person).</summary>
    public void Add(long record, long merged, long survivor, MatchScore score) => _waiting.Add((record, merged, survivor, score));

    /// <summary>Writes the waiting merges (after the batch's records); returns the persons to recompute, survivors and merged ones.</summary>
    public IReadOnlyCollection<long> Write()
    {
        var touched = new HashSet<long>();
        var now = SourceLock.Now();
        foreach (var (record, merged, survivor, score) in _waiting)
        {
            _accepted.Parameters["@record"].Value = record;
            _accepted.Parameters["@merged"].Value = merged;
            _accepted.Parameters["@survivor"].Value = survivor;
            _accepted.Parameters["@score"].Value = (decimal)score.Total;
            _accepted.Parameters["@breakdown"].Value = JsonSerializer.Serialize(score.Fields);
            _accepted.Parameters["@now"].Value = now;
            var review = Convert.ToInt64(_accepted.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            foreach (var statement in _statements)
            {
                foreach (var (name, value) in new (string, object)[] { ("@review", review), ("@merged", merged), ("@survivor", survivor), ("@now", now) })
                {
                    if (statement.Parameters.Contains(name))
                    {
                        statement.Parameters[name].Value = value;
                    }
                }

                statement.ExecuteNonQuery();
            }

            touched.Add(survivor);
            touched.Add(merged);
        }

        _waiting.Clear();
        return touched;
    }
}
