using System.Text;

namespace DataPool.Core.Values;

/// <summary>What a sync does with control and bidi characters in a value (<c>DataPool:Text:ControlCharacters</c>).</summary>
public enum ControlCharacterPolicy
{
    /// <summary>Removed; the value is used and the source record's flags note which characters went.</summary>
    Strip,

    /// <summary>The value is invalid: the row is quarantined (or the value flagged, with <c>"onInvalid": "flag"</c>).</summary>
    Reject,
}

/// <summary>The text settings of a sync (<see cref="TextSettings"/>, <c>DataPool:Text</c>).</summary>
public sealed record TextOptions(ControlCharacterPolicy ControlCharacters = ControlCharacterPolicy.Strip)
{
    public static readonly TextOptions Default = new();
}

/// <summary>
/// <c>DataPool:Text</c> as bound (environment <c>DataPool__Text__ControlCharacters</c>): <c>ControlCharacters</c> is
/// <c>strip</c> (the default) or <c>reject</c>, bound the same way by the server and the command line so a sync cleans
/// text alike wherever it runs. Another value stops the start with a message naming the key.
/// </summary>
public sealed class TextSettings
{
    public const string Section = "DataPool:Text";

    public string? ControlCharacters { get; set; }

    /// <summary>The settings a sync uses; null when <see cref="ControlCharacters"/> is neither strip nor reject.</summary>
    public TextOptions? Options() => ControlCharacters switch
    {
        null or "" => TextOptions.Default,
        var value when Enum.TryParse<ControlCharacterPolicy>(value, ignoreCase: true, out var policy) && !int.TryParse(value, out _) => new TextOptions(policy),
        _ => null,
    };
}

/// <summary>
/// Characters that must never reach a golden record: C0 and C1 controls (U+0000–U+001F, U+007F–U+009F) other than
/// the whitespace ones (tab, line feed, carriage return, VT, FF, NEL), which are folded to a space like any
/// whitespace; and the bidi controls that make text display other than it reads (U+200E/F, U+061C, the embeddings
/// and overrides U+202A–U+202E, the isolates U+2066–U+2069). A name carrying U+202E shows reversed in every list.
/// </summary>
public static class ControlCharacters
{
    public static bool IsUnsafe(char c) =>
        (char.IsControl(c) && !char.IsWhiteSpace(c))
        || c is '\u200E' or '\u200F' or '\u061C' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    public static bool Contains(string text)
    {
        foreach (var c in text)
        {
            if (IsUnsafe(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The text without them.</summary>
    public static string Strip(string text)
    {
        var kept = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!IsUnsafe(c))
            {
                kept.Append(c);
            }
        }

        return kept.ToString();
    }

    /// <summary>The distinct characters found, as messages name them: <c>U+202E, U+0000</c>.</summary>
    public static string Describe(string text) =>
        string.Join(", ", text.Where(IsUnsafe).Distinct().Select(c => $"U+{(int)c:X4}"));
}
