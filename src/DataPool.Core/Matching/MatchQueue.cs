using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using DataPool.Core.Store;

namespace DataPool.Core.Matching;

/// <summary>Reads the review queue and the recorded conflicts (decisions are <see cref="MatchDecider"/>'s).</summary>
public sealed class MatchQueue(PoolDatabase database)
{
    private const string Columns = "id, entity, status, score, record_id, pool_id, candidate_pool, breakdown, decided_by, decided_at, survivor, merged";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <param name="source">Only items whose row under review came from this source.</param>
    public async Task<ReviewPage> ListAsync(string status, int page, int size, CancellationToken cancellationToken = default, string? source = null)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var where = source is null
            ? "WHERE status = @status"
            : "WHERE status = @status AND record_id IN (SELECT id FROM dp_source_records WHERE source_id = @source)";
        (string, object?)[] filter = source is null ? [("@status", status)] : [("@status", status), ("@source", source)];
        var total = await connection.ScalarAsync<long>($"SELECT COUNT(*) FROM dp_match_reviews {where}", null, cancellationToken, filter);
        var rows = new List<long>();
        await using (var command = connection.Command($"SELECT id FROM dp_match_reviews {where} ORDER BY id LIMIT @size OFFSET @skip", null,
            [.. filter, ("@size", (long)size), ("@skip", (long)(page - 1) * size)]))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(reader.GetInt64(0));
            }
        }

        var items = new List<ReviewItem>(rows.Count);
        foreach (var id in rows)
        {
            items.Add((await LoadAsync(connection, null, id, cancellationToken))!);
        }

        return new ReviewPage(items, total, page, size);
    }

    /// <summary>Pending items in all and per source of the row under review.</summary>
    public async Task<ReviewSummary> SummaryAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var bySource = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await using var command = connection.Command(
            "SELECT s.source_id, COUNT(*) FROM dp_match_reviews r JOIN dp_source_records s ON s.id = r.record_id WHERE r.status = @status GROUP BY s.source_id",
            null, ("@status", ReviewStatus.Pending));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            bySource[reader.GetString(0)] = reader.GetInt64(1);
        }

        return new ReviewSummary(bySource.Values.Sum(), bySource);
    }

    public async Task<ReviewItem?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await LoadAsync(connection, null, id, cancellationToken);
    }

    /// <summary>Conflicts between sources, newest records first; <paramref name="poolId"/> narrows to one record.</summary>
    public async Task<List<ConflictRow>> ConflictsAsync(string entity, long? poolId, int page, int size, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var filter = poolId is null ? "" : " AND pool_id = @pool";
        await using var command = connection.Command(
            $"SELECT pool_id, field, chosen, candidates FROM dp_match_conflicts WHERE entity = @entity{filter} ORDER BY pool_id DESC, field LIMIT @size OFFSET @skip",
            null, ("@entity", entity), ("@pool", poolId), ("@size", (long)size), ("@skip", (long)(page - 1) * size));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<ConflictRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ConflictRow(entity, reader.GetInt64(0), reader.GetString(1), reader.GetNullableString(2),
                JsonSerializer.Deserialize<List<ConflictCandidate>>(reader.GetString(3), Json) ?? []));
        }

        return rows;
    }

    internal static async Task<ReviewItem?> LoadAsync(DbConnection connection, DbTransaction? transaction, long id, CancellationToken cancellationToken)
    {
        string entity, status, breakdown;
        double score;
        long record, pool, candidate;
        string? by, at;
        long? survivor, merged;
        await using (var command = connection.Command($"SELECT {Columns} FROM dp_match_reviews WHERE id = @id", transaction, ("@id", id)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            (entity, status, score) = (reader.GetString(1), reader.GetString(2), Convert.ToDouble(reader.GetValue(3), CultureInfo.InvariantCulture));
            (record, pool, candidate, breakdown) = (reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetString(7));
            (by, at, survivor, merged) = (reader.GetNullableString(8), reader.GetNullableString(9), reader.GetNullableInt64(10), reader.GetNullableInt64(11));
        }

        MatchSide left;
        await using (var command = connection.Command("SELECT source_id, stream, location, data FROM dp_source_records WHERE id = @id", transaction, ("@id", record)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            left = await reader.ReadAsync(cancellationToken)
                ? new MatchSide(pool, reader.GetString(0), reader.GetString(1), reader.GetNullableString(2), JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(3)) ?? [])
                : new MatchSide(pool, null, null, null, new Dictionary<string, string>());
        }

        var right = await RecordValuesAsync(connection, transaction, entity, candidate, cancellationToken);
        var fields = JsonSerializer.Deserialize<List<FieldScore>>(breakdown) ?? [];
        return new ReviewItem(id, entity, status, score, record, left, new MatchSide(candidate, null, null, null, right), fields, by, at, survivor, merged);
    }

    /// <summary>The golden values of a pool record, as the person matching sees it (the id redirected when merged).</summary>
    private static async Task<Dictionary<string, string>> RecordValuesAsync(DbConnection connection, DbTransaction? transaction, string entity, long poolId, CancellationToken cancellationToken)
    {
        poolId = await Redirects.ResolveAsync(connection, entity, poolId, cancellationToken, transaction);
        await using var command = connection.Command($"SELECT * FROM {EntityTables.TableName(entity)} WHERE {EntityTables.PoolId} = @id", transaction, ("@id", poolId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (await reader.ReadAsync(cancellationToken))
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                var name = reader.GetName(i);
                if (!reader.IsDBNull(i) && !name.StartsWith('_'))
                {
                    values[name] = Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)!;
                }
            }
        }

        return values;
    }
}
