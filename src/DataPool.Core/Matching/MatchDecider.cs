using System.Data.Common;
using System.Text.Json;
using DataPool.Core.Schema;
using DataPool.Core.Store;
using DataPool.Core.Store.Writing;

namespace DataPool.Core.Matching;

/// <summary>
/// An admin's decisions on the review queue, each one transaction holding the entity's sync lock:
/// accept merges the row's person into the person it resembles (the chosen person keeps its id, the row's provisional one redirects to it), reject keeps them
/// apart for good, split undoes an accepted merge (the moved source records go back to their former
/// person). Every decision is final for the matcher: a linked source record is never matched again.
/// Each decision is a run of the review queue (<see cref="PoolWriting"/>): the after-run steps (household linking)
/// follow it, and it reads succeeded only once committed.
/// </summary>
public sealed class MatchDecider(PoolDatabase database, PoolWriting writing, MatchSettings settings)
{
    /// <summary>The source id of decisions' runs in <c>dp_runs</c>, and of the records a detach creates.</summary>
    public const string ReviewQueue = "review-queue";

    public Task<ReviewOutcome> AcceptAsync(long id, string user, CancellationToken cancellationToken = default) =>
        DecideAsync(id, user, ReviewStatus.Pending, "accept", cancellationToken, async (scope, item) =>
        {
            // The row joins the person the reviewer chose, which keeps its id; the provisional person made meanwhile goes.
            var (survivor, merged) = (await scope.ResolveAsync(item.Right.PoolId), await scope.ResolveAsync(item.Left.PoolId));
            if (survivor != merged)
            {
                await scope.MergeAsync(id, merged, survivor);
            }

            await scope.ExecAsync("UPDATE dp_match_links SET decision = 'manual' WHERE record_id = @record", ("@record", item.RecordId));
            await scope.ExecAsync("UPDATE dp_match_reviews SET survivor = @survivor, merged = @merged WHERE id = @id", ("@survivor", survivor), ("@merged", merged), ("@id", id));
            return ReviewStatus.Accepted;
        });

    public Task<ReviewOutcome> RejectAsync(long id, string user, CancellationToken cancellationToken = default) =>
        DecideAsync(id, user, ReviewStatus.Pending, "reject", cancellationToken, async (scope, item) =>
        {
            await scope.ExecAsync("UPDATE dp_match_links SET decision = 'manual' WHERE record_id = @record", ("@record", item.RecordId));
            return ReviewStatus.Rejected;
        });

    public Task<ReviewOutcome> SplitAsync(long id, string user, CancellationToken cancellationToken = default) =>
        DecideAsync(id, user, ReviewStatus.Accepted, "split", cancellationToken, async (scope, _) =>
        {
            await scope.SplitAsync(id);
            return ReviewStatus.Split;
        });

    /// <summary>
    /// Moves one source record out of its person into a new person of its own: the way to undo a wrong link
    /// that never went through the queue (an automatic one). The record is marked decided (manual), so no
    /// re-sync links it back; the person it left is recomputed from the records that stay.
    /// </summary>
    public async Task<DetachOutcome> DetachAsync(long recordId, string user, CancellationToken cancellationToken = default)
    {
        string? entityName = null, data = null;
        long from = 0, others = 0;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            await using (var command = connection.Command("SELECT entity, pool_id, data FROM dp_source_records WHERE id = @id AND deleted = 0", null, ("@id", recordId)))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                if (await reader.ReadAsync(cancellationToken))
                {
                    (entityName, from, data) = (reader.GetString(0), reader.GetInt64(1), reader.GetString(2));
                }
            }

