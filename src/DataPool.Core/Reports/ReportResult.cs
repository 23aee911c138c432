using System.Data.Common;
using System.Globalization;
using DataPool.Core.Schema;
using DataPool.Core.Store;

namespace DataPool.Core.Reports;

/// <summary>One group of a report: its values as stored (codes), as shown (labels), its numbers and the ids behind each.</summary>
public sealed record ReportRow(IReadOnlyList<string?> Groups, IReadOnlyList<string?> Shown, IReadOnlyList<decimal?> Values, IReadOnlyList<long[]> Members);

/// <summary>What one generation read: the snapshot's time and last included sync run, the groups and the totals.</summary>
public sealed record ReportResult(DateTimeOffset AsOf, long? SnapshotRunId, IReadOnlyList<ReportRow> Rows, IReadOnlyList<decimal?> Totals);

/// <summary>
/// Reads a report from one consistent snapshot of the pool: one read transaction (SQLite's WAL snapshot of a
/// deferred transaction; PostgreSQL REPEATABLE READ), so the groups, the totals and the recorded last sync run all
/// describe the same state even while a sync commits.
/// </summary>
public static class ReportReader
{
    /// <summary>China Standard Time (UTC+8, no daylight saving): the date ages are counted at.</summary>
    public static DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(TimeSpan.FromHours(8)).DateTime);

    public static async Task<ReportResult> ReadAsync(PoolDatabase database, ReportDefinition definition, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await database.Dialect.BeginSnapshotAsync(connection, cancellationToken);
        // The first read fixes the snapshot; the clock is read right after it.
        var snapshotRun = await connection.ScalarAsync<long?>("SELECT MAX(id) FROM dp_runs WHERE status NOT IN ('running', 'queued')", transaction, cancellationToken);
        var asOf = clock.GetUtcNow();
        var query = ReportQuery.Build(database.Catalog, definition, database.Dialect, LocalDate(asOf));
        var rows = new List<ReportRow>();
        var fields = new ReportFields(database.Catalog, definition);
        var groupFields = definition.GroupBy.Select(g => fields.Require(g.Field)).ToList();
        var measures = definition.Measures.Count;
        var aggregated = query.Aggregated.ToList();
        await using (var command = connection.Command(query.GroupSql, transaction, [.. query.Parameters]))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var groups = groupFields.Select((_, i) => Text(reader, i)).ToList();
                var shown = groupFields.Select((f, i) => groups[i] is null ? NotRecorded : Show(database.Catalog, f, groups[i])).ToList();
                var lists = Enumerable.Range(0, measures).Select(_ => new List<long>()).ToArray();
                for (var first = 0; first < measures; first += ReportQuery.MeasuresPerList)
                {
                    var column = groupFields.Count + aggregated.Count + first / ReportQuery.MeasuresPerList;
                    MemberIds.ParsePacked(Text(reader, column), Math.Min(ReportQuery.MeasuresPerList, measures - first), lists, first);
                }

                var members = lists.Select(l => { l.Sort(); return l.ToArray(); }).ToList();
                // A count is the number of its ids, as COUNT(CASE WHEN … THEN 1 END) would give it (scale 0, never null).
                var values = Enumerable.Range(0, measures).Select(m => aggregated.IndexOf(m) is var a and >= 0
                    ? Number(reader, groupFields.Count + a) : (decimal?)members[m].Length).ToList();
                rows.Add(new ReportRow(groups, shown, values, members));
            }
        }

        // The counts' totals add up the groups (every row is in exactly one); the rest need the rows themselves.
        var totals = Enumerable.Range(0, measures).Select(m => aggregated.Contains(m) ? null : (decimal?)rows.Sum(r => r.Values[m]!.Value)).ToList();
        if (query.TotalsSql is not null)
        {
            await using var command = connection.Command(query.TotalsSql, transaction, [.. query.Parameters]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                for (var a = 0; a < aggregated.Count; a++)
                {
                    totals[aggregated[a]] = Number(reader, a);
                }
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return new ReportResult(asOf, snapshotRun, rows, totals);
    }

    /// <summary>
    /// How a group without a value is shown: the records whose community (or any grouping field) was never recorded
    /// stay in the report, on a labelled row of their own, so every report of the same records counts the same people.
    /// </summary>
    public const string NotRecorded = "（未登记）";

    /// <summary>A group value as a person reads it: a code's label, yes/no, or the value itself.</summary>
    public static string? Show(SchemaCatalog catalog, FieldRef field, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (field.Type == FieldTypes.Code && field.Field.CodeTable is { } table && catalog.CodeTables.TryGetValue(table, out var codes)
            && codes.Codes.TryGetValue(value, out var label))
        {
            return label;
        }

        return field.Type == FieldTypes.Bool ? (value == "0" ? "否" : "是") : value;
    }

    private static string? Text(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Convert.ToString(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    private static decimal? Number(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Math.Round(Convert.ToDecimal(reader.GetValue(ordinal), CultureInfo.InvariantCulture), 6);
}
