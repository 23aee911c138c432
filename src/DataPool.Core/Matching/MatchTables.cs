using System.Data.Common;
using DataPool.Core.Schema;
using DataPool.Core.Store;
using DataPool.Core.Store.Writing;

namespace DataPool.Core.Matching;

/// <summary>
/// Matching's own tables, created at start after the pool's: blocking keys of pool persons, every source record's
/// link decision, the review queue, the records each merge moved (so a merge can be split) and the weights
/// <c>match train</c> learned (<c>dp_match_models</c>); the redirects of merged ids and the conflicts survivorship
/// decided are the store's (<c>OperationalTables</c>). Blocking keys filed as text by earlier versions
/// (<c>dp_match_keys</c>) move into the hashed index at start (<see cref="UpgradeKeysAsync"/>), and a blocking rule
/// configured since the pool's persons were filed has their keys filed at start (<see cref="FileNewRulesAsync"/>).
/// </summary>
internal sealed class MatchTables(SchemaCatalog catalog, MatchSettings settings) : IStoreInitializer
{
    private const string Template = """
        CREATE TABLE IF NOT EXISTS dp_match_blocks (
            key_hash {BigInt} NOT NULL,
            pool_id {BigInt} NOT NULL,
            PRIMARY KEY (key_hash, pool_id)){WithoutRowId};

        CREATE TABLE IF NOT EXISTS dp_match_open_blocks (
            key_hash {BigInt} NOT NULL,
            pool_id {BigInt} NOT NULL,
            PRIMARY KEY (key_hash, pool_id)){WithoutRowId};

        CREATE TABLE IF NOT EXISTS dp_match_rules (
            entity TEXT NOT NULL,
            rule TEXT NOT NULL,
            filed_at TEXT NOT NULL,
            PRIMARY KEY (entity, rule));

        CREATE TABLE IF NOT EXISTS dp_match_links (
            record_id {BigInt} PRIMARY KEY,
            entity TEXT NOT NULL,
            pool_id {BigInt} NOT NULL,
            decision TEXT NOT NULL,
            score {Score},
            candidate_pool {BigInt},
            run_id {BigInt});

        CREATE TABLE IF NOT EXISTS dp_match_reviews (
            id {AutoId},
            entity TEXT NOT NULL,
            record_id {BigInt} NOT NULL,
            pool_id {BigInt} NOT NULL,
            candidate_pool {BigInt} NOT NULL,
            score {Score} NOT NULL,
            breakdown TEXT NOT NULL,
            status TEXT NOT NULL,
            run_id {BigInt},
            decided_by TEXT,
            decided_at TEXT,
            survivor {BigInt},
            merged {BigInt});
        CREATE INDEX IF NOT EXISTS ix_dp_match_reviews_status ON dp_match_reviews (status, id);

        CREATE TABLE IF NOT EXISTS dp_match_moves (
            review_id {BigInt} NOT NULL,
            record_id {BigInt} NOT NULL,
            from_pool {BigInt} NOT NULL,
            to_pool {BigInt} NOT NULL,
            PRIMARY KEY (review_id, record_id));

        CREATE TABLE IF NOT EXISTS dp_match_models (
            id {AutoId},
            entity TEXT NOT NULL,
            version {BigInt} NOT NULL,
            trained_at TEXT NOT NULL,
            records {BigInt} NOT NULL,
            blocked_pairs {BigInt} NOT NULL,
            random_pairs {BigInt} NOT NULL,
            match_share {Score} NOT NULL,
            model TEXT NOT NULL);
        """;

