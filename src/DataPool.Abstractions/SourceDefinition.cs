using System.Text.Json;
using System.Text.Json.Serialization;

namespace DataPool.Abstractions;

/// <summary>One configured legacy system (the source definition contract, see schemas/source.schema.json).</summary>
public sealed record SourceDefinition
{
    public required string Id { get; init; }
    public string Name { get; init; } = "";
    public string Department { get; init; } = "";
    public required string Kind { get; init; }
    public JsonElement Settings { get; init; }
    public string? Schedule { get; init; }
    public int Priority { get; init; }

    /// <summary>
    /// The largest share of a full stream's live records one run may delete without an admin confirming it;
    /// absent: <see cref="DefaultMaxDeleteShare"/>. More is far likelier a cut-off export than residents gone.
    /// </summary>
    public double? MaxDeleteShare { get; init; }

    public IReadOnlyList<StreamDefinition> Streams { get; init; } = [];

    public const double DefaultMaxDeleteShare = 0.05;
}

/// <summary>One stream of a source: rows of one pool entity.</summary>
public sealed record StreamDefinition
{
    public required string Name { get; init; }
    public required string Entity { get; init; }
    public IReadOnlyList<string> Key { get; init; } = [];
    public string Mode { get; init; } = StreamModes.Full;
    public string? Cursor { get; init; }
    /// <summary>
    /// Optional source column stating when the row's values were last true (an update date, an <c>updated_at</c>
    /// cursor): <c>recent</c> survivorship ranks the row's values by it instead of by when they were first seen.
    /// </summary>
    public string? AsOf { get; init; }
    public JsonElement? Settings { get; init; }
    public IReadOnlyDictionary<string, FieldMapping> Fields { get; init; } = new Dictionary<string, FieldMapping>();
}

public static class StreamModes
{
    public const string Full = "full";
    public const string Incremental = "incremental";
}

/// <summary>How one pool field is filled from source columns.</summary>
public sealed record FieldMapping
{
    /// <summary>One source column, or several joined by a space.</summary>
    [JsonConverter(typeof(StringOrListConverter))]
    public IReadOnlyList<string> From { get; init; } = [];
    public string? Parse { get; init; }
    public IReadOnlyDictionary<string, string>? Codes { get; init; }
    public string? Default { get; init; }
    public bool? Required { get; init; }
    public string? OnInvalid { get; init; }

    public bool FlagsInvalid => string.Equals(OnInvalid, "flag", StringComparison.Ordinal);
}

/// <summary>Reads <c>"a"</c> or <c>["a", "b"]</c> as a list.</summary>
public sealed class StringOrListConverter : JsonConverter<IReadOnlyList<string>>
{
    public override IReadOnlyList<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return [reader.GetString()!];
        }

        return JsonSerializer.Deserialize<List<string>>(ref reader, options) ?? [];
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
    {
        if (value.Count == 1)
        {
            writer.WriteStringValue(value[0]);
            return;
        }

        JsonSerializer.Serialize(writer, value, options);
    }
}
