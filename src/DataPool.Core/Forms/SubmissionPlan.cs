using DataPool.Core.Schema;
using DataPool.Core.Values;

namespace DataPool.Core.Forms;

/// <summary>
/// A save read against the household's current form: the values to check, the problems the rules cannot see
/// (unknown fields, a member of another household, a changed ID number), and the rows to submit — only what
/// differs from the pool, merged over what the form said before about the same record. A change to a field the
/// form may not win (a key, or an <c>owner</c> field of another department) that a department already holds is not
/// submitted: it becomes a correction request to that department (<see cref="Corrections"/>).
/// </summary>
internal sealed class SubmissionPlan
{
    private readonly HouseholdForm _current;
    private readonly SchemaCatalog _catalog;
    private readonly Dictionary<string, string> _pathByKey = new(StringComparer.Ordinal);
    private readonly List<(string Entity, string Key, string Field, string Value)> _changes = [];
    private readonly List<string> _removed = [];

    public SubmissionPlan(FormDefinition form, HouseholdForm current, FormSubmission submission, SchemaCatalog catalog)
    {
        _current = current;
        _catalog = catalog;
        var flat = current.Flatten();
        foreach (var (sectionId, fields) in submission.Sections ?? [])
        {
            var section = form.HouseholdSections.FirstOrDefault(s => s.Id == sectionId);
            if (section is null)
            {
                Problems.Add((sectionId, "未知的表单分区"));
                continue;
            }

            foreach (var (name, element) in fields)
            {
                Add(section, name, JsonText.Of(element), null, null, key => flat.GetValueOrDefault(key), current.HouseholdNo);
            }
        }

        var members = submission.Members ?? [];
        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < members.Count; i++)
        {
            var member = members[i];
            var existing = member.PoolId is { } poolId ? current.Members.FirstOrDefault(m => m.PoolId == poolId) : null;
            if (member.PoolId is not null && existing is null)
            {
                Problems.Add(($"members[{i}]", "该成员不属于本户"));
                continue;
            }

            var id = existing?.Sections[FormDefinition.Members].GetValueOrDefault("id_number")?.Value;
            if (member.Remove)
            {
                if (existing is null || id is null)
                {
                    Problems.Add(($"members[{i}]", "只能移除本户已有的成员"));
                }
                else
                {
                    _removed.Add(id);
                }

                continue;
            }

            var sections = member.Sections ?? [];
            if (existing is null)
            {
                var typedId = sections.GetValueOrDefault(FormDefinition.Members)?.GetValueOrDefault("id_number") is { } raw ? JsonText.Of(raw) : null;
                id = IdNumber.TryNormalise(typedId, out var normalised, out _) ? normalised : typedId;
                if (id is not null && current.Members.Any(m => m.Sections[FormDefinition.Members].GetValueOrDefault("id_number")?.Value == id))
                {
                    Problems.Add(($"members[{i}].id_number", "该公民身份号码已是本户成员"));
                }

                var given = sections.GetValueOrDefault(FormDefinition.Members);
                foreach (var required in form.Section(FormDefinition.Members).Fields.Where(f => f.Required && (given is null || !given.ContainsKey(f.Name))))
                {
                    Values.Add(new SubmittedValue(UnifiedForm.PathOf(form.Section(FormDefinition.Members), required.Name, i), required, null, MustBePresent: true));
                }
            }

            if (id is not null && !seenIds.Add(id))
            {
                Problems.Add(($"members[{i}].id_number", "同一公民身份号码在表中出现了两次"));
            }

            foreach (var (sectionId, fields) in sections)
            {
                var section = form.MemberSections.FirstOrDefault(s => s.Id == sectionId);
                if (section is null)
                {
                    Problems.Add(($"members[{i}].{sectionId}", "未知的表单分区"));
                    continue;
                }

                foreach (var (name, element) in fields)
                {
                    var text = JsonText.Of(element);
                    if (existing is not null && section.Repeating && name == "id_number" && FormText.Canonical("string", "id_number", text) is { } typed && typed != id)
                    {
                        // A registered member's ID number is the person's key: only the register changes it. The change goes
                        // to the register as a correction request; the form itself never re-keys anyone.
                        var idField = section.Fields.First(f => f.Name == name);
                        if (!IdNumber.TryNormalise(typed, out var proposedId, out _))
                        {
                            Problems.Add((UnifiedForm.PathOf(section, name, i), "公民身份号码无效"));
                        }
                        else if (id is not null && DepartmentAuthority(idField) is { } register)
                        {
                            var key = HouseholdForm.MemberKey(existing.PoolId, section.Id, name);
                            Corrections.Add(new ProposedCorrection(key, idField.Entity, id, existing.PoolId, idField.Field,
                                flat.GetValueOrDefault(key) ?? new FieldValue(id, null, null, null), proposedId, register));
                        }

                        continue;
                    }

                    Add(section, name, text, i, existing?.PoolId, key => existing is null ? null : flat.GetValueOrDefault(key), id);
                }
            }
        }
    }

    public List<SubmittedValue> Values { get; } = [];

    public List<(string Path, string Message)> Problems { get; } = [];

    /// <summary>The changes the form may not make itself: each goes to the field's owning department as a correction request.</summary>
    public List<ProposedCorrection> Corrections { get; } = [];

    /// <summary>What the worker typed, by the key <see cref="HouseholdForm.Flatten"/> uses (canonical text).</summary>
    public Dictionary<string, string?> Submitted { get; } = new(StringComparer.Ordinal);

    public string PathOf(string key)
    {
        if (_pathByKey.TryGetValue(key, out var path))
        {
            return path;
        }

        // A key the worker did not type: name it by the member's place in the current form.
        for (var i = 0; i < _current.Members.Count; i++)
        {
            var prefix = $"members[pool:{_current.Members[i].PoolId}]";
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                return $"members[{i}]" + key[prefix.Length..];
            }
        }

        return key;
    }

    /// <summary>The rows to submit, one per pool record touched, each carrying its key and the form's values for it.</summary>
    public async Task<List<(string Entity, Dictionary<string, string?> Data)>> RowsAsync(Func<(string Entity, string Key), Task<Dictionary<string, string?>>> previous)
    {
        var records = new Dictionary<(string Entity, string Key), Dictionary<string, string?>>();
        Dictionary<string, string?> Record(string entity, string key)
        {
            if (!records.TryGetValue((entity, key), out var data))
            {
                records[(entity, key)] = data = new Dictionary<string, string?>(StringComparer.Ordinal);
            }

            return data;
        }

        foreach (var (entity, key, field, value) in _changes)
        {
            Record(entity, key)[field] = value;
        }

        foreach (var id in _removed)
        {
            var data = Record("resident", id);
            data["residence_status"] = "2";
            data["moved_out_date"] = JsonText.Today();
        }

        var rows = new List<(string, Dictionary<string, string?>)>();
        foreach (var ((entity, key), changes) in records)
        {
            var data = await previous((entity, key));
            foreach (var (field, value) in changes)
            {
                data[field] = value;
            }

            foreach (var keyField in KeyFields(entity))
            {
                data[keyField] = key;
            }

            if (entity is "resident" or "dwelling" || (entity == "person" && !data.ContainsKey("community_code") && IsNewPerson(key)))
            {
                data["community_code"] = _current.CommunityCode;
            }

            if (entity == "person" && IsNewPerson(key))
            {
                data["household_no"] = _current.HouseholdNo;
            }

            rows.Add((entity, data));
        }

        return rows;
    }

    /// <summary>The department whose authority the field is (a key, or an <c>owner</c> field not the community's); null when the form may win it.</summary>
    private string? DepartmentAuthority(FormField field)
    {
        if (!_catalog.Entities.TryGetValue(field.Entity, out var entity) || !entity.Fields.TryGetValue(field.Field, out var poolField))
        {
            return null;
        }

        var owner = entity.OwnerOf(poolField);
        var authoritative = entity.Key.Contains(field.Field) || poolField.Survivorship == Survivorship.Owner;
        return authoritative && owner != CommunityFormSource.Department ? owner : null;
    }

    private bool IsNewPerson(string id) =>
        !_current.Members.Any(m => m.Sections[FormDefinition.Members].GetValueOrDefault("id_number")?.Value == id);

    private static IEnumerable<string> KeyFields(string entity) => entity is "household" or "dwelling" ? ["household_no"] : ["id_number"];

    private void Add(FormSection section, string name, string? text, int? member, long? poolId, Func<string, FieldValue?> currentValue, string? recordKey)
    {
        var field = section.Fields.FirstOrDefault(f => f.Name == name);
        var path = UnifiedForm.PathOf(section, name, member);
        if (field is null)
        {
            Problems.Add((path, "未知字段"));
            return;
        }

        if (field.ReadOnly)
        {
            return;
        }

        Values.Add(new SubmittedValue(path, field, text));
        var canonical = FormText.Canonical(field.Type, field.Format, text);
        var key = member is null ? $"{section.Id}.{name}" : HouseholdForm.MemberKey(poolId, section.Id, name);
        if (poolId is not null || member is null)
        {
            Submitted[key] = canonical;
            _pathByKey[key] = path;
        }

        // An emptied value is not a correction: the pool keeps what the departments supplied.
        var current = currentValue(key);
        if (canonical is null || recordKey is null || canonical == current?.Value)
        {
            return;
        }

        var entityKey = field.Entity is "household" or "dwelling" ? _current.HouseholdNo : recordKey;
        if (current?.Value is not null && DepartmentAuthority(field) is { } owner)
        {
            Corrections.Add(new ProposedCorrection(key, field.Entity, entityKey, field.Entity == "person" ? poolId : null, field.Field, current, canonical, owner));
            return;
        }

        _changes.Add((field.Entity, entityKey, field.Field, canonical));
    }
}

/// <summary>A change the form may not make itself, to be put to <paramref name="Department"/> (the field's owner) as a correction request; <paramref name="Key"/>: the value's key in <see cref="HouseholdForm.Flatten"/>.</summary>
public sealed record ProposedCorrection(string Key, string Entity, string RecordKey, long? PoolId, string Field, FieldValue Current, string Proposed, string Department);
