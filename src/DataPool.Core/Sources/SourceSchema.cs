using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using DataPool.Core.Schema;
using Json.Pointer;
using Json.Schema;

namespace DataPool.Core.Sources;

/// <summary>
/// schemas/source.schema.json, and the translation of its evaluation results into
/// <see cref="DefinitionError"/>s whose paths and messages a person can act on.
/// </summary>
internal sealed partial class SourceSchema
{
    public const string FileName = "source.schema.json";

    private static readonly EvaluationOptions Options = new()
    {
        OutputFormat = OutputFormat.List,
        // Messages are part of what users read; keep them stable whatever the server's locale.
        Culture = CultureInfo.InvariantCulture,
    };

    private readonly JsonSchema schema;
    private readonly JsonElement schemaDocument;

    private SourceSchema(JsonSchema schema, JsonElement schemaDocument)
    {
        this.schema = schema;
        this.schemaDocument = schemaDocument;
    }

    public static SourceSchema Load(string schemasRoot)
    {
        var file = Path.Combine(schemasRoot, FileName);
        if (!File.Exists(file))
        {
            throw new SchemaException($"{file}: not found (the JSON Schema of source definitions)");
        }

        var text = File.ReadAllText(file);
        try
        {
            using var document = JsonDocument.Parse(text);
            // A private registry per load: the global one refuses a second schema with the same $id,
            // and several catalogs (tests, reloads) may each load the file.
            var built = JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
            return new SourceSchema(built, document.RootElement.Clone());
        }
        catch (Exception e) when (e is JsonException or JsonSchemaException)
        {
            throw new SchemaException($"{file}: {e.Message}", e);
        }
    }

    /// <summary>Every violation of the schema, located by JSON path.</summary>
    public List<DefinitionError> Validate(JsonElement instance)
    {
        var results = schema.Evaluate(instance, Options);
        var errors = new List<DefinitionError>();
        var seen = new HashSet<DefinitionError>();
        foreach (var node in (results.Details ?? []).Prepend(results))
        {
            if (node.IsValid || node.Errors is null || IsUnderIf(node.EvaluationPath))
            {
                continue;
            }

            var path = JsonPaths.FromPointer(node.InstanceLocation.ToString(), instance);
            foreach (var (keyword, message) in node.Errors)
            {
                foreach (var error in Describe(keyword, message, path, node, instance))
                {
                    if (seen.Add(error))
                    {
                        errors.Add(error);
                    }
                }
            }
        }

        return errors;
    }

    /// <summary>
    /// An <c>if</c> subschema failing is not an error (it only selects <c>then</c>/<c>else</c>), but the
    /// list output still reports its failures; they would read as nonsense ("expected incremental").
    /// </summary>
    private static bool IsUnderIf(JsonPointer evaluationPath)
    {
        var segments = evaluationPath.ToString().Split('/');
        for (var i = 1; i < segments.Length; i++)
        {
            if (segments[i] == "if" && segments[i - 1] is not ("properties" or "$defs" or "patternProperties"))
            {
                return true;
            }
        }

        return false;
    }

    private IEnumerable<DefinitionError> Describe(string keyword, string message, string path, EvaluationResults node, JsonElement instance)
    {
        var evaluationPath = node.EvaluationPath.ToString();
        switch (keyword)
        {
            case "" when evaluationPath.EndsWith("/additionalProperties", StringComparison.Ordinal):
                var allowed = SchemaAt(node, "/additionalProperties") is { } container && container.TryGetProperty("properties", out var props)
                    ? $" (allowed: {string.Join(", ", props.EnumerateObject().Select(p => p.Name))})"
                    : "";
                yield return new DefinitionError(path, $"unknown property{allowed}");
                yield break;

            case "required":
                // The library names the missing properties only inside its message: ["id","kind"].
                var missing = RequiredList().Match(message) is { Success: true } m ? TryParseNames(m.Groups[1].Value) : null;
                if (missing is { Count: > 0 })
                {
                    foreach (var name in missing)
                    {
                        yield return new DefinitionError(JsonPaths.Property(path, name), "required property is missing");
                    }

                    yield break;
                }

                break;

            case "enum" when SchemaAt(node) is { } enumOwner && enumOwner.TryGetProperty("enum", out var values):
                yield return new DefinitionError(path, $"{Show(instance, node)} is not one of: {string.Join(", ", values.EnumerateArray().Select(v => v.ToString()))}");
                yield break;

            case "pattern" when SchemaAt(node) is { } patternOwner && patternOwner.TryGetProperty("pattern", out var pattern):
                yield return new DefinitionError(path, $"{Show(instance, node)} does not match the pattern {pattern.GetString()}");
                yield break;
        }

        yield return new DefinitionError(path, message);
    }

    /// <summary>The subschema that produced a result, found from its schema location (minus a keyword suffix).</summary>
    private JsonElement? SchemaAt(EvaluationResults node, string? cutAt = null)
    {
        var fragment = Uri.UnescapeDataString(node.SchemaLocation.Fragment.TrimStart('#'));
        if (cutAt is not null)
        {
            var cut = fragment.LastIndexOf(cutAt, StringComparison.Ordinal);
            if (cut < 0)
            {
                return null;
            }

            fragment = fragment[..cut];
        }

        return JsonPointer.TryParse(fragment, out var pointer)
            ? pointer.Evaluate(schemaDocument)
            : null;
    }

    private static string Show(JsonElement instance, EvaluationResults node)
    {
        var value = node.InstanceLocation.Evaluate(instance);
        if (value is null)
        {
            return "the value";
        }

        var text = value.Value.ValueKind == JsonValueKind.String ? $"'{value.Value.GetString()}'" : value.Value.GetRawText();
        return text.Length > 80 ? text[..77] + "..." : text;
    }

    private static List<string>? TryParseNames(string inner)
    {
        try
        {
            return JsonSerializer.Deserialize<List<string>>($"[{inner}]");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"\[(.*)\]", RegexOptions.Singleline)]
    private static partial Regex RequiredList();
}
