using System.Globalization;
using System.Text;
using System.Text.Json;
using DataPool.Abstractions;

namespace DataPool.Connectors.Rest;

/// <summary>
/// A simple JSONPath: <c>$</c>, then member names (<c>.data</c>, <c>['a b']</c>) and array indexes (<c>[0]</c>).
/// No wildcards, filters or recursive descent: a path names one value.
/// </summary>
internal sealed class JsonRecordPath
{
    private readonly object[] _segments; // string (member) or int (index)

    private JsonRecordPath(string text, object[] segments)
    {
        Text = text;
        _segments = segments;
    }

    public string Text { get; }

    public static JsonRecordPath Parse(string? text, string settingName, bool required = false)
    {
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (required)
            {
                throw new ConnectorException($"{settingName}: a JSONPath such as $.next_cursor is required");
            }

            return new JsonRecordPath("$", []);
        }

        if (text[0] != '$')
        {
            throw Bad(settingName, text, "it must start with $");
        }

        var segments = new List<object>();
        var i = 1;
        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                var start = ++i;
                while (i < text.Length && text[i] != '.' && text[i] != '[')
                {
                    i++;
                }

                var name = text[start..i];
                if (name.Length == 0 || name == "*")
                {
                    throw Bad(settingName, text, "a member name is missing or is a wildcard");
                }

                segments.Add(name);
            }
            else if (text[i] == '[')
            {
                var close = text.IndexOf(']', i);
                if (close < 0)
                {
                    throw Bad(settingName, text, "a [ is not closed");
                }

                var inner = text[(i + 1)..close].Trim();
                if (inner.Length >= 2 && (inner[0] == '\'' || inner[0] == '"') && inner[^1] == inner[0])
                {
                    segments.Add(inner[1..^1]);
                }
                else if (int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    segments.Add(index);
                }
                else
                {
                    throw Bad(settingName, text, $"[{inner}] is neither a quoted name nor an index");
                }

                i = close + 1;
            }
            else
            {
                throw Bad(settingName, text, $"unexpected '{text[i]}' at position {i + 1}");
            }
        }

        return new JsonRecordPath(text, [.. segments]);
    }

    /// <summary>The value the path names, or false when some step is missing.</summary>
    public bool TryEvaluate(JsonElement root, out JsonElement value)
    {
        value = root;
        foreach (var segment in _segments)
        {
            if (segment is string name)
            {
                if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(name, out value))
                {
                    return false;
                }
            }
            else
            {
                var index = (int)segment;
                if (value.ValueKind != JsonValueKind.Array || index >= value.GetArrayLength())
                {
                    return false;
                }

                value = value[index];
            }
        }

        return true;
    }

    public override string ToString() => Text;

    private static ConnectorException Bad(string settingName, string text, string why) =>
        new($"{settingName}: '{text}' is not a supported JSONPath ({why}); use e.g. $.data or $.result.items");
}

/// <summary>
/// Turns JSON records into rows: every property a column, nested objects as <c>a.b</c>, arrays as their JSON
/// text. The header grows when a record brings a new property; the columns the stream maps are always there.
/// </summary>
internal sealed class RecordFlattener
{
    private readonly List<string> _columns = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<string, string?>> _scratch = [];

    public RecordFlattener(IEnumerable<string> expected)
    {
        foreach (var column in expected)
        {
            Add(column);
        }

        Header = new RowHeader([.. _columns]);
    }

    public RowHeader Header { get; private set; }

    /// <summary>Columns that at least one record had.</summary>
    public IReadOnlySet<string> Seen => _seen;

    public string?[] Flatten(JsonElement record)
    {
        _scratch.Clear();
        Walk(record, null, _scratch);
        var grew = false;
        foreach (var (name, _) in _scratch)
        {
            _seen.Add(name);
            grew |= Add(name);
        }

        if (grew)
        {
            Header = new RowHeader([.. _columns]);
        }

        var values = new string?[_columns.Count];
        foreach (var (name, value) in _scratch)
        {
            values[_index[name]] = value;
        }

        return values;
    }

    private bool Add(string column)
    {
        if (_index.ContainsKey(column))
        {
            return false;
        }

        _index[column] = _columns.Count;
        _columns.Add(column);
        return true;
    }

    private static void Walk(JsonElement element, string? prefix, List<KeyValuePair<string, string?>> into)
    {
        foreach (var property in element.EnumerateObject())
        {
            var name = prefix is null ? property.Name : prefix + "." + property.Name;
            var value = property.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.Object when value.EnumerateObject().Any():
                    Walk(value, name, into);
                    break;
                case JsonValueKind.Object:
                case JsonValueKind.Null:
                case JsonValueKind.Undefined:
                    into.Add(new(name, null));
                    break;
                case JsonValueKind.String:
                    var text = value.GetString();
                    into.Add(new(name, string.IsNullOrEmpty(text) ? null : text));
                    break;
                case JsonValueKind.True:
                    into.Add(new(name, "true"));
                    break;
                case JsonValueKind.False:
                    into.Add(new(name, "false"));
                    break;
                case JsonValueKind.Array:
                    into.Add(new(name, value.GetArrayLength() == 0 ? null : Compact(value)));
                    break;
                default:
                    into.Add(new(name, value.GetRawText()));
                    break;
            }
        }
    }

    /// <summary>An array's JSON text, compact and with CJK text unescaped, as a person would read it.</summary>
    private static string Compact(JsonElement value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            value.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
