using System.Text.Json;

namespace DataPool.Core.Store;

/// <summary>How the pool stores JSON text (source values, changes, quarantined rows): Chinese and other text as its characters, not escapes.</summary>
internal static class StoredJson
{
    public static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
