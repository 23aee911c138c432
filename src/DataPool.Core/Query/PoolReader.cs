using System.Data.Common;
using System.Runtime.CompilerServices;
using DataPool.Core.Access;
using DataPool.Core.History;
using DataPool.Core.Schema;
using DataPool.Core.Store;
using Microsoft.Extensions.Primitives;

namespace DataPool.Core.Query;

/// <summary>Why a read was refused: 404 (no such entity or record, or not in the viewer's community), 403 (not granted), 400 (a bad query).</summary>
public sealed record QueryProblem(int Status, string Title, Dictionary<string, string[]>? Errors = null)
{
    /// <summary>A record absent, or outside the viewer's community: one answer for both, so nothing leaks.</summary>
    public static QueryProblem NoRecord(string entity, long id, EntityGrant grant) =>
        new(NotFound, $"no {entity} record {id}{(grant.Community is null ? "" : " in your community")}");

    public const int BadRequest = 400;
    public const int Forbidden = 403;
    public const int NotFound = 404;
}

/// <summary>A query checked against the schema and the viewer's grant, ready to run through the viewer's <see cref="PoolView"/>.</summary>
public sealed record PreparedQuery(PoolView View, PoolQuery Query, IReadOnlyList<string> Fields, PageCursor? After)
{
    public Viewer Viewer => View.Viewer;

    public PoolEntity Entity => View.Entity;

    public EntityGrant Grant => View.Grant;
}

/// <summary>
/// A page of records: the fields shown, the records (pool id and fields as the viewer may see them), the cursor of the
/// next page, and when asked (<c>total=true</c>) how many records match in all, with the page's first row's place.
/// </summary>
public sealed record PoolPage(
    string Entity, IReadOnlyList<string> Fields,
    [property: System.Text.Json.Serialization.JsonConverter(typeof(PageItemsConverter))] IReadOnlyList<IReadOnlyDictionary<string, object?>> Items, string? Next)
{
    /// <summary>Every matching record the viewer may see (null unless asked for).</summary>
    public long? Total { get; init; }

    /// <summary>Rows before this page's first (0 unless paged by offset).</summary>
    public int Offset { get; init; }
}

/// <summary>One record as the viewer may see it; <c>AsOf</c> set when it is the record as it stood then.</summary>
public sealed record PoolRecord(string Entity, long PoolId, IReadOnlyDictionary<string, string?> Values, DateTimeOffset? AsOf);

/// <summary>
/// Reads the pool for a viewer: every read goes through the grant (fields, masking, community) and is audited.
/// A record outside the viewer's community answers 404 exactly as a record that does not exist, so a worker cannot
/// probe which pool ids belong to other communities.
/// </summary>
public sealed class PoolReader(PoolDatabase database, SchemaCatalog catalog, IPoolAccess access, PoolHistory history)
{
    // A validator builds its rules when constructed; views are kept per viewer (PoolAccess), and so are their validators.
    private readonly ConditionalWeakTable<PoolView, PoolQueryValidator> _validators = new();

    /// <summary>The viewer's guarded view of the entity, or why there is none: 404 no such entity, 403 not granted.</summary>
    public QueryProblem? View(Viewer viewer, string entityName, out PoolView view)
    {
        view = null!;
        if (!catalog.Entities.ContainsKey(entityName))
        {
            return new QueryProblem(QueryProblem.NotFound, $"no pool entity '{entityName}'");
        }

        if (access.ViewOf(viewer, entityName) is not { } granted)
        {
            return new QueryProblem(QueryProblem.Forbidden, $"{entityName} is not granted to you");
        }

        view = granted;
        return null;
    }

