using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using DataPool.Core.History;
using DataPool.Core.Store.Writing;
using DataPool.Core.Store;
using DataPool.Core.Values;

namespace DataPool.Core.Households;

/// <summary>
/// Links persons to households after each run: only the persons the run changed, a batch at a time (memory
/// stays flat). A person belongs to the household of their registration number (<c>household_no</c>) where
/// they have one, else to the flat their normalised address names within their community. A change of
/// household or of relation closes the old membership and opens a new one, and is written to the person's
/// history as a <c>household</c> change (the change feed's <c>household_changed</c>).
/// </summary>
public sealed class HouseholdLinker(PoolDatabase database) : IRunCompletedStep
{
    private const int Batch = 2_000;
    private static readonly string Persons = EntityTables.TableName("person");

    /// <summary>A batch of the persons a run changed, in pool id order after <c>@after</c>, and whether the run created each.</summary>
    internal const string RunPersonsSql =
        "SELECT pool_id, MAX(CASE WHEN change = 'created' THEN 1 ELSE 0 END) AS created FROM dp_history " +
        "WHERE run_id = @run AND entity = 'person' AND pool_id > @after GROUP BY pool_id ORDER BY pool_id LIMIT @batch";

    /// <summary>GB/T 4761: 02 户主 (head); 01 本人 is how some registers mark the head's own row.</summary>
    public static bool IsHead(string? relationCode) => relationCode is "02" or "01";

