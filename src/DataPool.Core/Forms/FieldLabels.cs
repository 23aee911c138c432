using System.Text;
using DataPool.Core.Schema;

namespace DataPool.Core.Forms;

/// <summary>
/// The one matcher of everyday labels to pool fields, shared by the admission gate (a proposed form's fields) and the
/// source editor (an uploaded file's columns). A label matches when, normalised (NFKC, no spaces, punctuation or
/// bracketed units such as （元）), it equals a pool field's Chinese or English label, a label a legacy form used for
/// that field (schemas/legacy-forms), or a synonym below.
/// </summary>
public sealed class FieldLabels(SchemaCatalog schema, LegacyFormCatalog catalog)
{
    /// <summary>Everyday names for pool fields that neither the schema nor the legacy forms use.</summary>
    private static readonly (string Label, string Field)[] Synonyms =
    [
        ("身份证号", "person.id_number"), ("身份证号码", "person.id_number"), ("身份证", "person.id_number"), ("证件号码", "person.id_number"),
        ("公民身份号码", "person.id_number"),
        ("名字", "person.name"), ("手机", "person.phone"), ("手机号", "person.phone"), ("手机号码", "person.phone"), ("电话", "person.phone"), ("联系方式", "person.phone"),
        ("家庭住址", "person.address"), ("居住地址", "person.address"), ("地址", "person.address"), ("出生年月", "person.birth_date"), ("生日", "person.birth_date"),
        ("户主", "household.head_name"), ("家庭人口数", "household.member_count"), ("家庭人口", "household.member_count"),
        ("学历", "resident.education"), ("婚否", "resident.marital_status"), ("是否党员", "resident.political_status"),
        ("残疾证号", "disability.certificate_no"), ("低保类别", "social_assistance.assistance_type"), ("签约家庭医生", "family_doctor.doctor_name"),
    ];

    private Dictionary<string, List<string>>? _candidates;
    private Dictionary<string, string>? _known;

    /// <summary>The pool field (<c>entity.field</c>) a label names, or null when none is known by it.</summary>
    public string? Match(string label) => Known().GetValueOrDefault(Normalise(label));

    /// <summary>
    /// Every pool field a label names, the first as <see cref="Match"/> answers: several entities may carry a field of
    /// one name (a disability record's ID number and a person's), and a caller knowing the entity picks among them.
    /// </summary>
    public IReadOnlyList<string> Candidates(string label) => All().GetValueOrDefault(Normalise(label)) ?? [];

    /// <summary>Normalised label → pool field reference (<c>entity.field</c>); the first entity declaring a label wins.</summary>
    public IReadOnlyDictionary<string, string> Known() =>
        _known ??= All().ToDictionary(p => p.Key, p => p.Value[0], StringComparer.Ordinal);

    private Dictionary<string, List<string>> All()
    {
        if (_candidates is { } all)
        {
            return all;
        }

        all = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string label, string field)
        {
            var key = Normalise(label);
            if (key.Length == 0)
            {
                return;
            }

            if (!all.TryGetValue(key, out var fields))
            {
                all[key] = fields = [];
            }

            if (!fields.Contains(field, StringComparer.Ordinal))
            {
                fields.Add(field);
            }
        }

        foreach (var entity in schema.Entities.Values)
        {
            foreach (var field in entity.Fields.Values)
            {
                Add(field.Labels.Zh, $"{entity.Name}.{field.Name}");
            }
        }

        foreach (var field in catalog.Forms.SelectMany(f => f.Fields).Where(f => f.Mapped))
        {
            Add(field.Label, field.Field!);
        }

        foreach (var (label, field) in Synonyms)
        {
            Add(label, field);
        }

        // English labels and field names last: an English export (Name, ID number, id_number) is matched too,
        // without ever taking a Chinese label's place.
        foreach (var entity in schema.Entities.Values)
        {
            foreach (var field in entity.Fields.Values)
            {
                Add(field.Labels.En, $"{entity.Name}.{field.Name}");
                Add(field.Name, $"{entity.Name}.{field.Name}");
            }
        }

        return _candidates = all;
    }

    public static string Normalise(string label)
    {
        var text = label.Normalize(NormalizationForm.FormKC);
        var builder = new StringBuilder();
        var depth = 0;
        foreach (var c in text)
        {
            if (c is '(' or '（' or '[' or '【')
            {
                depth++;
            }
            else if (c is ')' or '）' or ']' or '】')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0 && char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }
}