    public QueryProblem? Prepare(Viewer viewer, string entityName, IEnumerable<KeyValuePair<string, StringValues>> queryString, out PreparedQuery prepared)
    {
        prepared = null!;
        if (View(viewer, entityName, out var view) is { } refused)
        {
            return refused;
        }

        var entity = view.Entity;
        var query = PoolQuery.Parse(entityName, queryString, out var errors);
        var result = _validators.GetValue(view, v => new PoolQueryValidator(catalog, v)).Validate(query);
        foreach (var group in result.Errors.GroupBy(e => e.PropertyName))
        {
            errors[group.Key] = [.. group.Select(e => e.ErrorMessage)];
        }

        PageCursor? after = null;
        if (errors.Count == 0 && query.After is not null)
        {
            after = PageCursor.Decode(query.After, query.Sort, out var problem);
            if (after is null || after.Values.Select((v, i) => PageCursor.TryValue(entity.Fields[query.Sort[i].Field], v, out _)).Any(ok => !ok))
            {
                errors["after"] = [after is null ? problem : "'after' is not a cursor this API gave out"];
            }
        }

        if (errors.Count > 0)
        {
            return new QueryProblem(QueryProblem.BadRequest, string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value[0]}")), errors);
        }

        prepared = new PreparedQuery(view, query, query.Fields ?? view.Fields, after);
        return null;
    }

    public async Task<PoolPage> PageAsync(PreparedQuery prepared, string purpose, CancellationToken cancellationToken)
    {
        var (view, query) = (prepared.View, prepared.Query);
        var columns = Columns(prepared);
        long? total = null;
        var items = new List<IReadOnlyDictionary<string, object?>>();
        var ids = new List<long>();
        string? next = null;
        // The reader goes back before the audit is awaited: a reader held through the audit's commit would idle.
        await using (var lease = await database.ReadAsync(cancellationToken))
        {
            var connection = lease.Connection;
            if (query.CountTotal)
            {
                await using var count = Build(connection, prepared, keyset: false).Count();
                total = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            }

            await using var command = Build(connection, prepared).Select(columns, query.Sort, query.Limit + 1, query.Offset);
            string?[]? last = null;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (items.Count == query.Limit)
                {
                    // One row more than the page was read: there is a next page, and it starts after the last row shown.
                    next = new PageCursor(PageCursor.SortText(query.Sort), query.Sort.Select(k => last![columns.IndexOf(k.Field)]).ToList(), ids[^1]).Encode();
                    break;
                }

                last = Row(reader, columns.Count);
                var item = new Dictionary<string, object?>(StringComparer.Ordinal) { [EntityTables.PoolId] = reader.GetInt64(0) };
                for (var i = 0; i < prepared.Fields.Count; i++)
                {
                    item[prepared.Fields[i]] = view.Present(prepared.Fields[i], last[i]);
                }

                items.Add(item);
                ids.Add(reader.GetInt64(0));
            }
        }

