using System.Text.Json;
using System.Text.Json.Serialization;
using DataPool.Core.Schema;

namespace DataPool.Core.Access;

/// <summary>
/// Every department's grants (schemas/access/*.json), checked against the pool schema when loaded: a grant of an
/// unknown entity or field stops the program at start with the file and JSON path named.
/// </summary>
public sealed class AccessGrants
{
    /// <summary>The grant file that applies to every community worker (their rows are limited to their community).</summary>
    public const string CommunityWorker = "community-worker";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private readonly Dictionary<string, Dictionary<string, EntityGrant>> _byDepartment;

    private AccessGrants(Dictionary<string, Dictionary<string, EntityGrant>> byDepartment) => _byDepartment = byDepartment;

    /// <summary>The departments with a grant file (and <see cref="CommunityWorker"/>).</summary>
    public IReadOnlyCollection<string> Departments => _byDepartment.Keys;

    /// <summary>The department's grant of the entity, rows not yet limited to a community; null when none.</summary>
    public EntityGrant? For(string department, string entity) =>
        _byDepartment.TryGetValue(department, out var entities) && entities.TryGetValue(entity, out var grant) ? grant : null;

    /// <summary>Loads <c>&lt;schemas&gt;/access/*.json</c>; throws <see cref="SchemaException"/> listing every problem.</summary>
    public static AccessGrants Load(SchemaCatalog catalog)
    {
        var folder = Path.Combine(catalog.Root, "access");
        var byDepartment = new Dictionary<string, Dictionary<string, EntityGrant>>(StringComparer.Ordinal);
        var errors = new List<string>();
        IEnumerable<string> files = Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal) : [];
        foreach (var file in files)
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var shown = $"access/{Path.GetFileName(file)}";
            GrantFile? grants;
            try
            {
                using var stream = File.OpenRead(file);
                grants = JsonSerializer.Deserialize<GrantFile>(stream, Json);
            }
            catch (JsonException e)
            {
                errors.Add($"{shown}: {e.Path}: {e.Message}");
                continue;
            }

            if (grants is null)
            {
                errors.Add($"{shown}: empty");
                continue;
            }

            var result = new GrantFileValidator(catalog, name).Validate(grants);
            if (!result.IsValid)
            {
                errors.AddRange(result.Errors.Select(e => $"{shown}: {e.PropertyName}: {e.ErrorMessage}"));
                continue;
            }

            byDepartment[name] = grants.Entities.ToDictionary(
                e => e.Key, e => Resolve(catalog.Entity(e.Key), e.Value), StringComparer.Ordinal);
        }

        if (errors.Count > 0)
        {
            throw new SchemaException("grants refused:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)));
        }

        return new AccessGrants(byDepartment);
    }

    /// <summary>Every field of the entity, every one unmasked, every community: what an administrator sees.</summary>
    public static EntityGrant Everything(PoolEntity entity)
    {
        var all = entity.Fields.Keys.ToHashSet(StringComparer.Ordinal);
        return new EntityGrant(entity.Name, all, all, null);
    }

    private static EntityGrant Resolve(PoolEntity entity, EntityGrantEntry entry)
    {
        HashSet<string> Expand(IEnumerable<string> names) =>
            names.Contains(GrantFileValidator.All) ? entity.Fields.Keys.ToHashSet(StringComparer.Ordinal) : names.ToHashSet(StringComparer.Ordinal);

        return new EntityGrant(entity.Name, Expand(entry.Fields), Expand(entry.Unmasked), null);
    }
}
