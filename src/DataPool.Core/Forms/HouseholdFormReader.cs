using System.Data.Common;
using DataPool.Core.Certificates;
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
        var rowsByEntity = new Dictionary<string, List<PoolRecord>>(StringComparer.Ordinal) { ["household"] = household };
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
        var perMember = new Dictionary<string, Dictionary<string, PoolRecord>>(StringComparer.Ordinal) { ["resident"] = residents };
        foreach (var entity in form.MemberSections.SelectMany(s => s.Fields).Select(f => f.Entity).Distinct().Where(e => e is not ("person" or "resident")))
        {
            perMember[entity] = (await RowsAsync(connection, entity, "id_number", memberIds, cancellationToken))
                .ToDictionary(r => r.Values["id_number"]!, StringComparer.Ordinal);
        }

        var origins = await PoolRecords.OriginsAsync(connection, database, rowsByEntity.Values.SelectMany(r => r).Concat(members).Concat(perMember.Values.SelectMany(d => d.Values)), cancellationToken);

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

    private static FieldValue Value(PoolRecord? row, FormField field, IReadOnlyDictionary<long, ValueOrigin> origins)
    {
        if (row is null || row.Values.GetValueOrDefault(field.Field) is not { } value)
        {
            return new FieldValue(null, null, null, null);
        }

        return row.Provenance.TryGetValue(field.Field, out var recordId) && origins.TryGetValue(recordId, out var origin)
            ? new FieldValue(value, origin.SourceId, origin.Department, origin.At) { RecordedAt = origin.RecordedAt }
            : new FieldValue(value, null, null, null);
    }

    private Task<List<PoolRecord>> RowsAsync(DbConnection connection, string entity, string column, IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        PoolRecords.LiveAsync(connection, database, entity, column, keys, (field, value) => FormText.FromColumn(field.Type, value), cancellationToken);
}
