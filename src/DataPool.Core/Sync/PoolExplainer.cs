using System.Globalization;
using System.Text.Json;
using DataPool.Core.Store;
using DataPool.Core.Store.Writing;

namespace DataPool.Core.Sync;

/// <summary>Where one value came from: the source record, the row it was read from, and the run that last changed it.</summary>
public sealed record ValueOrigin(string Value, string SourceId, string Stream, string? Location, long RunId, string? At, long RecordId);

/// <summary>One field of a pool record: its value, the origin that won survivorship, and the values other sources hold.</summary>
public sealed record FieldExplanation(string Field, string? Value, string Survivorship, ValueOrigin? From, IReadOnlyList<ValueOrigin> Competing);

/// <summary>
/// A pool record explained field by field. <paramref name="RedirectedFrom"/>: the id asked for, when it was
/// merged into this record. <paramref name="Conflicts"/>: the fields whose linked sources disagree.
/// </summary>
public sealed record Explanation(string Entity, long PoolId, bool Deleted, IReadOnlyList<FieldExplanation> Fields,
    long? RedirectedFrom = null, IReadOnlyList<FieldConflict>? Conflicts = null)
{
    /// <summary>
    /// The explanation as the viewer may see it: fields not granted are dropped everywhere (their values, origins,
    /// competing values and conflicts alike), and every value of a masked field is masked, the competing and
    /// conflicting ones too, since a source's other spelling of an address is the address.
    /// </summary>
    public Explanation ShownTo(Access.PoolView view) => this with
    {
        Fields = Fields.Where(f => view.Shows(f.Field)).Select(f => f with
        {
            Value = view.Present(f.Field, f.Value),
            From = f.From is null ? null : f.From with { Value = view.Present(f.Field, f.From.Value) ?? "" },
            Competing = f.Competing.Select(c => c with { Value = view.Present(f.Field, c.Value) ?? "" }).ToList(),
        }).ToList(),
        Conflicts = Conflicts?.Where(c => view.Shows(c.Field)).Select(c => c with
        {
            Chosen = view.Present(c.Field, c.Chosen),
            Values = c.Values.Select(v => v with { Value = view.Present(c.Field, v.Value) ?? "" }).ToList(),
        }).ToList(),
    };
}

/// <summary>Two or more sources supplying different values for one field of one record, and the value survivorship chose.</summary>
public sealed record FieldConflict(string Field, string? Chosen, IReadOnlyList<ConflictingValue> Values);

/// <summary>One side of a conflict: the source record and the value it holds.</summary>
public sealed record ConflictingValue(long Record, string Source, string Value);

/// <summary>
/// Explains a golden record: every field's value, the source and row that supplied it, when, and the
/// competing values of the other sources linked to the record (what survivorship decided between).
/// </summary>
public sealed class PoolExplainer(PoolDatabase database)
{
    public async Task<Explanation?> ExplainAsync(string entityName, long poolId, CancellationToken cancellationToken = default)
    {
        var entity = database.Catalog.Entity(entityName);
        var fields = entity.Fields.Keys.ToArray();
        await using var connection = await database.OpenAsync(cancellationToken);
        var asked = poolId;
        poolId = await Redirects.ResolveAsync(connection, entity.Name, poolId, cancellationToken);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        Dictionary<string, long> provenance;
        bool deleted;
        await using (var command = connection.Command(
            $"SELECT {string.Join(", ", fields)}, {EntityTables.Provenance}, {EntityTables.Deleted} FROM {EntityTables.TableName(entity.Name)} WHERE {EntityTables.PoolId} = @id",
            null, ("@id", poolId)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            for (var i = 0; i < fields.Length; i++)
            {
                if (!reader.IsDBNull(i))
                {
                    values[fields[i]] = Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)!;
                }
            }

            provenance = GoldenColumns.ReadProvenance(reader.GetNullableString(fields.Length), values.Keys);
            deleted = Convert.ToInt64(reader.GetValue(fields.Length + 1), CultureInfo.InvariantCulture) != 0;
        }

        var records = new List<(long Id, string Source, string Stream, string? Location, long Run, string? At, Dictionary<string, string> Data)>();
        await using (var command = connection.Command(
            """
            SELECT r.id, r.source_id, r.stream, r.location, r.changed_run, runs.finished_at, r.data
            FROM dp_source_records r LEFT JOIN dp_runs runs ON runs.id = r.changed_run
            WHERE r.entity = @entity AND r.pool_id = @id AND r.deleted = 0
            ORDER BY r.id
            """, null, ("@entity", entity.Name), ("@id", poolId)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                records.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetNullableString(3), reader.GetInt64(4),
                    reader.GetNullableString(5), JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(6)) ?? []));
            }
        }

        var explained = entity.Fields.Values.Select(field =>
        {
            var origins = records
                .Where(r => r.Data.ContainsKey(field.Name))
                .Select(r => new ValueOrigin(r.Data[field.Name], r.Source, r.Stream, r.Location, r.Run, r.At, r.Id))
                .ToList();
            var from = provenance.TryGetValue(field.Name, out var recordId) ? origins.FirstOrDefault(o => o.RecordId == recordId) : null;
            var competing = origins.Where(o => o.RecordId != from?.RecordId && o.Value != values.GetValueOrDefault(field.Name)).ToList();
            return new FieldExplanation(field.Name, values.GetValueOrDefault(field.Name), field.Survivorship, from, competing);
        }).ToList();
        var conflicts = new List<FieldConflict>();
        await using (var command = connection.Command(
            "SELECT field, chosen, candidates FROM dp_match_conflicts WHERE entity = @entity AND pool_id = @id ORDER BY field", null, ("@entity", entity.Name), ("@id", poolId)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var held = JsonSerializer.Deserialize<List<JsonElement>>(reader.GetString(2)) ?? [];
                conflicts.Add(new FieldConflict(reader.GetString(0), reader.GetNullableString(1),
                    held.Select(h => new ConflictingValue(h.GetProperty("record").GetInt64(), h.GetProperty("source").GetString()!, h.GetProperty("value").GetString()!)).ToList()));
            }
        }

        return new Explanation(entity.Name, poolId, deleted, explained, asked == poolId ? null : asked, conflicts);
    }
}
