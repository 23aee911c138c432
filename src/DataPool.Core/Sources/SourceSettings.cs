using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DataPool.Core.Sources;

/// <summary>
/// Settings of sources and streams: merging, resolving <c>${env:NAME}</c> secret references, and
/// redacting for display. Secrets are only ever resolved into the settings handed to a connector;
/// everything shown to people or logged goes through <see cref="Redact"/>.
/// </summary>
public static partial class SourceSettings
{
    public const string Mask = "***";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Settings hold Chinese paths and names; keep them readable in GetRawText().
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The stream's settings over the source's: a key of the stream replaces the source's (shallow).</summary>
    public static JsonElement Merge(JsonElement sourceSettings, JsonElement? streamSettings)
    {
        var source = AsObject(sourceSettings, nameof(sourceSettings));
        var stream = streamSettings is { } s ? AsObject(s, nameof(streamSettings)) : null;
        return Write(writer =>
        {
            writer.WriteStartObject();
            var overridden = stream?.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal) ?? [];
            foreach (var property in source?.EnumerateObject() ?? default)
            {
                if (!overridden.Contains(property.Name))
                {
                    property.WriteTo(writer);
                }
            }

            foreach (var property in stream?.EnumerateObject() ?? default)
            {
                property.WriteTo(writer);
            }

            writer.WriteEndObject();
        });
    }

    /// <summary>
    /// Replaces every <c>${env:NAME}</c> in string values (whole or embedded, e.g. in a connection string)
    /// with the environment variable. Every missing variable is reported by setting path and NAME; no value
    /// ever appears in an error.
    /// </summary>
    public static JsonElement ResolveSecrets(JsonElement settings, string settingsPath = "$.settings")
    {
        if (settings.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return settings;
        }

        var errors = new List<DefinitionError>();
        var resolved = Write(writer => Transform(writer, settings, settingsPath, (text, path) => Resolve(text, path, errors)));
        if (errors.Count > 0)
        {
            throw new SourceDefinitionException(null, errors);
        }

        return resolved;
    }

    /// <summary>
    /// A copy fit for display: values of secret-looking keys become <c>***</c>, as do passwords inside
    /// connection strings and URLs; <c>${env:NAME}</c> references are kept, they reveal nothing.
    /// </summary>
    public static JsonElement Redact(JsonElement settings)
    {
        if (settings.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return settings;
        }

        return Write(writer => Transform(writer, settings, "$", (text, _) => RedactInline(text), IsSecretKey));
    }

    /// <summary>
    /// <paramref name="message"/> with the value of every environment variable the settings reference replaced by
    /// <c>***</c> (longest first, so a value containing another goes whole), then inline passwords masked as in
    /// <see cref="Redact"/>. Values under 3 characters are left: they cannot be told from ordinary text and are no secret.
    /// </summary>
    public static string MaskSecrets(string message, IEnumerable<JsonElement> settings)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var element in settings)
        {
            CollectReferences(element, names);
        }

        var values = names.Select(Environment.GetEnvironmentVariable).OfType<string>().Where(v => v.Trim().Length >= 3).Distinct(StringComparer.Ordinal);
        foreach (var value in values.OrderByDescending(v => v.Length))
        {
            message = message.Replace(value, Mask, StringComparison.Ordinal);
        }

        return RedactInline(message);
    }

    private static void CollectReferences(JsonElement element, HashSet<string> names)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    CollectReferences(property.Value, names);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    CollectReferences(item, names);
                }

                break;
            case JsonValueKind.String:
                foreach (Match match in Reference().Matches(element.GetString()!))
                {
                    names.Add(match.Groups["name"].Value);
                }

                break;
        }
    }

    /// <summary>Whether a settings key names a secret (password, token, API key, authorization header, …).</summary>
    public static bool IsSecretKey(string key)
    {
        var normalized = key.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        return normalized is "pwd" or "passwd"
            || normalized.Contains("password", StringComparison.Ordinal)
            || normalized.Contains("secret", StringComparison.Ordinal)
            || normalized.Contains("token", StringComparison.Ordinal)
            || normalized.Contains("apikey", StringComparison.Ordinal)
            || normalized.Contains("authorization", StringComparison.Ordinal);
    }

    private static string Resolve(string text, string path, List<DefinitionError> errors)
    {
        var resolved = Reference().Replace(text, match =>
        {
            var name = match.Groups["name"].Value;
            if (!IsVariableName(name))
            {
                errors.Add(new DefinitionError(path, "a secret reference is ${env:NAME}, NAME being letters, digits and '_'"));
                return match.Value;
            }

            var value = Environment.GetEnvironmentVariable(name);
            if (value is null)
            {
                errors.Add(new DefinitionError(path, $"environment variable {name} is not set"));
                return "";
            }

            return value;
        });
        return resolved;
    }

    private static string RedactInline(string text)
    {
        var redacted = InlineSecret().Replace(text, m => IsOnlyReference(m.Groups["value"].Value) || m.Groups["value"].Length == 0
            ? m.Value
            : m.Groups["key"].Value + Mask);
        return UrlPassword().Replace(redacted, m => IsOnlyReference(m.Groups["value"].Value)
            ? m.Value
            : m.Groups["key"].Value + Mask);
    }

    /// <summary>Copies <paramref name="element"/>, rewriting strings; a secret key's value is masked unless it references the environment.</summary>
    private static void Transform(Utf8JsonWriter writer, JsonElement element, string path, Func<string, string, string> rewrite, Func<string, bool>? isSecret = null)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    var value = property.Value;
                    if (isSecret is not null && isSecret(property.Name) && value.ValueKind != JsonValueKind.Null
                        && !(value.ValueKind == JsonValueKind.String && Reference().IsMatch(value.GetString()!)))
                    {
                        writer.WriteStringValue(Mask);
                        continue;
                    }

                    Transform(writer, value, JsonPaths.Property(path, property.Name), rewrite, isSecret);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Transform(writer, item, JsonPaths.Index(path, index++), rewrite, isSecret);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(rewrite(element.GetString()!, path));
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    private static JsonElement? AsObject(JsonElement element, string name) => element.ValueKind switch
    {
        JsonValueKind.Object => element,
        JsonValueKind.Undefined or JsonValueKind.Null => null,
        _ => throw new ArgumentException($"settings must be a JSON object, not {element.ValueKind}", name),
    };

    private static JsonElement Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static bool IsVariableName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static bool IsOnlyReference(string value) => Reference().Replace(value.Trim('"', '\''), "").Length == 0 && value.Length > 0;

    /// <summary>Any <c>${env:…}</c>; the name is checked separately so a malformed one is reported, not passed on literally.</summary>
    [GeneratedRegex(@"\$\{env:(?<name>[^}]*)\}")]
    private static partial Regex Reference();

    /// <summary><c>Password=…</c> and friends in connection strings and query strings, up to <c>;</c> or <c>&amp;</c>.</summary>
    [GeneratedRegex(@"(?<key>(?:password|passwd|pwd|secret|token|api[_-]?key|authorization)\s*=\s*)(?<value>""[^""]*""|'[^']*'|[^;&]*)", RegexOptions.IgnoreCase)]
    private static partial Regex InlineSecret();

    /// <summary>The password of <c>scheme://user:password@host</c>.</summary>
    [GeneratedRegex(@"(?<key>[a-z][a-z0-9+.-]*://[^:/@\s]+:)(?<value>[^@/\s]+)(?=@)", RegexOptions.IgnoreCase)]
    private static partial Regex UrlPassword();
}
