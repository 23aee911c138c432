using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DataPool.Abstractions;
using DataPool.Core.Schema;

namespace DataPool.Core.Sources;

/// <summary>
/// Reads and validates source definitions. A definition that comes out of here is fit to run: it matches
/// schemas/source.schema.json, names a registered connector kind and existing pool entities and fields,
/// and its code maps, parses, keys and schedule make sense. Anything else fails with every problem
/// listed by JSON path, before any row is read.
/// </summary>
public sealed class SourceDefinitionLoader
{
    internal static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private readonly SourceSchema schema;
    private readonly SourceDefinitionValidator validator;

    /// <param name="catalog">The pool schema; its <see cref="SchemaCatalog.Root"/> holds source.schema.json.</param>
    /// <param name="connectorKinds">The registered connector kinds (<see cref="IConnector.Kind"/>).</param>
    public SourceDefinitionLoader(SchemaCatalog catalog, IEnumerable<string> connectorKinds)
    {
        Catalog = catalog;
        Kinds = connectorKinds.ToHashSet(StringComparer.Ordinal);
        schema = SourceSchema.Load(catalog.Root);
        validator = new SourceDefinitionValidator(catalog, Kinds);
    }

    public SourceDefinitionLoader(SchemaCatalog catalog, IEnumerable<IConnector> connectors)
        : this(catalog, connectors.Select(c => c.Kind))
    {
    }

    public SchemaCatalog Catalog { get; }

    public IReadOnlySet<string> Kinds { get; }

    /// <summary>Reads a definition file; relative paths in it resolve against its folder.</summary>
    public LoadedSource Load(string file)
    {
        var full = Path.GetFullPath(file);
        string json;
        try
        {
            json = File.ReadAllText(full);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SourceDefinitionException(file, [new DefinitionError(JsonPaths.Root, "file not found")]);
        }

        return new LoadedSource(Parse(json, file), full, Path.GetDirectoryName(full)!, json);
    }

    /// <summary>Validates and reads a definition; <paramref name="origin"/> names it in error messages.</summary>
    public SourceDefinition Parse(string json, string origin)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            throw new SourceDefinitionException(origin, [new DefinitionError(JsonPaths.Root, "the definition is empty")]);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new SourceDefinitionException(origin, [SyntaxError(json, e)]);
        }

        using (document)
        {
            var root = document.RootElement;
            var errors = DuplicateProperties(root, JsonPaths.Root);
            if (errors.Count > 0)
            {
                // Which of two values a reader would take is unclear, so nothing else is trustworthy.
                throw new SourceDefinitionException(origin, errors);
            }

            errors.AddRange(schema.Validate(root));
            var definition = Deserialize(root, errors);
            if (definition is not null)
            {
                // Semantic rules run even when the schema failed so every problem is listed at once;
                // where both found the same spot, the schema's message is kept.
                var reported = errors.Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
                errors.AddRange(validator.Validate(definition).Errors
                    .Select(f => new DefinitionError(f.PropertyName, f.ErrorMessage))
                    .Where(e => !reported.Contains(e.Path)));
            }

            if (errors.Count > 0 || definition is null)
            {
                throw new SourceDefinitionException(origin, errors);
            }

            return definition;
        }
    }

    private static SourceDefinition? Deserialize(JsonElement root, List<DefinitionError> errors)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        try
        {
            var node = JsonNode.Parse(root.GetRawText(), documentOptions: DocumentOptions)!;
            StringifyDefaults(node);
            return node.Deserialize<SourceDefinition>(Json);
        }
        catch (JsonException e)
        {
            // With a schema error present this is its echo (e.g. a missing required id); say nothing more.
            if (errors.Count == 0)
            {
                errors.Add(new DefinitionError(e.Path ?? JsonPaths.Root, CutPosition(e.Message)));
            }

            return null;
        }
    }

    /// <summary>
    /// A mapping's <c>default</c> may be written as a number or boolean, but the model keeps it as the text
    /// a source would have held, so it flows through the same parsing as real values.
    /// </summary>
    private static void StringifyDefaults(JsonNode root)
    {
        if (root["streams"] is not JsonArray streams)
        {
            return;
        }

        foreach (var fields in streams.Select(s => (s as JsonObject)?["fields"]).OfType<JsonObject>())
        {
            foreach (var mapping in fields.Select(f => f.Value).OfType<JsonObject>())
            {
                if (mapping["default"] is JsonValue value && value.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                {
                    mapping["default"] = value.ToJsonString();
                }
            }
        }
    }

    /// <summary>JsonDocument keeps duplicate keys and the deserializer silently takes the last; a typo'd copy must not pass.</summary>
    private static List<DefinitionError> DuplicateProperties(JsonElement element, string path)
    {
        var errors = new List<DefinitionError>();
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    var at = JsonPaths.Property(path, property.Name);
                    if (!names.Add(property.Name))
                    {
                        errors.Add(new DefinitionError(at, "duplicate property"));
                    }

                    errors.AddRange(DuplicateProperties(property.Value, at));
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    errors.AddRange(DuplicateProperties(item, JsonPaths.Index(path, index++)));
                }

                break;
        }

        return errors;
    }

    private static DefinitionError SyntaxError(string json, JsonException e)
    {
        var line = (int)(e.LineNumber ?? 0);
        var bytes = (int)(e.BytePositionInLine ?? 0);
        // The reader counts bytes; people (and editors) count characters, which differ for Chinese text.
        var lineText = json.Split('\n').ElementAtOrDefault(line) ?? "";
        var lineBytes = Encoding.UTF8.GetBytes(lineText);
        var column = Encoding.UTF8.GetCharCount(lineBytes, 0, Math.Min(bytes, lineBytes.Length)) + 1;
        return new DefinitionError(JsonPaths.Root, $"invalid JSON at line {line + 1}, position {column}: {CutPosition(e.Message)}");
    }

    /// <summary>System.Text.Json appends " LineNumber: n | BytePositionInLine: m." (0-based); we say it better.</summary>
    private static string CutPosition(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var path = message.IndexOf(" Path:", StringComparison.Ordinal);
        var end = new[] { cut, path }.Where(i => i >= 0).DefaultIfEmpty(message.Length).Min();
        return message[..end].Trim();
    }
}
