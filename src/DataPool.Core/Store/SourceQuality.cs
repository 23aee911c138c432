using System.Globalization;
using System.Text.Json;
using DataPool.Core.Schema;

namespace DataPool.Core.Store;

/// <summary>What a department needs to clean its own system, per source: how fresh, how complete, how clean, how consistent.</summary>
public sealed record SourceQuality(string Id, string Name, string Department, string Kind, Freshness Freshness,
    IReadOnlyList<StreamCompleteness> Streams, IReadOnlyList<RunQuarantine> Runs, long OpenQuarantine, SourceConflicts Conflicts);

/// <summary>
/// The source's last run, its last successful sync (the time the pool last confirmed its data) and its last run that
/// changed anything; <see cref="AgeHours"/> is the hours since the last successful sync, null when it never succeeded.
/// </summary>
public sealed record Freshness(long? LastRunId, string? LastRunStatus, string? LastRunAt, string? LastSuccessAt, string? LastChangeAt, double? AgeHours);

/// <summary>Of the stream's live records, how many hold a value for each field its definition maps.</summary>
public sealed record StreamCompleteness(string Stream, string Entity, long Records, IReadOnlyList<FieldCompleteness> Fields);

public sealed record FieldCompleteness(string Field, Labels Labels, long Filled, double Share);

/// <summary>One finished run: rows read, rows quarantined and their share.</summary>
public sealed record RunQuarantine(long RunId, string StartedAt, string Status, long Read, long Quarantined, double Rate);

/// <summary>
/// Where this source's values disagree with another source's for the same pool record (from provenance, as
/// survivorship recorded it): records and fields in conflict, how often this source's value lost, and with whom.
/// Counts only: the values themselves are personal and stay behind the pool's guard.
/// </summary>
public sealed record SourceConflicts(long Records, IReadOnlyList<FieldConflictCount> Fields, IReadOnlyList<SourceConflictCount> With);

public sealed record FieldConflictCount(string Entity, string Field, Labels Labels, long Records, long Overruled);

public sealed record SourceConflictCount(string Source, long Records);

/// <summary>
/// Reads the data-quality measures from the operational tables (<c>dp_sources</c>, <c>dp_runs</c>,
/// <c>dp_source_records</c>, <c>dp_quarantine</c>) and the conflicts survivorship recorded (<c>dp_match_conflicts</c>).
/// Aggregates only: nothing personal leaves here.
/// </summary>
public sealed class SourceQualityReader(PoolDatabase database, SourceRegistry registry, TimeProvider clock)
{
    /// <summary>How many recent runs the quarantine rate is drawn over.</summary>
    public const int RecentRuns = 12;

    /// <summary>Every source, or those of one department, by department then id.</summary>
    public async Task<IReadOnlyList<SourceQuality>> ReadAsync(string? department, CancellationToken cancellationToken = default)
    {
        var sources = (await registry.ListAsync(cancellationToken))
            .Where(s => department is null || s.Department == department)
            .OrderBy(s => s.Department, StringComparer.Ordinal).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();
        var conflicts = await ConflictsAsync(sources.Select(s => s.Id).ToHashSet(StringComparer.Ordinal), cancellationToken);
        var result = new List<SourceQuality>();
        await using var connection = await database.OpenAsync(cancellationToken);
        foreach (var source in sources)
        {
            var runs = await RunsAsync(connection, source.Id, cancellationToken);
            result.Add(new SourceQuality(source.Id, source.Name, source.Department, source.Kind,
                await FreshnessAsync(connection, source.Id, cancellationToken),
                await CompletenessAsync(connection, source.Id, cancellationToken),
                runs,
                await connection.ScalarAsync<long>("SELECT COUNT(*) FROM dp_quarantine WHERE source_id = @s AND status = 'open'", null, cancellationToken, ("@s", source.Id)),
                conflicts.TryGetValue(source.Id, out var c) ? c.Result() : new SourceConflicts(0, [], [])));
        }

        return result;
    }

    private async Task<Freshness> FreshnessAsync(System.Data.Common.DbConnection connection, string sourceId, CancellationToken cancellationToken)
    {
        async Task<(long? Id, string? Status, string? At)> One(string condition)
        {
            await using var command = connection.Command(
                $"SELECT id, status, COALESCE(finished_at, started_at) FROM dp_runs WHERE source_id = @s{condition} ORDER BY id DESC LIMIT 1", null, ("@s", sourceId));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetString(1), reader.GetString(2)) : (null, null, null);
        }

