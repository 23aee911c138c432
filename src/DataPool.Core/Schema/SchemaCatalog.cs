using System.Text.Json;

namespace DataPool.Core.Schema;

/// <summary>The pool's entities and code tables, loaded from the schemas folder.</summary>
public sealed class SchemaCatalog
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public SchemaCatalog(string root, IReadOnlyDictionary<string, PoolEntity> entities, IReadOnlyDictionary<string, CodeTable> codeTables)
    {
        Root = root;
        Entities = entities;
        CodeTables = codeTables;
    }

    /// <summary>The schemas folder (holding pool/, codes/, source.schema.json, …).</summary>
    public string Root { get; }
    public IReadOnlyDictionary<string, PoolEntity> Entities { get; }
    public IReadOnlyDictionary<string, CodeTable> CodeTables { get; }

    public PoolEntity Entity(string name) =>
        Entities.TryGetValue(name, out var entity)
            ? entity
            : throw new SchemaException($"schemas/pool: no entity '{name}'");

    /// <summary>Loads schemas/pool/*.json and schemas/codes/*.json; every problem names its file and field.</summary>
    public static SchemaCatalog Load(string root)
    {
        var entities = new Dictionary<string, PoolEntity>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "pool"), "*.json").Order(StringComparer.Ordinal))
        {
            var entity = Read<PoolEntity>(file);
            var fields = entity.Fields.ToDictionary(f => f.Key, f => f.Value with { Name = f.Key }, StringComparer.Ordinal);
            entities.Add(entity.Name, entity with { Fields = fields });
        }

        var codes = new Dictionary<string, CodeTable>(StringComparer.Ordinal);
        var codesFolder = Path.Combine(root, "codes");
        if (Directory.Exists(codesFolder))
        {
            foreach (var file in Directory.EnumerateFiles(codesFolder, "*.json").Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileNameWithoutExtension(file);
                codes.Add(name, Read<CodeTable>(file) with { Name = name });
            }
        }

        var catalog = new SchemaCatalog(root, entities, codes);
        catalog.Check();
        return catalog;
    }

    /// <summary>Finds the schemas folder: next to the program, or in the current folder or one above it.</summary>
    public static string Locate(string? explicitRoot = null)
    {
        if (explicitRoot is not null)
        {
            return Path.GetFullPath(explicitRoot);
        }

        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "schemas");
                if (Directory.Exists(Path.Combine(candidate, "pool")))
                {
                    return candidate;
                }
            }
        }

        throw new SchemaException("no schemas folder found (looked next to the program and above the current folder)");
    }

    private static T Read<T>(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            return JsonSerializer.Deserialize<T>(stream, Json) ?? throw new SchemaException($"{file}: empty");
        }
        catch (JsonException e)
        {
            throw new SchemaException($"{Path.GetFileName(file)}: {e.Path}: {e.Message}", e);
        }
    }

    private void Check()
    {
        var errors = new List<string>();
        foreach (var entity in Entities.Values)
        {
            foreach (var key in entity.Key.Where(k => !entity.Fields.ContainsKey(k)))
            {
                errors.Add($"pool/{entity.Name}.json: key '{key}' is not a field");
            }

            foreach (var field in entity.Fields.Values)
            {
                var where = $"pool/{entity.Name}.json: fields.{field.Name}";
                if (!FieldTypes.All.Contains(field.Type))
                {
                    errors.Add($"{where}.type: '{field.Type}' is not one of {string.Join(", ", FieldTypes.All)}");
                }

                if (field.Type == FieldTypes.Code && (field.CodeTable is null || !CodeTables.ContainsKey(field.CodeTable)))
                {
                    errors.Add($"{where}.codeTable: '{field.CodeTable}' is not a table in schemas/codes");
                }

                if (!Survivorship.All.Contains(field.Survivorship))
                {
                    errors.Add($"{where}.survivorship: '{field.Survivorship}' is not one of {string.Join(", ", Survivorship.All)}");
                }

                if (!PiiClasses.All.Contains(field.Pii))
                {
                    errors.Add($"{where}.pii: '{field.Pii}' is not one of {string.Join(", ", PiiClasses.All)}");
                }

                if (!IsIdentifier(field.Name))
                {
                    errors.Add($"{where}: a field name is lower-case letters, digits and '_'");
                }
            }

            if (!IsIdentifier(entity.Name))
            {
                errors.Add($"pool/{entity.Name}.json: name: an entity name is lower-case letters, digits and '_'");
            }
        }

        if (errors.Count > 0)
        {
            throw new SchemaException(string.Join(Environment.NewLine, errors));
        }
    }

    /// <summary>Names become SQL identifiers, so only a safe alphabet is allowed.</summary>
    public static bool IsIdentifier(string name) =>
        name.Length is > 0 and <= 63 && char.IsAsciiLetterLower(name[0]) && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');
}

public sealed class SchemaException(string message, Exception? inner = null) : Exception(message, inner);
