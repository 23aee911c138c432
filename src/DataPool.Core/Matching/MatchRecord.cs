using DataPool.Core.Values;

namespace DataPool.Core.Matching;

/// <summary>
/// A person reduced to what matching compares, every value normalised for comparison: the ID number
/// read loosely (a flagged, invalid one too), the name folded (<see cref="NameForm"/>), the birth date,
/// gender, address without spaces, phone digits and community code.
/// </summary>
public sealed record MatchRecord(IdForm? Id, string? Name, string? Gender, DateOnly? BirthDate, string? Address, string? Phone, string? Community)
{
    /// <summary>The pool fields matching reads; an entity that lacks name or birth date is matched by its key only.</summary>
    public static readonly string[] Fields = ["id_number", "name", "gender", "birth_date", "address", "phone", "community_code"];

    /// <summary>Enough to match on without an ID number: a name and a birth date.</summary>
    public bool CanMatchWithoutId => Name is not null && BirthDate is not null;

    /// <param name="values">Canonical pool values by field.</param>
    /// <param name="flaggedId">The raw text of an ID number kept flagged because it failed validation.</param>
    public static MatchRecord From(IReadOnlyDictionary<string, string> values, string? flaggedId = null) => new(
        IdForm.Read(values.GetValueOrDefault("id_number") ?? flaggedId),
        NameForm.Normalise(values.GetValueOrDefault("name")),
        values.GetValueOrDefault("gender"),
        values.GetValueOrDefault("birth_date") is { } date && DateOnly.TryParseExact(date, "yyyy-MM-dd", out var birth) ? birth : null,
        Squeeze(values.GetValueOrDefault("address")),
        Digits(values.GetValueOrDefault("phone")),
        values.GetValueOrDefault("community_code"));

    /// <summary>
    /// The blocking keys this person is filed under: birth date; surname + birth year; community + name;
    /// the ID number's first 17 characters (so a wrong check character still meets its person).
    /// </summary>
    public IEnumerable<string> BlockingKeys()
    {
        if (BirthDate is { } birth)
        {
            yield return "b:" + Iso(birth);
        }

        if (Name is not null && BirthDate is { } born)
        {
            yield return $"s:{NameForm.Surname(Name)}:{born.Year}";
        }

        if (Name is not null && Community is not null)
        {
            yield return $"n:{Community}:{Name}";
        }

        if (Id is { } id)
        {
            yield return "i:" + id.First17;
        }
    }

    /// <summary>The keys to look candidates up by: the filing keys, plus the birth date with day and month swapped.</summary>
    public IEnumerable<string> LookupKeys()
    {
        foreach (var key in BlockingKeys())
        {
            yield return key;
        }

        if (BirthDate is { } birth && Swapped(birth) is { } swapped)
        {
            yield return "b:" + Iso(swapped);
        }
    }

    /// <summary>The date with day and month swapped, when that is another real date.</summary>
    public static DateOnly? Swapped(DateOnly date) =>
        date.Day <= 12 && date.Day != date.Month && date.Month <= DateTime.DaysInMonth(date.Year, date.Day)
            ? new DateOnly(date.Year, date.Day, date.Month)
            : null;

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Addresses compare without spaces and with the name folding (full-width, traditional characters).</summary>
    private static string? Squeeze(string? text) => NameForm.Normalise(Text.Clean(text));

    private static string? Digits(string? phone)
    {
        if (phone is null)
        {
            return null;
        }

        var digits = string.Concat(phone.Where(char.IsAsciiDigit));
        return digits.Length == 0 ? null : digits;
    }
}
