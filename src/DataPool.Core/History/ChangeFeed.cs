using System.Globalization;
using DataPool.Core.Access;
using DataPool.Core.Schema;
using DataPool.Core.Store;

namespace DataPool.Core.History;

/// <summary>One item of the change feed: a typed event of one pool record, at the history row <see cref="Cursor"/>.</summary>
public sealed record ChangeItem(string Cursor, string Type, string Entity, long Id, long? Run, DateTimeOffset At,
    IReadOnlyDictionary<string, FieldChange> Changes, string? Basis);

/// <summary>
/// A page of the feed. <see cref="Next"/> is the cursor to ask from next time: the last history row looked at,
/// so a page filtered down to few items (or none) still moves on, and nothing is skipped or repeated.
/// </summary>
public sealed record ChangePage(IReadOnlyList<ChangeItem> Items, string Next);

/// <param name="Since">The cursor of the last item already seen (0: from the beginning).</param>
/// <param name="Types">The item types wanted; null: every type.</param>
/// <param name="Grant">The viewer's grant: its community (a worker's) limits the records; null or no community: every community.</param>
public sealed record ChangeQuery(string Entity, long Since, int Limit, IReadOnlySet<string>? Types = null, EntityGrant? Grant = null);

/// <summary>
/// The change feed of one entity, in history order: departments poll it with the cursor they were last given.
/// Values are as stored; the caller presents them through the viewer's grant.
/// </summary>
public sealed class ChangeFeed(PoolDatabase database, SchemaCatalog catalog)
{
    /// <summary>History rows read per statement.</summary>
    private const int Chunk = 500;

    /// <summary>A page stops after this many rows even if few matched, so one request stays short; the cursor moves on.</summary>
    private const int MaxScanned = 20_000;

    public async Task<ChangePage> ReadAsync(ChangeQuery query, CancellationToken cancellationToken)
    {
        var entity = catalog.Entity(query.Entity);
        var scope = query.Grant is null ? null : RowScope.Condition(catalog, query.Grant, "p", "@community");
        var items = new List<ChangeItem>();
        var last = query.Since;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"SELECT {HistoryRows.Columns}, {GoneAtSource} FROM {HistoryRows.From} " +
            (scope is null ? "" : $"JOIN {EntityTables.TableName(entity.Name)} p ON p.{EntityTables.PoolId} = h.pool_id ") +
            "WHERE h.entity = @entity AND h.id > @after " + (scope is null ? "" : $"AND ({scope} OR h.changes LIKE @left) ") +
            "ORDER BY h.id LIMIT @chunk", null,
            ("@entity", entity.Name), ("@chunk", (long)Chunk));
        var after = command.AddParameter("@after", query.Since);
        if (scope is not null && query.Grant?.Community is { } community)
        {
            command.AddParameter("@community", community);
            // A record that left the community still shows the worker its move out: the old value is in the change.
            command.AddParameter("@left", $"%\"community_code\":[\"{EscapeLike(community)}\"%");
        }

        var scanned = 0;
        while (items.Count < query.Limit && scanned < MaxScanned)
        {
            var read = 0;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (items.Count < query.Limit && await reader.ReadAsync(cancellationToken))
                {
                    var entry = HistoryRows.Read(reader);
                    var goneAtSource = Convert.ToInt64(reader.GetValue(7), CultureInfo.InvariantCulture) != 0;
                    read++;
                    last = entry.Id;
                    // Every event of one history row goes in the same page: the cursor is the row.
                    items.AddRange(LifeEvents.Derive(entry, goneAtSource)
                        .Where(e => query.Types is null || query.Types.Contains(e.Type))
                        .Select(e => new ChangeItem(Cursor(entry.Id), e.Type, entry.Entity, entry.PoolId, entry.RunId, entry.At, e.Changes, e.Basis)));
                }
            }

            scanned += read;
            if (read < Chunk)
            {
                break;
            }

            after.Value = last;
        }

        return new ChangePage(items, Cursor(last));
    }

    /// <summary>
    /// Whether a deletion happened at a source (its records marked deleted) rather than by a merge into another
    /// record (its records moved away): only the first is a death.
    /// </summary>
    private const string GoneAtSource =
        "CASE WHEN h.change = 'deleted' AND EXISTS (SELECT 1 FROM dp_source_records s WHERE s.entity = h.entity AND s.pool_id = h.pool_id AND s.deleted = 1) THEN 1 ELSE 0 END";

    public static string Cursor(long historyId) => historyId.ToString(CultureInfo.InvariantCulture);

    public static bool TryParseCursor(string? text, out long historyId)
    {
        historyId = 0;
        return string.IsNullOrEmpty(text) || (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out historyId) && historyId >= 0);
    }

    private static string EscapeLike(string text) => text.Replace("%", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
}