    public async Task InitialiseAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(For(dialect), transaction, cancellationToken);
        await CreateIndexesAsync(connection, transaction, catalog, cancellationToken);
        await UpgradeKeysAsync(connection, transaction, dialect, cancellationToken);
        foreach (var entity in catalog.Entities.Values.Where(PersonMatcher.Applies))
        {
            await FileNewRulesAsync(connection, transaction, entity, settings.Blocking, cancellationToken);
        }
    }

    /// <summary>
    /// Files every live person of the entity under the keys of the configured blocking rules it was not filed by
    /// (<c>dp_match_rules</c> lists the rules it was), once: without it, a rule added to the configuration, or to the
    /// defaults by an upgrade, found only persons filed after it. Keys come from each person's golden record, in its tier
    /// (<see cref="MatchRecord.BlockingKeys(BlockingRules?)"/>); duplicates are skipped.
    /// </summary>
    /// <summary>Persons read at a time when a new rule's keys are filed.</summary>
    private const int FilingPage = 10_000;

    public static async Task<long> FileNewRulesAsync(DbConnection connection, DbTransaction transaction, PoolEntity entity, BlockingRules configured, CancellationToken cancellationToken)
    {
        var filed = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = connection.Command("SELECT rule FROM dp_match_rules WHERE entity = @entity", transaction, ("@entity", entity.Name)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                filed.Add(reader.GetString(0));
            }
        }

        var missing = configured.Rules.Where(r => !filed.Contains(r)).ToArray();
        if (missing.Length == 0)
        {
            return 0;
        }

        var rules = new BlockingRules(missing);
        var fields = MatchRecord.Fields.Where(entity.Fields.ContainsKey).ToArray();
        var keys = 0L;
        using var plain = BulkWriters.Open(connection, MatchBlocks.Table, ["key_hash", "pool_id"], skipDuplicates: true);
        using var open = BulkWriters.Open(connection, MatchBlocks.OpenTable, ["key_hash", "pool_id"], skipDuplicates: true);
        await using var page = connection.Command(
            $"SELECT {EntityTables.PoolId}, {MatchRecord.TextColumns(fields)} FROM {EntityTables.TableName(entity.Name)} " +
            $"WHERE {EntityTables.Deleted} = 0 AND {EntityTables.PoolId} > @after ORDER BY {EntityTables.PoolId} LIMIT {FilingPage}",
            transaction);
        var after = page.AddParameter("@after", 0L);
        while (true)
        {
            // A page at a time: the keys are written between pages, with no reader open and no more than a page held.
            var persons = new List<(long Pool, MatchRecord Record)>(FilingPage);
            await using (var reader = await page.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    persons.Add((reader.GetInt64(0), MatchRecord.Read(reader, fields, 1)));
                }
            }

            if (persons.Count == 0)
            {
                break;
            }

            foreach (var (pool, person) in persons)
            {
                foreach (var key in rules.Keys(person, person.HasValidId ? "" : MatchRecord.Open))
                {
                    (MatchBlocks.IsOpen(key) ? open : plain).Add(MatchBlocks.Hash(key), pool);
                    keys++;
                }
            }

            plain.Flush();
            open.Flush();
            after.Value = persons[^1].Pool;
        }

        foreach (var rule in missing)
        {
            await connection.ExecuteAsync("INSERT INTO dp_match_rules (entity, rule, filed_at) VALUES (@entity, @rule, @now) ON CONFLICT DO NOTHING", transaction, cancellationToken,
                ("@entity", entity.Name), ("@rule", rule), ("@now", Store.Writing.SourceLock.Now()));
        }

        return keys;
    }

    public static string For(SqlDialect dialect) => Template
        .Replace("{AutoId}", dialect.AutoId)
        .Replace("{BigInt}", dialect.BigInt)
        .Replace("{Score}", dialect.Real)
        .Replace("{WithoutRowId}", dialect.WithoutRowId);

    /// <summary>The covering index of a matched entity's table: what matching reads of each candidate, in a compact copy.</summary>
    public static string MatchIndex(PoolEntity entity) => $"ix_{EntityTables.TableName(entity.Name)}_match";

    /// <summary>
    /// Gives every matched entity (<see cref="PersonMatcher.Applies"/>) a covering index over the fields matching
    /// compares. Candidates are read by pool id at random; from the wide table (provenance and all) a million-person
    /// pool no longer fits the page cache, from this index it does.
    /// </summary>
    public static async Task CreateIndexesAsync(DbConnection connection, DbTransaction transaction, SchemaCatalog catalog, CancellationToken cancellationToken)
    {
        foreach (var entity in catalog.Entities.Values.Where(PersonMatcher.Applies))
        {
            var fields = MatchRecord.Fields.Where(entity.Fields.ContainsKey);
            await connection.ExecuteAsync(
                $"CREATE INDEX IF NOT EXISTS {MatchIndex(entity)} ON {EntityTables.TableName(entity.Name)} ({EntityTables.PoolId}, {EntityTables.Deleted}, {string.Join(", ", fields)})",
                transaction, cancellationToken);
        }
    }

    /// <summary>
    /// Moves blocking keys filed as text (<c>dp_match_keys</c>, by earlier versions) into <see cref="MatchBlocks"/>, once.
    /// Keys filed before trust tiers (they had surname + year "s:" blocks and filed every block plain) become open
    /// blocks first: whether their persons' ID numbers were valid is not known.
    /// </summary>
    public static async Task UpgradeKeysAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, CancellationToken cancellationToken)
    {
        if (await connection.ScalarAsync<long>(dialect.TableCount("@table"), transaction, cancellationToken, ("@table", "dp_match_keys")) == 0)
        {
            return;
        }

        var beforeTiers = await connection.ScalarAsync<long>("SELECT count(*) FROM dp_match_keys WHERE key >= 's:' AND key < 's;'", transaction, cancellationToken) > 0;
        var keys = new List<(string Key, long Pool)>();
        await using (var command = connection.Command("SELECT key, pool_id FROM dp_match_keys", transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = reader.GetString(0);
                if (beforeTiers && key.StartsWith("s:", StringComparison.Ordinal))
                {
                    continue;
                }

                keys.Add((beforeTiers && (key.StartsWith("b:", StringComparison.Ordinal) || key.StartsWith("n:", StringComparison.Ordinal)) ? MatchRecord.Open + key : key, reader.GetInt64(1)));
            }
        }

        await MatchBlocks.FileAsync(connection, transaction, keys, cancellationToken);

        await connection.ExecuteAsync("DROP TABLE dp_match_keys", transaction, cancellationToken);
    }
}
