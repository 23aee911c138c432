using System.Data.Common;
using System.Text.Json;
using DataPool.Core.Store;

namespace DataPool.Core.Forms;

/// <summary>
/// Reads a household's form from the pool: the household, its community and dwelling, its members (persons of the
/// household number not marked moved out or dead), and each member's departmental records, every value with its
/// provenance (<c>_provenance</c> on the pool row → <c>dp_source_records</c> → source, department, run time).
/// </summary>
public sealed class HouseholdFormReader(PoolDatabase database)
{
    /// <summary>Residence status codes of persons no longer members (schemas/codes/residence_status.json).</summary>
    public static readonly IReadOnlySet<string> GoneStatuses = new HashSet<string> { "2", "3" };

    public async Task<HouseholdForm?> ReadAsync(FormDefinition form, string householdNo, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var household = await RowsAsync(connection, "household", "household_no", [householdNo], cancellationToken);
        if (household.Count == 0)
        {
            return null;
        }

        var communityCode = household[0].Values.GetValueOrDefault("community_code");
        var rowsByEntity = new Dictionary<string, List<PoolRow>>(StringComparer.Ordinal) { ["household"] = household };
        rowsByEntity["community"] = communityCode is null ? [] : await RowsAsync(connection, "community", "community_code", [communityCode], cancellationToken);
        rowsByEntity["dwelling"] = await RowsAsync(connection, "dwelling", "household_no", [householdNo], cancellationToken);

        var persons = await RowsAsync(connection, "person", "household_no", [householdNo], cancellationToken);
        var ids = persons.Select(p => p.Values.GetValueOrDefault("id_number")).OfType<string>().ToList();
        var residents = (await RowsAsync(connection, "resident", "id_number", ids, cancellationToken))
            .ToDictionary(r => r.Values["id_number"]!, StringComparer.Ordinal);
        var members = persons
            .Where(p => p.Values.GetValueOrDefault("id_number") is not { } id
                || !residents.TryGetValue(id, out var r) || !GoneStatuses.Contains(r.Values.GetValueOrDefault("residence_status") ?? ""))
            .OrderBy(p => p.Values.GetValueOrDefault("relation_to_head") is "02" or "01" ? 0 : 1)
            .ThenBy(p => p.PoolId)
            .ToList();
        var memberIds = members.Select(p => p.Values.GetValueOrDefault("id_number")).OfType<string>().ToList();
        var perMember = new Dictionary<string, Dictionary<string, PoolRow>>(StringComparer.Ordinal) { ["resident"] = residents };
        foreach (var entity in form.MemberSections.SelectMany(s => s.Fields).Select(f => f.Entity).Distinct().Where(e => e is not ("person" or "resident")))
        {
            perMember[entity] = (await RowsAsync(connection, entity, "id_number", memberIds, cancellationToken))
                .ToDictionary(r => r.Values["id_number"]!, StringComparer.Ordinal);
        }

        var origins = await OriginsAsync(connection, rowsByEntity.Values.SelectMany(r => r).Concat(members).Concat(perMember.Values.SelectMany(d => d.Values)), cancellationToken);

        var sections = new Dictionary<string, IReadOnlyDictionary<string, FieldValue>>(StringComparer.Ordinal);
        foreach (var section in form.HouseholdSections)
        {
            sections[section.Id] = section.Fields.ToDictionary(f => f.Name,
                f => Value(rowsByEntity.GetValueOrDefault(f.Entity)?.FirstOrDefault(), f, origins), StringComparer.Ordinal);
        }

        var memberValues = members.Select(person =>
        {
            var id = person.Values.GetValueOrDefault("id_number");
            var memberSections = new Dictionary<string, IReadOnlyDictionary<string, FieldValue>>(StringComparer.Ordinal);
            foreach (var section in form.MemberSections)
            {
                memberSections[section.Id] = section.Fields.ToDictionary(f => f.Name, f =>
                {
                    var row = f.Entity == "person" ? person
                        : id is not null && perMember.TryGetValue(f.Entity, out var byId) ? byId.GetValueOrDefault(id) : null;
                    return Value(row, f, origins);
                }, StringComparer.Ordinal);
            }

            return new MemberValues(person.PoolId, memberSections);
        }).ToList();

        var draft = new HouseholdForm(householdNo, communityCode, "", sections, memberValues);
        return draft with { Etag = HouseholdForm.TagOf(draft.Flatten()) };
    }

    private static FieldValue Value(PoolRow? row, FormField field, IReadOnlyDictionary<long, Origin> origins)
    {
        if (row is null || row.Values.GetValueOrDefault(field.Field) is not { } value)
        {
            return new FieldValue(null, null, null, null);
        }

        return row.Provenance.TryGetValue(field.Field, out var recordId) && origins.TryGetValue(recordId, out var origin)
            ? new FieldValue(value, origin.Source, origin.Department, origin.At)
            : new FieldValue(value, null, null, null);
    }

    private sealed record PoolRow(long PoolId, Dictionary<string, string?> Values, Dictionary<string, long> Provenance);

    private sealed record Origin(string Source, string? Department, string? At);

    private async Task<List<PoolRow>> RowsAsync(DbConnection connection, string entityName, string column, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var rows = new List<PoolRow>();
        if (keys.Count == 0)
        {
            return rows;
        }

        // Identifiers come from the schema catalog only; the keys go through a parameter.
        var entity = database.Catalog.Entity(entityName);
        var fields = entity.Fields.Values.ToList();
        var sql = $"SELECT {EntityTables.PoolId}, {string.Join(", ", fields.Select(f => f.Name))}, {EntityTables.Provenance} FROM {EntityTables.TableName(entity.Name)} "
            + $"WHERE {database.Dialect.InList(column, "@keys")} AND {EntityTables.Deleted} = 0 ORDER BY {EntityTables.PoolId}";
        await using var command = connection.Command(sql, null, ("@keys", database.Dialect.ListValue(keys)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < fields.Count; i++)
            {
                values[fields[i].Name] = FormText.FromColumn(fields[i].Type, reader.GetValue(i + 1));
            }

            var provenance = reader.IsDBNull(fields.Count + 1) ? [] : JsonSerializer.Deserialize<Dictionary<string, long>>(reader.GetString(fields.Count + 1)) ?? [];
            rows.Add(new PoolRow(reader.GetInt64(0), values, provenance));
        }

        return rows;
    }

    private async Task<Dictionary<long, Origin>> OriginsAsync(DbConnection connection, IEnumerable<PoolRow> rows, CancellationToken cancellationToken)
    {
        var ids = rows.SelectMany(r => r.Provenance.Values).Distinct().ToArray();
        var origins = new Dictionary<long, Origin>();
        if (ids.Length == 0)
        {
            return origins;
        }

        await using var command = connection.Command(
            $"""
            SELECT r.id, r.source_id, s.department, runs.finished_at
            FROM dp_source_records r
            LEFT JOIN dp_sources s ON s.id = r.source_id
            LEFT JOIN dp_runs runs ON runs.id = r.changed_run
            WHERE {database.Dialect.InList("r.id", "@ids")}
            """, null, ("@ids", database.Dialect.ListValue(ids)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            origins[reader.GetInt64(0)] = new Origin(reader.GetString(1), reader.GetNullableString(2), reader.GetNullableString(3));
        }

        return origins;
    }
}
