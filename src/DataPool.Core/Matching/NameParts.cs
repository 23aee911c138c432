namespace DataPool.Core.Matching;

/// <summary>
/// A normalised name (<see cref="NameForm"/>) as the comparison levels read it: its sound (<see cref="Pinyin"/>)
/// and its parts' sounds. A name with separators ('·' of minority names, the space of a pinyin name) has those
/// parts; a Han name without one has a part per character, so that a dropped or transposed character is a
/// missing or transposed part.
/// </summary>
public sealed class NameParts
{
    private NameParts(string sound, string[] parts, int characters, bool separated)
    {
        Sound = sound;
        Parts = parts;
        Characters = characters;
        Separated = separated;
    }

    /// <summary>The parts are the name's own (split at '·'), not its characters.</summary>
    public bool Separated { get; }

    public string Sound { get; }

    /// <summary>Each part's sound.</summary>
    public string[] Parts { get; }

    /// <summary>Han characters in the name (a Han name's length).</summary>
    public int Characters { get; }

    public static NameParts? Of(string? name)
    {
        if (Pinyin.Of(name) is not { } sound)
        {
            return null;
        }

        var pieces = name!.Split('·', StringSplitOptions.RemoveEmptyEntries);
        var characters = 0; // counted in a loop: LINQ over a string allocated an enumerator for each name read
        foreach (var c in name)
        {
            characters += c is >= '\u4e00' and <= '\u9fff' ? 1 : 0;
        }

        var separated = pieces.Length > 1 || characters == 0;
        var parts = separated
            ? pieces.Select(Pinyin.Of).OfType<string>().ToArray()
            : name.Select(c => Pinyin.Of(c) ?? c.ToString()).ToArray();
        return new NameParts(sound, parts, characters, separated);
    }
}
