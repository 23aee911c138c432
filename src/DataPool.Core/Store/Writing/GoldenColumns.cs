using System.Globalization;
using System.Text.Json;
using DataPool.Core.Schema;

namespace DataPool.Core.Store.Writing;

/// <summary>How a golden record goes into its entity's table: each value as its column's type, and its provenance.</summary>
internal static class GoldenColumns
{
    /// <summary>The one key of a provenance whose every value came from one source record.</summary>
    private const string EveryField = "*";

    /// <summary>
    /// Which source record each golden value came from, as JSON (<c>{"field":recordId,…}</c>, in the golden record's
    /// order): written straight, with no dictionary built per pool record only to be serialised. When every value
    /// came from one record, as for most records of a register, it is <c>{"*":recordId}</c>: the field list was
    /// 185 of a person's 1,954 bytes on SQLite. <see cref="ReadProvenance"/> reads both forms.
    /// </summary>
    public static string Provenance(IReadOnlyDictionary<string, Survivor> golden)
    {
        if (OneRecord(golden) is { } record)
        {
            return Provenance(golden.Keys, record);
        }

        var json = StartObject();
        foreach (var (field, survivor) in golden)
        {
            json.WriteNumber(field, survivor.RecordId);
        }

        return EndObject(json);
    }

    /// <summary>
    /// The provenance of a golden record whose every value came from <paramref name="record"/>: the short form for two
    /// fields or more, the field's own name for one (the short form would be no shorter).
    /// </summary>
    public static string Provenance(IEnumerable<string> fields, long record)
    {
        var json = StartObject();
        string? only = null;
        var count = 0;
        foreach (var field in fields)
        {
            (only, count) = (field, count + 1);
        }

        if (count > 1)
        {
            json.WriteNumber(EveryField, record);
        }
        else if (only is not null)
        {
            json.WriteNumber(only, record);
        }

        return EndObject(json);
    }

    // One buffer and writer per thread, reset for each record: a new pair per record was 109 MB of the 2.6 GB a
    // first load of 200k persons allocated.
    private static Utf8JsonWriter StartObject()
    {
        var buffer = _buffer ??= new System.Buffers.ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        var json = _writer ??= new Utf8JsonWriter(buffer);
        json.Reset(buffer);
        json.WriteStartObject();
        return json;
    }

    private static string EndObject(Utf8JsonWriter json)
    {
        json.WriteEndObject();
        json.Flush();
        return System.Text.Encoding.UTF8.GetString(_buffer!.WrittenSpan);
    }

    /// <summary>
    /// A golden record's provenance by field, from its stored JSON and the fields its row holds a value for: the
    /// one-record form credits that record with each of them. Null (a row written before provenance): none.
    /// </summary>
    public static Dictionary<string, long> ReadProvenance(string? json, IEnumerable<string> fieldsWithValues)
    {
        var read = json is null ? null : JsonSerializer.Deserialize<Dictionary<string, long>>(json);
        if (read is { Count: 1 } && read.TryGetValue(EveryField, out var record))
        {
            return fieldsWithValues.ToDictionary(field => field, _ => record, StringComparer.Ordinal);
        }

        return read ?? [];
    }

    private static long? OneRecord(IReadOnlyDictionary<string, Survivor> golden)
    {
        long? record = null;
        foreach (var survivor in golden.Values)
        {
            if (record is { } seen && seen != survivor.RecordId)
            {
                return null;
            }

            record = survivor.RecordId;
        }

        return record;
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
