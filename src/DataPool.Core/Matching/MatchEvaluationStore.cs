using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using DataPool.Core.Store;

namespace DataPool.Core.Matching;

/// <summary>One row of a truth file: a source record and the entity it truly belongs to.</summary>
public sealed record TruthRow(string SourceId, string SourceKey, string Entity);

/// <summary>
/// The files and records <c>match evaluate</c> works on: the truth file (columns source_id, source_key, entity), the
/// labelled source records with their pool persons (read from the provenance layer: the mapped values each source
/// delivered, not the pool's merged ones), and the audit file of pairs the pool got wrong.
/// </summary>
public static class MatchEvaluationStore
{
    private static readonly CsvConfiguration Csv = new(CultureInfo.InvariantCulture) { InjectionOptions = InjectionOptions.Escape, PrepareHeaderForMatch = a => a.Header.Trim().ToLowerInvariant() };

    /// <summary>The most rows a truth file may hold: a labelled sample, not a copy of the pool.</summary>
    public const int MaxTruthRows = 200_000;

    /// <summary>The longest value a truth file's cell may hold (source ids and keys are short).</summary>
    private const int MaxValue = 256;

    public static List<TruthRow> ReadTruth(string path)
    {
        using var reader = new StreamReader(path);
        return ReadTruth(reader, Path.GetFileName(path));
    }

    /// <summary>
    /// Reads a truth file (columns source_id, source_key, entity). A file that is not one (missing columns, malformed CSV,
    /// too many rows, overlong or empty values) is refused with an <see cref="InvalidDataException"/> that says why.
    /// </summary>
    public static List<TruthRow> ReadTruth(TextReader text, string name)
    {
        var rows = new List<TruthRow>();
        try
        {
            using var csv = new CsvReader(text, Csv);
            if (!csv.Read() || !csv.ReadHeader())
            {
                throw new InvalidDataException($"{name}: empty; the truth file needs the columns source_id, source_key, entity");
            }

            var missing = new[] { "source_id", "source_key", "entity" }.Where(c => csv.HeaderRecord?.Select(h => h.Trim().ToLowerInvariant()).Contains(c) != true).ToList();
            if (missing.Count > 0)
            {
                throw new InvalidDataException($"{name}: the truth file needs the columns source_id, source_key, entity (missing: {string.Join(", ", missing)})");
            }

            while (csv.Read())
            {
                if (rows.Count == MaxTruthRows)
                {
                    throw new InvalidDataException($"{name}: more than {MaxTruthRows} rows; evaluate on a labelled sample");
                }

                var row = new TruthRow(Cell(csv, "source_id"), Cell(csv, "source_key"), Cell(csv, "entity"));
                if (row.SourceId.Length == 0 || row.SourceKey.Length == 0 || row.Entity.Length == 0 || Math.Max(row.SourceId.Length, Math.Max(row.SourceKey.Length, row.Entity.Length)) > MaxValue)
                {
                    throw new InvalidDataException($"{name}: line {csv.Parser.RawRow}: source_id, source_key and entity must each hold 1 to {MaxValue} characters");
                }

                rows.Add(row);
            }
        }
        catch (CsvHelperException e)
        {
            throw new InvalidDataException($"{name}: not a readable CSV file near line {e.Context?.Parser?.RawRow}");
        }

        return rows;
    }

    private static string Cell(CsvReader csv, string column) => csv.GetField(column)?.Trim() ?? "";

    /// <summary>
    /// The labelled sample judged against the pool, as <c>match evaluate</c> and the review page both show it: the records
    /// loaded (<see cref="LoadAsync"/>) and evaluated with the weights the pool links with now.
    /// </summary>
    public static async Task<(EvaluationReport Report, List<EvaluatedRecord> Records)> EvaluateAsync(PoolDatabase database, IReadOnlyList<TruthRow> truth,
        MatchSettings settings, int maxAudit = 10_000, CancellationToken cancellationToken = default)
    {
        var records = await LoadAsync(database, truth, cancellationToken);
        var entities = database.Catalog.Entities.Values.Where(MatchRecord.IsMatched).ToList();
        var weights = entities.Count == 1 ? await MatchModelStore.CurrentAsync(database, entities[0].Name, cancellationToken) : null;
        return (MatchEvaluation.Evaluate(records, settings, weights, maxAudit), records);
    }

