using F23.StringSimilarity;

namespace DataPool.Core.Matching;

/// <summary>
/// How two values of one field compare, as an ordered list of levels per field: the first level that holds is the
/// outcome, and each outcome has its own m and u (<see cref="MatchTraining"/> learns them). Nothing here allocates per pair beyond
/// the Jaro–Winkler of two names' sounds: the forms compared (sounds, parts, address tokens) are made once per record.
/// </summary>
public static class ComparisonLevels
{
    public const string Missing = "missing";
    public const string Equal = "equal";
    public const string Differ = "differ";

    /// <summary>Name levels, strongest first.</summary>
    public static readonly string[] NameLevels = [Equal, "sound-equal", "parts-transposed", "one-part-missing", "one-char-different", "similar", Differ];

    public static readonly string[] DateLevels = [Equal, "day-month-swapped", "year-off", "one-digit-off", "same-year-month", Differ];

    public static readonly string[] AddressLevels = [Equal, "tokens-contained", "similar", Differ];

    public static readonly string[] PhoneLevels = [Equal, "last-8", "one-digit-off", Differ];

    private const double Similar = 0.9;
    private static readonly JaroWinkler Similarity = new();

    public static string Name(MatchRecord left, MatchRecord right)
    {
        if (left.Name is null || right.Name is null)
        {
            return Missing;
        }

        if (left.Name == right.Name)
        {
            return Equal;
        }

        if (left.NameParts is not { } a || right.NameParts is not { } b)
        {
            return Differ;
        }

        if (a.Sound == b.Sound)
        {
            return "sound-equal";
        }

        if (a.Parts.Length == b.Parts.Length && a.Parts.Length > 1 && SameParts(a.Parts, b.Parts))
        {
            return "parts-transposed";
        }

        if (OnePartMissing(a, b) || OnePartMissing(b, a))
        {
            return "one-part-missing";
        }

        if (OneCharacterDifferent(left.Name, right.Name, a, b))
        {
            return "one-char-different";
        }

        return Similarity.Similarity(a.Sound, b.Sound) >= Similar ? "similar" : Differ;
    }

    /// <summary>The same parts (as sounds) in another order.</summary>
    private static bool SameParts(string[] a, string[] b)
    {
        Span<bool> used = stackalloc bool[b.Length];
        foreach (var part in a)
        {
            var found = false;
            for (var j = 0; j < b.Length && !found; j++)
            {
                if (!used[j] && b[j] == part)
                {
                    used[j] = found = true;
                }
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// <paramref name="shorter"/> is <paramref name="longer"/> without one part, the others in order: a minority name
    /// without its second part, a pinyin name without its surname, a Han name without one character (at least two left).
    /// </summary>
    private static bool OnePartMissing(NameParts shorter, NameParts longer)
    {
        if (longer.Separated && longer.Parts.Length == 2 && !shorter.Separated)
        {
            // 阿依古丽 beside 阿依古丽·买买提: the one part left, read as a whole.
            return shorter.Sound == longer.Parts[0] || shorter.Sound == longer.Parts[1];
        }

        if (shorter.Parts.Length != longer.Parts.Length - 1 || shorter.Parts.Length == 0 || (shorter.Characters > 0 && shorter.Characters < 2 && shorter.Parts.Length < 2))
        {
            return false;
        }

        var skipped = 0;
        for (int i = 0, j = 0; i < shorter.Parts.Length; j++)
        {
            if (shorter.Parts[i] == longer.Parts[j])
            {
                i++;
            }
            else if (++skipped > 1)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One character replaced in a Han name of three or more, or one letter typed, dropped or added in a romanised one.</summary>
    private static bool OneCharacterDifferent(string x, string y, NameParts a, NameParts b)
    {
        if (a.Characters >= 3 && b.Characters == a.Characters && x.Length == y.Length)
        {
            return Distance.AtMostOne(x, y);
        }

        return a.Characters == 0 && b.Characters == 0 && a.Sound.Length >= 5 && Distance.AtMostOne(a.Sound, b.Sound);
    }

    public static string Date(DateOnly? a, DateOnly? b)
    {
        if (a is not { } x || b is not { } y)
        {
            return Missing;
        }

        if (x == y)
        {
            return Equal;
        }

        if (MatchRecord.Swapped(x) == y)
        {
            return "day-month-swapped";
        }

        if (x.Month == y.Month && x.Day == y.Day && Math.Abs(x.Year - y.Year) == 1)
        {
            return "year-off";
        }

        if (DigitsApart(x, y) == 1)
        {
            return "one-digit-off";
        }

        return x.Year == y.Year && x.Month == y.Month ? "same-year-month" : Differ;
    }

    private static int DigitsApart(DateOnly x, DateOnly y) =>
        Digits(x.Year / 1000, y.Year / 1000) + Digits(x.Year / 100 % 10, y.Year / 100 % 10) + Digits(x.Year / 10 % 10, y.Year / 10 % 10) + Digits(x.Year % 10, y.Year % 10)
        + Digits(x.Month / 10, y.Month / 10) + Digits(x.Month % 10, y.Month % 10) + Digits(x.Day / 10, y.Day / 10) + Digits(x.Day % 10, y.Day % 10);

    private static int Digits(int a, int b) => a == b ? 0 : 1;

    public static string Address(MatchRecord left, MatchRecord right)
    {
        if (left.Address is null || right.Address is null)
        {
            return Missing;
        }

        if (left.Address == right.Address)
        {
            return Equal;
        }

        var (a, b) = (left.AddressTokens, right.AddressTokens);
        var common = AddressTokens.Common(a, b);
        if (common >= 3 && common == Math.Min(a.Length, b.Length))
        {
            return "tokens-contained";
        }

        // Jaccard: the tokens both have of all the tokens either has.
        return common * 2 >= a.Length + b.Length - common ? "similar" : Differ;
    }

    public static string Phone(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return Missing;
        }

        if (a == b)
        {
            return Equal;
        }

        if (a.Length >= 8 && b.Length >= 8 && a.AsSpan(a.Length - 8).SequenceEqual(b.AsSpan(b.Length - 8)))
        {
            return "last-8";
        }

        return a.Length == b.Length && a.Length >= 7 && Distance.AtMostOne(a, b) ? "one-digit-off" : Differ;
    }

    public static string Exact(string? a, string? b) =>
        a is null || b is null ? Missing : a == b ? Equal : Differ;
}

/// <summary>Edit distance, as far as the levels need it.</summary>
internal static class Distance
{
    /// <summary>Whether one substitution, insertion or deletion (or none) turns one into the other.</summary>
    public static bool AtMostOne(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 1)
        {
            return false;
        }

        var (shorter, longer) = a.Length <= b.Length ? (a, b) : (b, a);
        var i = 0;
        while (i < shorter.Length && shorter[i] == longer[i])
        {
            i++;
        }

        return shorter.Length == longer.Length
            ? shorter.AsSpan(i + Math.Min(1, shorter.Length - i)).SequenceEqual(longer.AsSpan(i + Math.Min(1, longer.Length - i)))
            : shorter.AsSpan(i).SequenceEqual(longer.AsSpan(i + 1));
    }
}
