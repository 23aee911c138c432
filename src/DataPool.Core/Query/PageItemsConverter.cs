using System.Text.Json;
using System.Text.Json.Serialization;

namespace DataPool.Core.Query;

/// <summary>
/// Writes a page's items directly: a record's values are its pool id (a number) and texts, and the general writer of
/// <c>object</c> values looked up a converter by each value's runtime type, cell by cell (a tenth of a 50-row page's
/// time). Any other value still goes through the serializer; reading is the serializer's own.
/// </summary>
public sealed class PageItemsConverter : JsonConverter<IReadOnlyList<IReadOnlyDictionary<string, object?>>>
{
    public override IReadOnlyList<IReadOnlyDictionary<string, object?>>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize<List<Dictionary<string, object?>>>(ref reader, options);

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<IReadOnlyDictionary<string, object?>> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var item in value)
        {
            writer.WriteStartObject();
            foreach (var (name, cell) in item)
            {
                writer.WritePropertyName(options.DictionaryKeyPolicy?.ConvertName(name) ?? name);
                switch (cell)
                {
                    case null:
                        writer.WriteNullValue();
                        break;
                    case string text:
                        writer.WriteStringValue(text);
                        break;
                    case long number:
                        writer.WriteNumberValue(number);
                        break;
                    default:
                        JsonSerializer.Serialize(writer, cell, cell.GetType(), options);
                        break;
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
