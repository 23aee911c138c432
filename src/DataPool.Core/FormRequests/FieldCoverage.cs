using System.Globalization;
using System.Text;
using DataPool.Abstractions;
using DataPool.Core.Forms;
using DataPool.Core.Schema;
using DataPool.Core.Sources;
using DataPool.Core.Store;

namespace DataPool.Core.FormRequests;

/// <summary>A field a department proposes to collect from communities.</summary>
public sealed record ProposedField(string? Label, string? Hint);

/// <summary>
/// Where a proposed field can come from: <c>pool</c> (a pool field holding values now), <c>connected</c> (a pool field no
/// source fills yet, or a column a registered source exports but does not map), or <c>new</c> (truly new: only then may
/// it be added to the unified form).
/// </summary>
public sealed record FieldCoverageResult(string Label, string? Hint, string Coverage, string? PoolField, string? Source, string? Column);

/// <summary>Each field's coverage, and notes on sources that could not be looked at (e.g. settings that cannot be resolved here).</summary>
public sealed record CoverageAnswer(IReadOnlyList<FieldCoverageResult> Fields, IReadOnlyList<string> Notes);

/// <summary>
/// Matches proposed labels to what the pool and its sources know. A label matches when, normalised (NFKC, no spaces,
/// punctuation or bracketed units such as （元）), it equals a pool field's Chinese label, a label a legacy form used for
/// that field (schemas/legacy-forms), or a synonym below; otherwise it is looked for among the columns the registered
/// sources export but do not map.
/// </summary>
public sealed class FieldCoverage(SchemaCatalog schema, LegacyFormCatalog catalog, PoolDatabase database, SourceRegistry registry, IEnumerable<IConnector> connectors)
{
    public const string Pool = "pool";
    public const string Connected = "connected";
    public const string New = "new";

    /// <summary>Everyday names for pool fields that neither the schema nor the legacy forms use.</summary>
    private static readonly (string Label, string Field)[] Synonyms =
    [
        ("身份证号", "person.id_number"), ("身份证号码", "person.id_number"), ("身份证", "person.id_number"), ("证件号码", "person.id_number"),
        ("名字", "person.name"), ("手机", "person.phone"), ("手机号", "person.phone"), ("手机号码", "person.phone"), ("电话", "person.phone"), ("联系方式", "person.phone"),
        ("家庭住址", "person.address"), ("居住地址", "person.address"), ("地址", "person.address"), ("出生年月", "person.birth_date"), ("生日", "person.birth_date"),
        ("户主", "household.head_name"), ("家庭人口数", "household.member_count"), ("家庭人口", "household.member_count"),
        ("学历", "resident.education"), ("婚否", "resident.marital_status"), ("是否党员", "resident.political_status"),
        ("残疾证号", "disability.certificate_no"), ("低保类别", "social_assistance.assistance_type"), ("签约家庭医生", "family_doctor.doctor_name"),
    ];

    public async Task<CoverageAnswer> CoverAsync(IReadOnlyList<ProposedField> fields, CancellationToken cancellationToken)
    {
        var known = KnownLabels();
        var notes = new List<string>();
        var columns = await UnmappedColumnsAsync(notes, cancellationToken);
        var results = new List<FieldCoverageResult>();
        foreach (var field in fields)
        {
            var label = field.Label!.Trim();
            var key = Normalise(label);
            if (known.TryGetValue(key, out var poolField))
            {
                var filled = await FilledAsync(poolField, cancellationToken);
                results.Add(new FieldCoverageResult(label, field.Hint, filled ? Pool : Connected, poolField, null, null));
            }
            else if (columns.TryGetValue(key, out var column))
            {
                results.Add(new FieldCoverageResult(label, field.Hint, Connected, null, column.Source, column.Column));
            }
            else
            {
                results.Add(new FieldCoverageResult(label, field.Hint, New, null, null, null));
            }
        }

        return new CoverageAnswer(results, notes);
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
            else if (depth == 0 && (char.IsLetterOrDigit(c)))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }

    private Dictionary<string, string> KnownLabels()
    {
        var known = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entity in schema.Entities.Values)
        {
            foreach (var field in entity.Fields.Values)
            {
                known.TryAdd(Normalise(field.Labels.Zh), $"{entity.Name}.{field.Name}");
            }
        }

        foreach (var field in catalog.Forms.SelectMany(f => f.Fields).Where(f => f.Mapped))
        {
            known.TryAdd(Normalise(field.Label), field.Field!);
        }

        foreach (var (label, field) in Synonyms)
        {
            known.TryAdd(Normalise(label), field);
        }

        return known;
    }

    private async Task<bool> FilledAsync(string reference, CancellationToken cancellationToken)
    {
        if (!PoolFieldRef.TryResolve(schema, reference, out var resolved))
        {
            return false;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        // Identifiers from the schema catalog only.
        return await connection.ScalarAsync<long>(
            $"SELECT COUNT(*) FROM (SELECT 1 FROM {EntityTables.TableName(resolved.Entity.Name)} WHERE {resolved.Field.Name} IS NOT NULL AND {EntityTables.Deleted} = 0 LIMIT 1) AS filled",
            null, cancellationToken) > 0;
    }

    /// <summary>The columns each registered source exports (its first row's header) that none of its mappings reads.</summary>
    private async Task<Dictionary<string, (string Source, string Column)>> UnmappedColumnsAsync(List<string> notes, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        var byKind = connectors.ToDictionary(c => c.Kind, StringComparer.Ordinal);
        foreach (var id in await registry.IdsAsync(cancellationToken))
        {
            var source = await registry.GetAsync(id, cancellationToken);
            if (source is null || !byKind.TryGetValue(source.Definition.Kind, out var connector) || source.Definition.Kind == FormSubmissionConnector.KindName)
            {
                continue;
            }

            foreach (var stream in source.Definition.Streams)
            {
                var mapped = stream.Fields.Values.SelectMany(f => f.From).ToHashSet(StringComparer.Ordinal);
                ConnectorContext context;
                try
                {
                    context = source.ContextFor(stream);
                }
                catch (SourceDefinitionException e)
                {
                    // E.g. a ${env:…} set only where the source syncs (the demo's health API): the gate goes on without it.
                    notes.Add($"source '{id}' stream '{stream.Name}' was not looked at: its settings cannot be resolved here ({string.Join("; ", e.Errors.Select(x => x.Message))})");
                    continue;
                }

                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    timeout.CancelAfter(TimeSpan.FromSeconds(5));
                    await foreach (var row in connector.ReadAsync(context, timeout.Token))
                    {
                        foreach (var column in row.Header.Columns.Where(c => !mapped.Contains(c)))
                        {
                            found.TryAdd(Normalise(column), (id, column));
                        }

                        break;
                    }
                }
                catch (Exception e) when (e is ConnectorException or IOException or OperationCanceledException or HttpRequestException or InvalidOperationException)
                {
                    // A source that cannot be read right now simply offers no columns.
                }
            }
        }

        return found;
    }
}