    public Task RunCompletedAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, long runId, CancellationToken cancellationToken) =>
        LinkAsync(connection, transaction, dialect, runId, cancellationToken);

    /// <summary>Re-links every person (after a change of the linking rules, or to repair); returns how many memberships changed.</summary>
    public async Task<long> RebuildAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var changed = await LinkAsync(connection, transaction, database.Dialect, null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    private static async Task<long> LinkAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, long? runId, CancellationToken cancellationToken)
    {
        // The persons to look at, a batch at a time in pool id order: those with history in this run (and whether the
        // run created them), or everyone.
        var persons = runId is null ? $"SELECT pool_id, 0 AS created FROM {Persons} WHERE pool_id > @after ORDER BY pool_id LIMIT @batch" : RunPersonsSql;
        await using var batchOf = connection.Command(persons, transaction, ("@batch", (long)Batch));
        if (runId is not null)
        {
            batchOf.AddParameter("@run", runId);
        }

        await using var select = connection.Command(BatchSql(dialect), transaction);
        var (after, last, listed) = (select.AddParameter("@after", 0L), select.AddParameter("@last", 0L), select.AddParameter("@persons"));
        var batchAfter = batchOf.AddParameter("@after", 0L);
        await using var writes = new MembershipWrites(connection, transaction, dialect, runId, DateTimeOffset.UtcNow);
        long changed = 0;
        while (true)
        {
            var created = new Dictionary<long, bool>(Batch);
            await using (var reader = await batchOf.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    created[reader.GetInt64(0)] = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture) != 0;
                }
            }

            if (created.Count == 0)
            {
                return changed;
            }

            (after.Value, last.Value, listed.Value) = (batchAfter.Value, created.Keys.Max(), dialect.ListValue(created.Keys));
            var rows = new List<(Membership? Open, Membership? Wanted, long Person)>(created.Count);
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var wanted = Convert.ToInt64(reader.GetValue(5), CultureInfo.InvariantCulture) != 0
                        ? null
                        : Wanted(reader.GetNullableString(1), reader.GetNullableString(2), reader.GetNullableString(3), reader.GetNullableString(4));
                    var open = reader.IsDBNull(6)
                        ? null
                        : new Membership(reader.GetString(7), reader.GetNullableString(8), null, reader.GetNullableString(10), reader.GetNullableString(9)) { Id = reader.GetInt64(6) };
                    rows.Add((open, wanted, reader.GetInt64(0)));
                }
            }

            foreach (var (open, wanted, person) in rows)
            {
                if (open?.Key == wanted?.Key && open?.Relation == wanted?.Relation)
                {
                    continue;
                }

                changed++;
                writes.Move(person, open, wanted, writeHistory: !(created[person] && open is null));
            }

            await writes.FlushAsync(cancellationToken);
            // The next batch starts after this one's last person, even when none of its persons is in the pool any more.
            batchAfter.Value = last.Value;
        }
    }

    /// <summary>
    /// A batch's persons (<c>@persons</c>, all in <c>(@after, @last]</c>): their values and open memberships. Bounded by
    /// the batch's id range as well as listed: PostgreSQL otherwise joined a batch by hashing the whole person or
    /// membership table, once a batch (a register's first load of 200k persons spent 3.4 s so, growing with the square
    /// of the pool). Within the range, every plan is cheap.
    /// </summary>
    internal static string BatchSql(SqlDialect dialect) =>
        $"""
        SELECT p.pool_id, p.household_no, p.relation_to_head, p.address, p.community_code, p.{EntityTables.Deleted},
               m.id, m.household_key, m.household_no, m.relation_code, m.address
        FROM {Persons} p
        LEFT JOIN dp_household_members m ON m.person_id = p.pool_id AND m.to_at IS NULL AND m.person_id > @after AND m.person_id <= @last
        WHERE p.pool_id > @after AND p.pool_id <= @last AND {dialect.InList("p.pool_id", "@persons")}
        ORDER BY p.pool_id
        """;

    /// <summary>The household a person's current values put them in; null when neither a number nor an address says.</summary>
    internal static Membership? Wanted(string? householdNo, string? relation, string? address, string? community)
    {
        if (Text.Clean(householdNo) is { } number)
        {
            return new Membership("no:" + number, number, community, address, relation);
        }

        return AddressKey.Normalise(address) is { } flat && Text.Clean(community) is { } place
            ? new Membership($"addr:{place}:{flat}", null, place, address, relation)
            : null;
    }

    internal sealed record Membership(string Key, string? HouseholdNo, string? Community, string? Address, string? Relation)
    {
        public long Id { get; init; }
    }

    /// <summary>
    /// The writes of one linking pass, a batch of persons at a time: the memberships that end are closed by one
    /// statement, and the new memberships and history rows go in bulk (COPY on PostgreSQL). A register's first sync
    /// opens a membership for every person, and a statement each was most of its run on PostgreSQL.
    /// </summary>
    private sealed class MembershipWrites : IAsyncDisposable
    {
        private static readonly JsonSerializerOptions Json = StoredJson.Options;
        private readonly DbCommand _close;
        private readonly IBulkWriter _open, _history;
        private readonly SqlDialect _dialect;
        private readonly long? _runId;
        private readonly string _stamp, _at;
        private readonly List<long> _closing = [];
        private readonly DbCommand? _statistics;
        private long _opened, _nextStatistics = 10_000;

        public MembershipWrites(DbConnection connection, DbTransaction transaction, SqlDialect dialect, long? runId, DateTimeOffset now)
        {
            (_dialect, _runId) = (dialect, runId);
            _stamp = HouseholdTables.Stamp(now);
            _at = now.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
            _close = connection.Command($"UPDATE dp_household_members SET to_run = @run, to_at = @now WHERE {dialect.InList("id", "@ids")}", transaction,
                ("@run", runId), ("@now", _stamp), ("@ids", null));
            _open = BulkWriters.Open(connection, "dp_household_members",
                ["household_key", "household_no", "community_code", "address", "person_id", "relation_code", "is_head", "from_run", "from_at"]);
            _history = BulkWriters.Open(connection, "dp_history", ["entity", "pool_id", "change", "changes", "run_id", "at"]);
            // The next batch's persons are read by joining their open memberships, which this pass is filling.
            _statistics = dialect.RefreshStatistics(["dp_household_members (person_id, to_at)"]) is { } analyse ? connection.Command(analyse, transaction) : null;
        }

        public void Move(long person, Membership? open, Membership? wanted, bool writeHistory)
        {
            if (open is not null)
            {
                _closing.Add(open.Id);
            }

            if (wanted is not null)
            {
                _open.Add(wanted.Key, wanted.HouseholdNo, wanted.Community, wanted.Address, person, wanted.Relation, IsHead(wanted.Relation) ? 1L : 0L, _runId, _stamp);
                _opened++;
            }

            if (writeHistory)
            {
                _history.Add("person", person, HistoryKinds.Household, Changes(open, wanted), _runId, _at);
            }
        }

        /// <summary>Writes the batch's moves: closes first (they name rows that were open before the batch), then the new rows.</summary>
        public async Task FlushAsync(CancellationToken cancellationToken)
        {
            if (_closing.Count > 0)
            {
                _close.Parameters["@ids"].Value = _dialect.ListValue(_closing);
                await _close.ExecuteNonQueryAsync(cancellationToken);
                _closing.Clear();
            }

            _open.Flush();
            _history.Flush();
            if (_statistics is not null && _opened >= _nextStatistics)
            {
                await _statistics.ExecuteNonQueryAsync(cancellationToken);
                _nextStatistics = 2 * _opened;
            }
        }

        /// <summary>In the person's own field names, so the feed can grant and mask them like any other change.</summary>
        private static string Changes(Membership? before, Membership? after)
        {
            var changes = new SortedDictionary<string, string?[]>(StringComparer.Ordinal);
            if (before?.HouseholdNo != after?.HouseholdNo)
            {
                changes["household_no"] = [before?.HouseholdNo, after?.HouseholdNo];
            }

            if (before?.Key != after?.Key && (before?.HouseholdNo is null || after?.HouseholdNo is null) && before?.Address != after?.Address)
            {
                changes["address"] = [before?.Address, after?.Address];
            }

            if (before?.Relation != after?.Relation)
            {
                changes["relation_to_head"] = [before?.Relation, after?.Relation];
            }

            return JsonSerializer.Serialize(changes, Json);
        }

        public async ValueTask DisposeAsync()
        {
            await _close.DisposeAsync();
            if (_statistics is not null)
            {
                await _statistics.DisposeAsync();
            }

            _open.Dispose();
            _history.Dispose();
        }
    }
}