        var last = await One("");
        var success = await One(" AND status = 'succeeded'");
        var change = await One(" AND status = 'succeeded' AND (new + updated + deleted) > 0");
        double? age = success.At is { } at
            ? Math.Round((clock.GetUtcNow() - DateTimeOffset.Parse(at, CultureInfo.InvariantCulture)).TotalHours, 2)
            : null;
        return new Freshness(last.Id, last.Status, last.At, success.At, change.At, age);
    }

    private async Task<List<RunQuarantine>> RunsAsync(System.Data.Common.DbConnection connection, string sourceId, CancellationToken cancellationToken)
    {
        var runs = new List<RunQuarantine>();
        await using var command = connection.Command(
            "SELECT id, started_at, status, read, quarantined FROM dp_runs WHERE source_id = @s AND status <> 'running' ORDER BY id DESC LIMIT @n",
            null, ("@s", sourceId), ("@n", (long)RecentRuns));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (read, quarantined) = (reader.GetInt64(3), reader.GetInt64(4));
            runs.Add(new RunQuarantine(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), read, quarantined,
                read == 0 ? 0 : Math.Round((double)quarantined / read, 4)));
        }

        runs.Reverse();
        return runs;
    }

    /// <summary>One scan per stream: the live records, and per mapped field those holding a value.</summary>
    private async Task<List<StreamCompleteness>> CompletenessAsync(System.Data.Common.DbConnection connection, string sourceId, CancellationToken cancellationToken)
    {
        var loaded = await TryLoadAsync(sourceId, cancellationToken);
        var streams = new List<StreamCompleteness>();
        foreach (var stream in loaded?.Definition.Streams ?? [])
        {
            if (!database.Catalog.Entities.TryGetValue(stream.Entity, out var entity))
            {
                continue;
            }

            var fields = stream.Fields.Keys.Where(entity.Fields.ContainsKey).ToList();
            var parameters = new List<(string, object?)> { ("@s", sourceId), ("@stream", stream.Name) };
            var sums = fields.Select((field, i) =>
            {
                var name = "@f" + i.ToString(CultureInfo.InvariantCulture);
                parameters.Add((name, database.Dialect.JsonKey(field)));
                var value = database.Dialect.JsonText("data", name);
                return $"SUM(CASE WHEN {value} IS NOT NULL AND {value} <> '' THEN 1 ELSE 0 END)";
            });
            await using var command = connection.Command(
                $"SELECT {string.Join(", ", sums.Prepend("COUNT(*)"))} FROM dp_source_records WHERE source_id = @s AND stream = @stream AND deleted = 0",
                null, [.. parameters]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var records = reader.GetInt64(0);
            streams.Add(new StreamCompleteness(stream.Name, stream.Entity, records, fields.Select((field, i) =>
            {
                var filled = reader.IsDBNull(i + 1) ? 0 : Convert.ToInt64(reader.GetValue(i + 1), CultureInfo.InvariantCulture);
                return new FieldCompleteness(field, entity.Fields[field].Labels, filled, records == 0 ? 0 : Math.Round((double)filled / records, 4));
            }).ToList()));
        }

        return streams;
    }

    /// <summary>A stored definition that no longer loads (schema or connector kinds changed) has no mapped fields to measure.</summary>
    private async Task<Sources.LoadedSource?> TryLoadAsync(string sourceId, CancellationToken cancellationToken)
    {
        try
        {
            return await registry.GetAsync(sourceId, cancellationToken);
        }
        catch (Sources.SourceDefinitionException)
        {
            return null;
        }
    }

    /// <summary>Walks the recorded conflicts once, counting for every source of interest what it disagreed on and with whom.</summary>
    private async Task<Dictionary<string, ConflictTally>> ConflictsAsync(HashSet<string> sources, CancellationToken cancellationToken)
    {
        var tallies = sources.ToDictionary(s => s, _ => new ConflictTally(database.Catalog), StringComparer.Ordinal);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT entity, pool_id, field, chosen, candidates FROM dp_match_conflicts");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (entity, poolId, field, chosen) = (reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetNullableString(3));
            var held = JsonSerializer.Deserialize<List<Held>>(reader.GetString(4), Web) ?? [];
            foreach (var mine in held.Where(h => h.Source is not null && tallies.ContainsKey(h.Source)))
            {
                var others = held.Where(h => h.Source != mine.Source && h.Value != mine.Value).Select(h => h.Source!).Distinct(StringComparer.Ordinal).ToList();
                if (others.Count > 0)
                {
                    tallies[mine.Source!].Add(entity, poolId, field, overruled: mine.Value != chosen, others);
                }
            }
        }

        return tallies;
    }

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private sealed record Held(long Record, string? Source, string? Value);

    private sealed class ConflictTally(SchemaCatalog catalog)
    {
        private readonly HashSet<(string, long)> _records = [];
        private readonly Dictionary<(string Entity, string Field), (HashSet<long> Records, long Overruled)> _fields = [];
        private readonly Dictionary<string, HashSet<(string, long)>> _with = new(StringComparer.Ordinal);

        public void Add(string entity, long poolId, string field, bool overruled, IEnumerable<string> others)
        {
            _records.Add((entity, poolId));
            var tally = _fields.TryGetValue((entity, field), out var t) ? t : ([], 0);
            tally.Records.Add(poolId);
            _fields[(entity, field)] = (tally.Records, tally.Overruled + (overruled ? 1 : 0));
            foreach (var other in others)
            {
                (_with.TryGetValue(other, out var set) ? set : _with[other] = []).Add((entity, poolId));
            }
        }

        public SourceConflicts Result() => new(_records.Count,
            _fields.Select(f => new FieldConflictCount(f.Key.Entity, f.Key.Field, LabelsOf(f.Key.Entity, f.Key.Field), f.Value.Records.Count, f.Value.Overruled))
                .OrderByDescending(f => f.Records).ThenBy(f => f.Field, StringComparer.Ordinal).ToList(),
            _with.Select(w => new SourceConflictCount(w.Key, w.Value.Count)).OrderByDescending(w => w.Records).ThenBy(w => w.Source, StringComparer.Ordinal).ToList());

        private Labels LabelsOf(string entity, string field) =>
            catalog.Entities.TryGetValue(entity, out var e) && e.Fields.TryGetValue(field, out var f) ? f.Labels : new Labels(field, field);
    }
}
