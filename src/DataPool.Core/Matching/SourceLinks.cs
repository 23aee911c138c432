using System.Globalization;
using System.Runtime.CompilerServices;
using DataPool.Core.Store;

namespace DataPool.Core.Matching;

/// <summary>One live source record's link to the pool: the matcher's decision and score (null: no score).</summary>
public sealed record SourceLink(string SourceId, string Stream, string SourceKey, long PoolId, string Decision, decimal? Score);

/// <summary>
/// Every live source record and the pool record it is linked to, for auditing links outside the product. Persons
/// carry the matcher's judgement (<c>dp_match_links</c>); a record without one was linked by its key: the record
/// that created its pool record is <c>new</c>, every later one <c>auto</c>, scored empty for a matched entity and 1
/// for any other.
/// </summary>
public static class SourceLinks
{
    public static async IAsyncEnumerable<SourceLink> ReadAsync(PoolDatabase database, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.Command(
            $"""
            SELECT r.source_id, r.stream, r.source_key, r.pool_id,
                   COALESCE(m.decision, CASE WHEN r.id = (SELECT MIN(o.id) FROM dp_source_records o WHERE o.entity = r.entity AND o.pool_id = r.pool_id)
                        THEN 'new' ELSE 'auto' END) AS decision,
                   CASE WHEN m.record_id IS NOT NULL THEN m.score WHEN {database.Dialect.InList("r.entity", "@matched")} THEN NULL ELSE 1 END AS score
            FROM dp_source_records r LEFT JOIN dp_match_links m ON m.record_id = r.id
            WHERE r.deleted = 0 AND r.pool_id IS NOT NULL
            ORDER BY r.source_id, r.stream, r.source_key
            """, null, ("@matched", database.Dialect.ListValue(database.Catalog.Entities.Values.Where(MatchRecord.IsMatched).Select(e => e.Name))));
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new SourceLink(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : Convert.ToDecimal(reader.GetValue(5), CultureInfo.InvariantCulture));
        }
    }
}
