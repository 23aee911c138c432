using System.Text;

namespace DataPool.Demo.Seeding;

/// <summary>
/// Resident ID numbers for the generator (GB 11643-1999) and the ways legacy systems spoil them.
/// Self-contained on purpose: the generator must not depend on the pipeline's own normaliser.
/// </summary>
internal static class IdNumbers
{
    private const string CheckCharacters = "10X98765432";
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * Weights[i];
        }

        return CheckCharacters[sum % 11];
    }

    /// <summary>The first 17 digits as a number (unique key of an ID without its check character).</summary>
    public static long First17(string area, DateOnly birth, int sequence) =>
        long.Parse(area, System.Globalization.CultureInfo.InvariantCulture) * 100_000_000_000L
        + (birth.Year * 10_000L + birth.Month * 100 + birth.Day) * 1_000L
        + sequence;

    public static string FromFirst17(long first17)
    {
        Span<char> id = stackalloc char[18];
        first17.TryFormat(id, out _, "D17", System.Globalization.CultureInfo.InvariantCulture);
        id[17] = CheckCharacter(id[..17]);
        return new string(id);
    }

    /// <summary>The old 15-digit form: address code, yyMMdd, sequence (no century, no check character).</summary>
    public static string To15(string id18) => string.Concat(id18.AsSpan(0, 6), id18.AsSpan(8, 9));

    /// <summary>The same ID with a check character that does not fit.</summary>
    public static string WithWrongCheck(string id18, Random r)
    {
        var right = id18[17];
        char wrong;
        do
        {
            wrong = CheckCharacters[r.Next(CheckCharacters.Length)];
        }
        while (wrong == right);

        return string.Concat(id18.AsSpan(0, 17), wrong.ToString());
    }

    /// <summary>Every digit (and X) in its full-width form, as Chinese input methods type them.</summary>
    public static string FullWidth(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                >= '0' and <= '9' => (char)('０' + (c - '0')),
                'X' => 'Ｘ',
                _ => c,
            });
        }

        return sb.ToString();
    }

    /// <summary>Spaces typed between the address, birth date and sequence parts.</summary>
    public static string WithSpaces(string id18, Random r) => r.Next(3) switch
    {
        0 => $"{id18[..6]} {id18[6..14]} {id18[14..]}",
        1 => $"{id18[..6]} {id18[6..]}",
        _ => $" {id18} ",
    };

    public static bool EndsWithX(string id18) => id18[17] == 'X';

    public static string LowerX(string id18) => string.Concat(id18.AsSpan(0, 17), "x");
}