        await view.AuditAsync(ids, prepared.Fields, purpose, cancellationToken);
        return new PoolPage(view.Entity.Name, prepared.Fields, items, next) { Total = total, Offset = query.Offset };
    }

    /// <summary>One record now, or as it stood at <paramref name="asOf"/>; null when absent or outside the viewer's community.</summary>
    public async Task<PoolRecord?> RecordAsync(PoolView view, long poolId, DateTimeOffset? asOf, string purpose, CancellationToken cancellationToken)
    {
        var (entity, grant, fields) = (view.Entity, view.Grant, view.Fields);
        string?[]? raw;
        await using (var lease = await database.ReadAsync(cancellationToken))
        await using (var command = new QuerySql(lease.Connection.CreateCommand(), database.Dialect, catalog, entity).Scope(grant).Id(poolId).Select(fields, [], 0))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            raw = await reader.ReadAsync(cancellationToken) ? Row(reader, fields.Count) : null;
        }

        if (asOf is { } at)
        {
            // The record as it stood: its community then must be the viewer's too (a worker's past residents stay theirs).
            var then = await history.AsOfAsync(entity.Name, poolId, at, cancellationToken);
            var inScope = grant.Community is null || raw is not null
                || (then is not null && view.InCommunity(then.GetValueOrDefault(RowScope.CommunityField)));
            raw = then is not null && inScope ? fields.Select(f => then.GetValueOrDefault(f)).ToArray() : null;
        }

        if (raw is null)
        {
            return null;
        }

        await view.AuditAsync([poolId], fields, purpose, cancellationToken);
        var values = fields.Select((f, i) => (f, view.Present(f, raw[i]))).ToDictionary(p => p.f, p => p.Item2, StringComparer.Ordinal);
        return new PoolRecord(entity.Name, poolId, values, asOf);
    }

    /// <summary>Whether the live record exists and lies within the grant's community.</summary>
    public async Task<bool> InScopeAsync(PoolView view, long poolId, CancellationToken cancellationToken)
    {
        await using var lease = await database.ReadAsync(cancellationToken);
        await using var command = new QuerySql(lease.Connection.CreateCommand(), database.Dialect, catalog, view.Entity).Scope(view.Grant).Id(poolId).Select([], [], 0);
        return await command.ExecuteScalarAsync(cancellationToken) is not (null or DBNull);
    }

    /// <summary>
    /// Every matching record, forward-only, as the viewer may see it. Rows are read a batch at a time and each batch is
    /// audited before any of its rows is handed on, so a client that drops the connection mid-export still leaves an
    /// audit entry for every row it may have received. Batches start small (an export cut off early audits little
    /// more than was sent) and grow to <see cref="AccessLog.Batch"/>; memory stays flat however many rows there are.
    /// </summary>
    public async IAsyncEnumerable<string?[]> StreamAsync(PreparedQuery prepared, string purpose, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = Build(connection, prepared).Select(prepared.Fields, prepared.Query.Sort, 0);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var batch = new List<string?[]>(FirstStreamBatch);
        var ids = new List<long>(FirstStreamBatch);
        var size = FirstStreamBatch;
        var more = true;
        while (more)
        {
            while (batch.Count < size && (more = await reader.ReadAsync(cancellationToken)))
            {
                var raw = Row(reader, prepared.Fields.Count);
                for (var i = 0; i < raw.Length; i++)
                {
                    raw[i] = prepared.View.Present(prepared.Fields[i], raw[i]);
                }

                batch.Add(raw);
                ids.Add(reader.GetInt64(0));
            }

            await prepared.View.AuditAsync(ids, prepared.Fields, purpose, cancellationToken);
            foreach (var row in batch)
            {
                yield return row;
            }

            batch.Clear();
            ids.Clear();
            size = Math.Min(size * 2, AccessLog.Batch);
        }
    }

    /// <summary>Rows in an export's first audited batch.</summary>
    public const int FirstStreamBatch = 100;

    /// <summary>The query's scope and filters, and unless <paramref name="keyset"/> is false the cursor's condition.</summary>
    private QuerySql Build(DbConnection connection, PreparedQuery prepared, bool keyset = true)
    {
        var sql = new QuerySql(connection.CreateCommand(), database.Dialect, catalog, prepared.Entity).Scope(prepared.Grant);
        foreach (var filter in prepared.Query.Filters)
        {
            sql.Where(filter);
        }

        if (keyset && prepared.After is { } after)
        {
            var values = after.Values.Select((v, i) => PageCursor.TryValue(prepared.Entity.Fields[prepared.Query.Sort[i].Field], v, out var value) ? value : null).ToList();
            sql.After(prepared.Query.Sort, values, after.PoolId);
        }

        return sql;
    }

    /// <summary>The columns read: the fields shown, then any sort field not shown (the cursor needs its value).</summary>
    private static List<string> Columns(PreparedQuery prepared) =>
        [.. prepared.Fields, .. prepared.Query.Sort.Select(k => k.Field).Where(f => !prepared.Fields.Contains(f))];

    private static string?[] Row(DbDataReader reader, int count)
    {
        var row = new string?[count];
        for (var i = 0; i < count; i++)
        {
            row[i] = FieldValues.Text(reader.GetValue(i + 1));
        }

        return row;
    }
}
