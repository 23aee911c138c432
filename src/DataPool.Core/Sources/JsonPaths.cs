namespace DataPool.Core.Sources;

/// <summary>Builds JSON paths (<c>$.a.b[0]['odd key']</c>) the way people read them in error messages.</summary>
internal static class JsonPaths
{
    public const string Root = "$";

    public static string Property(string parent, string name) =>
        IsPlain(name)
            ? $"{parent}.{name}"
            : $"{parent}['{name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}']";

    public static string Index(string parent, int index) => $"{parent}[{index}]";

    /// <summary>
    /// Converts a JSON Pointer (<c>/streams/0/fields/gender</c>) to a JSON path. The document decides
    /// whether a numeric segment is an array index or an object key named like a number.
    /// </summary>
    public static string FromPointer(string pointer, System.Text.Json.JsonElement document)
    {
        var path = Root;
        if (string.IsNullOrEmpty(pointer))
        {
            return path;
        }

        System.Text.Json.JsonElement? current = document;
        foreach (var raw in pointer.TrimStart('/').Split('/'))
        {
            var segment = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (current is { ValueKind: System.Text.Json.JsonValueKind.Array } array
                && int.TryParse(segment, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
            {
                path = Index(path, index);
                current = index < array.GetArrayLength() ? array[index] : null;
            }
            else
            {
                path = Property(path, segment);
                current = current is { ValueKind: System.Text.Json.JsonValueKind.Object } obj && obj.TryGetProperty(segment, out var child)
                    ? child
                    : null;
            }
        }

        return path;
    }

    private static bool IsPlain(string name) =>
        name.Length > 0
        && (char.IsAsciiLetter(name[0]) || name[0] is '_' or '$')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '$');
}
