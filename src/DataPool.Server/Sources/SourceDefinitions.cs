using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataPool.Server.Sources;

/// <summary>A definition as registered: its text as written, its file (none when added through the API) and the folder its paths resolve against.</summary>
internal sealed record StoredDefinition(string Id, string Json, string? File, string BaseDirectory, string UpdatedAt);

/// <summary>Reading definitions from requests and from dp_sources, and showing them without their secrets.</summary>
internal static class SourceDefinitions
{
    private static readonly JsonDocumentOptions Lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The body as text: a definition may carry comments and trailing commas, which JSON binding would
    /// refuse, and its errors must be located by JSON path by the loader. The route's size limit bounds it.
    /// </summary>
    public static async Task<string> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    /// <summary>Every problem of a definition, keyed by its JSON path (e.g. <c>$.streams[0].fields.x</c>).</summary>
    public static ValidationProblem Invalid(IEnumerable<DefinitionError> errors, string title = "The source definition is invalid") =>
        TypedResults.ValidationProblem(
            errors.GroupBy(e => e.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal),
            title: title);

    public static async Task<StoredDefinition?> FindAsync(PoolDatabase database, string id, CancellationToken cancellationToken) =>
        await SourceRegistry.StoredAsync(database, id, cancellationToken) is { } stored
            ? new StoredDefinition(stored.Id, stored.Json, stored.File, stored.BaseDirectory, stored.UpdatedAt)
            : null;

    /// <summary>The definition fit for a response: every secret masked (<c>${env:…}</c> references are kept, they reveal nothing).</summary>
    public static JsonNode Redacted(string json)
    {
        using var document = JsonDocument.Parse(json, Lenient);
        return JsonSerializer.SerializeToNode(SourceSettings.Redact(document.RootElement))!;
    }

    /// <summary>
    /// A definition sent back as GET showed it must not overwrite its secrets with <c>***</c>: wherever the
    /// incoming JSON holds exactly the masked form of a stored value, the stored value is put back. The text
    /// is kept as written (comments and all) unless something had to be put back.
    /// </summary>
    public static string RestoreSecrets(string incoming, string stored)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(incoming, documentOptions: Lenient);
        }
        catch (JsonException)
        {
            return incoming; // the loader reports the syntax error with its position
        }

        var storedNode = JsonNode.Parse(stored, documentOptions: Lenient);
        var shown = Redacted(stored);
        return Restore(node, storedNode, shown) ? node!.ToJsonString(Indented) : incoming;
    }

    private static bool Restore(JsonNode? incoming, JsonNode? stored, JsonNode? shown)
    {
        var restored = false;
        switch (incoming, stored, shown)
        {
            case (JsonObject target, JsonObject storedObject, JsonObject shownObject):
                foreach (var name in target.Select(p => p.Key).ToList())
                {
                    if (!storedObject.TryGetPropertyValue(name, out var storedValue) || !shownObject.TryGetPropertyValue(name, out var shownValue))
                    {
                        continue;
                    }

                    if (IsMasked(target[name], storedValue, shownValue))
                    {
                        target[name] = storedValue?.DeepClone();
                        restored = true;
                    }
                    else
                    {
                        restored |= Restore(target[name], storedValue, shownValue);
                    }
                }

                break;
            case (JsonArray target, JsonArray storedArray, JsonArray shownArray):
                for (var i = 0; i < target.Count && i < storedArray.Count && i < shownArray.Count; i++)
                {
                    if (IsMasked(target[i], storedArray[i], shownArray[i]))
                    {
                        target[i] = storedArray[i]?.DeepClone();
                        restored = true;
                    }
                    else
                    {
                        restored |= Restore(target[i], storedArray[i], shownArray[i]);
                    }
                }

                break;
        }

        return restored;
    }

    /// <summary>The value is what the API showed in place of a stored secret (and the stored value was not itself that).</summary>
    private static bool IsMasked(JsonNode? value, JsonNode? stored, JsonNode? shown) =>
        value is JsonValue && !JsonNode.DeepEquals(stored, shown) && JsonNode.DeepEquals(value, shown);
}
