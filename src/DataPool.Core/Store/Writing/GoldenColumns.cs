using System.Globalization;
using System.Text.Json;
using DataPool.Core.Schema;

namespace DataPool.Core.Store.Writing;

/// <summary>How a golden record goes into its entity's table: each value as its column's type, and its provenance.</summary>
internal static class GoldenColumns
{
    /// <summary>
    /// Which source record each golden value came from, as JSON (<c>{"field":recordId,…}</c>, in the golden record's
    /// order): written straight, with no dictionary built per pool record only to be serialised.
    /// </summary>
    public static string Provenance(IReadOnlyDictionary<string, Survivor> golden)
    {
        // One buffer and writer per thread, reset for each record: a new pair per record was 109 MB of the 2.6 GB a
        // first load of 200k persons allocated.
        var buffer = _buffer ??= new System.Buffers.ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        var json = _writer ??= new Utf8JsonWriter(buffer);
        json.Reset(buffer);
        json.WriteStartObject();
        foreach (var (field, survivor) in golden)
        {
            json.WriteNumber(field, survivor.RecordId);
        }

        json.WriteEndObject();
        json.Flush();
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [ThreadStatic]
    private static System.Buffers.ArrayBufferWriter<byte>? _buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _writer;

    /// <summary>A golden value's canonical text as its column's type stores it.</summary>
    public static object Value(string type, string value) => type switch
    {
        FieldTypes.Int or FieldTypes.Bool => long.Parse(value, CultureInfo.InvariantCulture),
        FieldTypes.Decimal => decimal.Parse(value, CultureInfo.InvariantCulture),
        _ => value,
    };
}
