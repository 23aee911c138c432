using System.Data.Common;
using System.Text.Json;
using DataPool.Core.Store;

namespace DataPool.Core.Sync;

/// <summary>
/// A row that failed, as the source delivered it (column → text), with every reason and what became of it; its
/// source key when readable, and how many runs have seen the same bad row.
/// </summary>
public sealed record QuarantinedRow(long Id, string SourceId, string Stream, string Status, string? Location, long? RowNumber,
    IReadOnlyDictionary<string, string?> Raw, IReadOnlyList<string> Reasons, long FirstRun, long LastRun, string? Resolution,
    string? SourceKey = null, long SeenCount = 1);

/// <summary>One page of quarantined rows; <c>NextAfter</c> is the <c>?after=</c> of the next page, null on the last.</summary>
public sealed record QuarantinePage(IReadOnlyList<QuarantinedRow> Items, long? NextAfter);

/// <summary>The list's filters; every one is optional. <c>Run</c> matches rows that run saw (first run ≤ run ≤ last run).</summary>
public sealed record QuarantineFilter(string? Source, string? Stream, string? Status, long? Run, string? Search, long? After, int Limit);

/// <summary>Reads and resolves dp_quarantine (written by the sync pipeline).</summary>
public static class QuarantineQueries
{
    public const string Open = "open";
    public const string Replayed = "replayed";
    public const string Dismissed = "dismissed";

    /// <summary>Closed by a sync: the row arrived clean (or changed) in a later run.</summary>
    public const string Resolved = "resolved";
    public static readonly IReadOnlySet<string> Statuses = new HashSet<string>(StringComparer.Ordinal) { Open, Replayed, Dismissed, Resolved };

    private const string Columns = "id, source_id, stream, status, location, row_number, raw, reasons, first_run, last_run, resolution, source_key, seen_count";

    /// <summary>Keyset paging by id (stable while syncs add rows); filters become conditions only when given, so no typeless NULL parameter reaches PostgreSQL.</summary>
    public static async Task<QuarantinePage> ListAsync(PoolDatabase database, QuarantineFilter filter, CancellationToken cancellationToken)
    {
        var conditions = new List<string>();
        var parameters = new List<(string Name, object? Value)>();
        void Where(string condition, string name, object value)
        {
            conditions.Add(condition);
            parameters.Add((name, value));
        }

        if (filter.Source is { } source)
        {
            Where("source_id = @source", "@source", source);
        }

        if (filter.Stream is { } stream)
        {
            Where("stream = @stream", "@stream", stream);
        }

        if (filter.Status is { } status)
        {
            Where("status = @status", "@status", status);
        }

        if (filter.Run is { } run)
        {
            Where("first_run <= @run AND last_run >= @run", "@run", run);
        }

        if (filter.Search is { Length: > 0 } search)
        {
            // Case-insensitive on both stores (PostgreSQL's LIKE is not); the user's % and _ are literal.
            Where("LOWER(reasons) LIKE @search ESCAPE '\\'", "@search", "%" + EscapeLike(search.ToLowerInvariant()) + "%");
        }

        if (filter.After is { } after)
        {
            Where("id > @after", "@after", after);
        }

        parameters.Add(("@limit", filter.Limit + 1));
        var sql = $"SELECT {Columns} FROM dp_quarantine{(conditions.Count > 0 ? " WHERE " + string.Join(" AND ", conditions) : "")} ORDER BY id LIMIT @limit";
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(sql, null, [.. parameters]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<QuarantinedRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(Read(reader));
        }

        // One row more than asked says whether another page exists, without a COUNT.
        return rows.Count > filter.Limit
            ? new QuarantinePage(rows[..filter.Limit], rows[filter.Limit - 1].Id)
            : new QuarantinePage(rows, null);
    }

    public static async Task<QuarantinedRow?> GetAsync(PoolDatabase database, long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM dp_quarantine WHERE id = @id", null, ("@id", id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Dismisses an open row with the reason; false when the row is not (or no longer) open.</summary>
    public static async Task<bool> DismissAsync(PoolDatabase database, long id, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("UPDATE dp_quarantine SET status = @dismissed, resolution = @reason WHERE id = @id AND status = @open",
            null, cancellationToken, ("@dismissed", Dismissed), ("@reason", reason), ("@id", id), ("@open", Open)) == 1;
    }

    private static QuarantinedRow Read(DbDataReader reader) => new(
        reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetNullableString(4), reader.GetNullableInt64(5),
        JsonSerializer.Deserialize<Dictionary<string, string?>>(reader.GetString(6)) ?? [],
        JsonSerializer.Deserialize<List<string>>(reader.GetString(7)) ?? [],
        reader.GetInt64(8), reader.GetInt64(9), reader.GetNullableString(10), reader.GetNullableString(11), reader.GetInt64(12));

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
