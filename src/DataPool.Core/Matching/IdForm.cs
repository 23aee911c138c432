using DataPool.Core.Values;

namespace DataPool.Core.Matching;

/// <summary>How two ID numbers compare.</summary>
public enum IdOutcome { Missing, Equal, FifteenToEighteen, CheckCharacter, Differ }

/// <summary>
/// An ID number as matching sees it, even when validation refused it: the first 17 characters (a
/// 15-digit number widened with '19'), the full 18 when there are 18, and whether it was written as 15.
/// </summary>
public readonly record struct IdForm(string First17, string? Full, bool WasFifteen)
{
    /// <summary>The number passed validation (date, area, check character): it names one person, so it can be looked up exactly.</summary>
    public bool Valid { get; init; }

    /// <summary>The valid number an ID-shaped but invalid one most likely meant: its first 17 characters with their check character.</summary>
    public string Corrected => First17 + IdNumber.CheckCharacter(First17);

    /// <summary>A loose reading of any ID text: full-width, spaces, lower-case x and 15 digits tolerated; null when it is not ID-shaped at all.</summary>
    public static IdForm? Read(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        if (IdNumber.TryNormalise(raw, out var valid, out _))
        {
            return new IdForm(valid[..17], valid, Digits(raw).Length == 15) { Valid = true };
        }

        var digits = Digits(raw);
        return digits.Length switch
        {
            18 when IsDigits(digits.AsSpan(0, 17)) => new IdForm(digits[..17], digits, false),
            15 when IsDigits(digits) => new IdForm(digits[..6] + "19" + digits[6..], null, true),
            _ => null,
        };
    }

    public static IdOutcome Compare(IdForm? a, IdForm? b)
    {
        if (a is not { } left || b is not { } right)
        {
            return IdOutcome.Missing;
        }

        if (left.First17 != right.First17)
        {
            return IdOutcome.Differ;
        }

        if (left.WasFifteen != right.WasFifteen && (left.Full is null || right.Full is null || left.Full == right.Full))
        {
            return IdOutcome.FifteenToEighteen;
        }

        return left.Full is not null && left.Full == right.Full ? IdOutcome.Equal : IdOutcome.CheckCharacter;
    }

    private static string Digits(string raw)
    {
        var text = raw.Normalize(System.Text.NormalizationForm.FormKC);
        return string.Concat(text.Where(c => !char.IsWhiteSpace(c) && c is not '-' and not '\'').Select(c => c == 'x' ? 'X' : c));
    }

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }
}
