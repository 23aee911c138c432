using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DataPool.Demo.Seeding.Output;

/// <summary>
/// Indented JSON that keeps short objects and arrays on one line, the way people write source
/// definitions by hand (one field mapping per line), with Chinese left readable.
/// </summary>
internal static class JsonPretty
{
    private const int LineLimit = 140;

    private static readonly JsonSerializerOptions Scalars = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Format(JsonNode? node)
    {
        var sb = new StringBuilder();
        Write(sb, node, 0, 0);
        return sb.Append('\n').ToString();
    }

    private static void Write(StringBuilder sb, JsonNode? node, int indent, int prefix)
    {
        // Big containers never fit a line; don't build their one-line form just to find out.
        var small = node is not (JsonObject { Count: > 12 } or JsonArray { Count: > 24 });
        var inline = small ? Inline(node) : null;
        if (inline is not null && (node is not (JsonObject or JsonArray) || indent + prefix + inline.Length <= LineLimit))
        {
            sb.Append(inline);
            return;
        }

        var pad = new string(' ', indent + 2);
        if (node is JsonObject obj)
        {
            sb.Append("{\n");
            var i = 0;
            foreach (var (key, value) in obj)
            {
                var name = JsonSerializer.Serialize(key, Scalars) + ": ";
                sb.Append(pad).Append(name);
                Write(sb, value, indent + 2, name.Length);
                sb.Append(++i < obj.Count ? ",\n" : "\n");
            }

            sb.Append(' ', indent).Append('}');
            return;
        }

        var array = (JsonArray)node!;
        sb.Append("[\n");
        for (var i = 0; i < array.Count; i++)
        {
            sb.Append(pad);
            Write(sb, array[i], indent + 2, 0);
            sb.Append(i + 1 < array.Count ? ",\n" : "\n");
        }

        sb.Append(' ', indent).Append(']');
    }

    private static string Inline(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject obj => obj.Count == 0 ? "{}" : "{ " + string.Join(", ", obj.Select(p => JsonSerializer.Serialize(p.Key, Scalars) + ": " + Inline(p.Value))) + " }",
        JsonArray array => "[" + string.Join(", ", array.Select(Inline)) + "]",
        _ => node.ToJsonString(Scalars),
    };
}