            if (entityName is not null)
            {
                others = await connection.ScalarAsync<long>("SELECT COUNT(*) FROM dp_source_records WHERE pool_id = @pool AND entity = @entity AND deleted = 0 AND id <> @id",
                    null, cancellationToken, ("@pool", from), ("@entity", entityName), ("@id", recordId));
            }
        }

        if (entityName is null)
        {
            return new DetachOutcome(recordId, null, null, $"no live source record {recordId}", NotFound: true);
        }

        var entity = database.Catalog.Entity(entityName);
        if (!PersonMatcher.Applies(entity))
        {
            return new DetachOutcome(recordId, from, null, $"source record {recordId} is a {entityName}, which links by its key, not by matching");
        }

        if (others == 0)
        {
            return new DetachOutcome(recordId, from, null, $"source record {recordId} is the only record of {entityName} {from}: it is a person of its own already");
        }

        long to = 0;
        await DecideAsync(entity, $"split-record:{recordId} by {user}", cancellationToken, async scope =>
        {
            to = scope.Ids.NextPoolId(entityName);
            scope.Writer.CreatePool(to, JsonSerializer.Deserialize<Dictionary<string, string>>(data!) ?? [], recordId);
            scope.Writer.Flush();
            await scope.ExecAsync("UPDATE dp_source_records SET pool_id = @to WHERE id = @id", ("@to", to), ("@id", recordId));
            await scope.DecideManuallyAsync(recordId, to, from);

            await scope.RefileKeysAsync(recordId, to);
            scope.Recompute.Recompute(from);
        });
        return new DetachOutcome(recordId, from, to, null);
    }

    private async Task<ReviewOutcome> DecideAsync(long id, string user, string from, string action, CancellationToken cancellationToken,
        Func<DecisionScope, ReviewItem, Task<string>> decide)
    {
        ReviewItem? item;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            item = await MatchQueue.LoadAsync(connection, null, id, cancellationToken);
        }

        if (item is null)
        {
            return ReviewOutcome.Missing(id);
        }

        if (item.Status != from)
        {
            return new ReviewOutcome(item, $"review item {id} is {item.Status}; only a {from} item can be {(action == "split" ? "split" : action + "ed")}");
        }

        await DecideAsync(database.Catalog.Entity(item.Entity), $"{action}:{id} by {user}", cancellationToken, async scope =>
        {
            var status = await decide(scope, item);
            await scope.ExecAsync("UPDATE dp_match_reviews SET status = @status, decided_by = @user, decided_at = @now WHERE id = @id",
                ("@status", status), ("@user", user), ("@now", SourceLock.Now()), ("@id", id));
            await scope.SettleStaleReviewsAsync();
        });
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            return new ReviewOutcome(await MatchQueue.LoadAsync(connection, null, id, cancellationToken));
        }
    }

    /// <summary>
    /// One decision as a run of the review queue (<c>dp_runs</c>: history rows point at it, its trigger says who decided):
    /// the entity's lock, the writer of its changes, the after-run steps, then the commit.
    /// </summary>
    private async Task DecideAsync(PoolEntity entity, string trigger, CancellationToken cancellationToken, Func<DecisionScope, Task> decide)
    {
        await using var run = await writing.StartAsync(new PoolRunRequest(ReviewQueue, trigger, [entity.Name]), cancellationToken);
        await run.ExecuteAsync(async unit =>
        {
            using var scope = new DecisionScope(unit, unit.Writer(entity, "matches"), entity.Name, settings.Blocking);
            await decide(scope);
            // Written before the after-run steps, which read the run's history rows.
            scope.Flush();
            return RunTotals.None;
        }, null, cancellationToken);
    }

    /// <summary>The statements of one decision, in its run's transaction; nothing is kept unless the run commits.</summary>
    private sealed class DecisionScope(PoolRunScope run, PoolWriter writer, string entity, BlockingRules blocking) : IDisposable
    {
        private DbConnection Connection => run.Connection;
        private DbTransaction Transaction => run.Transaction;
        private CancellationToken Token => run.Token;
        private string Entity => entity;
        private long RunId => run.RunId;

        public PoolWriter Writer => writer;
        public PoolRecompute Recompute { get; } = run.Recompute(writer);
        public PoolIdAllocator Ids => run.Ids;

        /// <summary>Writes the recomputed records and the buffered rows.</summary>
        public void Flush()
        {
            Recompute.Flush();
            Writer.Flush();
        }

        public void Dispose() => Writer.Dispose();

        public Task<long> ResolveAsync(long poolId) => Redirects.ResolveAsync(Connection, Entity, poolId, Token, Transaction);

        public Task<int> ExecAsync(string sql, params (string, object?)[] parameters) => Connection.ExecuteAsync(sql, Transaction, Token, parameters);

        /// <summary>
        /// After a merge or a split, the other items between the same two persons: closed when the persons are one now, reopened when a split
        /// separated them again (<see cref="StaleReviews"/>).
        /// </summary>
        public async Task SettleStaleReviewsAsync()
        {
            await ExecAsync(StaleReviews.CloseSql, ("@entity", Entity), ("@now", SourceLock.Now()));
            await ExecAsync(StaleReviews.ReopenSql, ("@entity", Entity));
        }

        /// <summary>Moves every source record of <paramref name="merged"/> to <paramref name="survivor"/>, as a sync's cluster merge does (<see cref="ClusterMerges.Statements"/>).</summary>
        public async Task MergeAsync(long reviewId, long merged, long survivor)
        {
            foreach (var statement in ClusterMerges.Statements)
            {
                var values = new (string Name, object? Value)[] { ("@review", reviewId), ("@merged", merged), ("@survivor", survivor), ("@entity", Entity), ("@now", SourceLock.Now()) };
                await ExecAsync(statement, values.Where(v => statement.Contains(v.Name, StringComparison.Ordinal)).ToArray());
            }

            Recompute.Recompute(survivor);
            Recompute.Recompute(merged);
        }

        /// <summary>Gives the records an accepted merge moved back to their former person, which comes back to life.</summary>
        public async Task SplitAsync(long reviewId)
        {
            var moves = new List<(long Record, long From, long To)>();
            await using (var command = Connection.Command("SELECT record_id, from_pool, to_pool FROM dp_match_moves WHERE review_id = @review", Transaction, ("@review", reviewId)))
            await using (var reader = await command.ExecuteReaderAsync(Token))
            {
                while (await reader.ReadAsync(Token))
                {
                    moves.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
                }
            }

            foreach (var (record, from, _) in moves)
            {
                await ExecAsync("UPDATE dp_source_records SET pool_id = @from WHERE id = @record", ("@from", from), ("@record", record));
                await DecideManuallyAsync(record, from, null);
                await RefileKeysAsync(record, from);
            }

            await ExecAsync("DELETE FROM dp_match_redirects WHERE entity = @entity AND review_id = @review", ("@entity", Entity), ("@review", reviewId));
            foreach (var pool in moves.SelectMany(m => new[] { m.From, m.To }).Distinct())
            {
                Recompute.Recompute(await ResolveAsync(pool));
            }
        }

        /// <summary>
        /// Records an admin's placement of a source record as a manual link decision. A record linked by its key (or new
        /// without a candidate) had no link row to update: the matcher writes rows for its judgements only.
        /// </summary>
        public async Task DecideManuallyAsync(long record, long pool, long? candidate)
        {
            if (await ExecAsync("UPDATE dp_match_links SET pool_id = @pool, decision = 'manual', candidate_pool = COALESCE(@candidate, candidate_pool) WHERE record_id = @record",
                    ("@pool", pool), ("@candidate", candidate), ("@record", record)) == 0)
            {
                await ExecAsync("INSERT INTO dp_match_links (record_id, entity, pool_id, decision, candidate_pool, run_id) VALUES (@record, @entity, @pool, 'manual', @candidate, @run)",
                    ("@record", record), ("@entity", Entity), ("@pool", pool), ("@candidate", candidate), ("@run", RunId));
            }
        }

        /// <summary>A record going back to its former person files its blocking keys there again.</summary>
        public async Task RefileKeysAsync(long record, long pool)
        {
            var data = await Connection.ScalarAsync<string>("SELECT data FROM dp_source_records WHERE id = @id", Transaction, Token, ("@id", record));
            await MatchBlocks.FileAsync(Connection, Transaction, MatchRecord.FromStored(data).BlockingKeys(blocking).Select(key => (key, pool)), Token);
        }
    }
}