    /// <summary>The labelled person records: each truth row's source record (live), its pool person and its values; a row not found has neither.</summary>
    public static async Task<List<EvaluatedRecord>> LoadAsync(PoolDatabase database, IReadOnlyList<TruthRow> truth, CancellationToken cancellationToken = default)
    {
        var found = new Dictionary<(string, string), (long? Pool, MatchRecord Record)>();
        await using var connection = await database.OpenAsync(cancellationToken);
        var matched = database.Catalog.Entities.Values.Where(MatchRecord.IsMatched).Select(e => e.Name).ToList();
        await using (var command = connection.Command(
            $"SELECT source_id, source_key, pool_id, data FROM dp_source_records WHERE deleted = 0 AND {database.Dialect.InList("entity", "@entities")}",
            null, ("@entities", database.Dialect.ListValue(matched))))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                found[(reader.GetString(0), reader.GetString(1))] = (reader.IsDBNull(2) ? null : reader.GetInt64(2), MatchRecord.FromStored(reader.GetString(3)));
            }
        }

        var redirects = new Dictionary<long, long>();
        await using (var command = connection.Command("SELECT from_pool, to_pool FROM dp_match_redirects"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                redirects[reader.GetInt64(0)] = reader.GetInt64(1);
            }
        }

        long Resolve(long pool)
        {
            for (var hops = 0; redirects.TryGetValue(pool, out var next) && hops < 64; hops++)
            {
                pool = next;
            }

            return pool;
        }

        var empty = MatchRecord.From(new Dictionary<string, string>());
        return truth.Select(t => found.TryGetValue((t.SourceId, t.SourceKey), out var f)
                ? new EvaluatedRecord(t.SourceId, t.SourceKey, t.Entity, f.Pool is { } p ? Resolve(p) : null, f.Record)
                : new EvaluatedRecord(t.SourceId, t.SourceKey, t.Entity, null, empty))
            .ToList();
    }

    /// <summary>Writes the audit pairs: both records, the total, and every field's two values, outcome and weight.</summary>
    public static void WriteAudit(string path, IEnumerable<AuditPair> pairs)
    {
        using var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false));
        using var csv = new CsvWriter(writer, Csv);
        var fields = new[] { "id_number", "name", "birth_date", "gender", "address", "phone", "community_code" };
        foreach (var column in new[] { "kind", "left_source", "left_key", "left_entity", "left_pool", "right_source", "right_key", "right_entity", "right_pool", "score" }
                     .Concat(fields.SelectMany(f => new[] { $"{f}_left", $"{f}_right", $"{f}_outcome", $"{f}_weight" })).Append("household_weight"))
        {
            csv.WriteField(column);
        }

        csv.NextRecord();
        foreach (var pair in pairs)
        {
            csv.WriteField(pair.Kind);
            foreach (var side in new[] { pair.Left, pair.Right })
            {
                csv.WriteField(side.SourceId);
                csv.WriteField(side.SourceKey);
                csv.WriteField(side.Entity);
                csv.WriteField(side.Pool?.ToString(CultureInfo.InvariantCulture) ?? "");
            }

            csv.WriteField(pair.Score.Total.ToString(CultureInfo.InvariantCulture));
            foreach (var field in fields)
            {
                var score = pair.Score.Fields.Single(f => f.Field == field);
                csv.WriteField(score.Left ?? "");
                csv.WriteField(score.Right ?? "");
                csv.WriteField(score.Outcome);
                csv.WriteField(score.Weight.ToString(CultureInfo.InvariantCulture));
            }

            csv.WriteField((pair.Score.Fields.SingleOrDefault(f => f.Field == MatchScorer.HouseholdRow)?.Weight ?? 0).ToString(CultureInfo.InvariantCulture));

            csv.NextRecord();
        }
    }
}
