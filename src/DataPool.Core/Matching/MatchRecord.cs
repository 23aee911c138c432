using System.Globalization;
using System.Text.Json;

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

    /// <summary>Whether rows of this entity are matched (persons: keyed by an ID number, with a name and a birth date) rather than linked by their key alone.</summary>
    public static bool IsMatched(Schema.PoolEntity entity) => PersonMatcher.Applies(entity);

    private (string? Of, NameParts? Parts) _nameParts;
    private (string? Of, string[] Tokens) _addressTokens;

    /// <summary>The name's sound and parts, made once per record (and again only if a copy changes the name).</summary>
    public NameParts? NameParts
    {
        get
        {
            if (!ReferenceEquals(_nameParts.Of, Name) || (Name is not null && _nameParts.Parts is null))
            {
                _nameParts = (Name, Matching.NameParts.Of(Name));
            }

            return _nameParts.Parts;
        }
    }

    /// <summary>The address's sorted tokens (<see cref="Matching.AddressTokens"/>), made once per record.</summary>
    public string[] AddressTokens
    {
        get
        {
            if (!ReferenceEquals(_addressTokens.Of, Address) || _addressTokens.Tokens is null)
            {
                _addressTokens = (Address, Matching.AddressTokens.Of(Address));
            }

            return _addressTokens.Tokens;
        }
    }

    /// <summary>The fields as a SELECT list of text columns, read back by <see cref="Read"/>.</summary>
    internal static string TextColumns(IEnumerable<string> fields) => string.Join(", ", fields.Select(f => $"CAST({f} AS TEXT)"));

    /// <summary>A pool record read from <see cref="TextColumns"/>, the first of them at column <paramref name="first"/>.</summary>
    internal static MatchRecord Read(System.Data.Common.DbDataReader reader, IReadOnlyList<string> fields, int first)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < fields.Count; i++)
        {
            if (!reader.IsDBNull(first + i))
            {
                values[fields[i]] = reader.GetString(first + i);
            }
        }

        return From(values);
    }

    /// <summary>A source record as matching reads it, from its stored values (the record's <c>data</c> JSON; null: none).</summary>
    public static MatchRecord FromStored(string? data) =>
        From(data is null ? new Dictionary<string, string>() : JsonSerializer.Deserialize<Dictionary<string, string>>(data) ?? []);

    /// <param name="values">Canonical pool values by field.</param>
    /// <param name="flaggedId">The raw text of an ID number kept flagged because it failed validation.</param>
    public static MatchRecord From(IReadOnlyDictionary<string, string> values, string? flaggedId = null) => From(values, ReadId(values, flaggedId));

    /// <summary>The ID number matching reads: the canonical one, else the raw text of one kept flagged.</summary>
    internal static IdForm? ReadId(IReadOnlyDictionary<string, string> values, string? flaggedId) =>
        IdForm.Read(values.GetValueOrDefault("id_number") ?? flaggedId);

    /// <param name="values">Canonical pool values by field.</param>
    /// <param name="id">The ID number, already read (<see cref="ReadId"/>).</param>
    internal static MatchRecord From(IReadOnlyDictionary<string, string> values, IdForm? id) => new(
        id,
        NameForm.Normalise(values.GetValueOrDefault("name")),
        values.GetValueOrDefault("gender"),
        IsoDate(values.GetValueOrDefault("birth_date")),
        Squeeze(values.GetValueOrDefault("address")),
        Digits(values.GetValueOrDefault("phone")),
        values.GetValueOrDefault("community_code"));

    /// <summary>The ID number passed validation: the person is found by it exactly, not by blocks.</summary>
    public bool HasValidId => Id is { Valid: true };

    /// <summary>
    /// The blocking keys this person is filed under (<see cref="BlockingRules"/>). A person with a valid ID number files
    /// them plain, one without (missing, flagged) files them "o" (open) and adds the ID number's first 17 characters
    /// when it has them (so a wrong check character still meets its person). A row with a valid ID number new to the
    /// pool then needs to be compared only with open persons: two different valid ID numbers are two people (the check
    /// character catches every single-character slip), and the open blocks stay small however large the pool.
    /// </summary>
    public IEnumerable<string> BlockingKeys(BlockingRules? rules = null) => BlockingKeys(HasValidId, rules);

    /// <summary>
    /// The keys this record files into a person, in that person's tier: a row without an ID number linked
    /// to a person who has a valid one adds plain keys (mostly ones the person has already), not open ones.
    /// </summary>
    public IEnumerable<string> BlockingKeys(bool validPerson, BlockingRules? rules = null)
    {
        foreach (var key in (rules ?? BlockingRules.Default).Keys(this, validPerson ? "" : Open))
        {
            yield return key;
        }

        if (!validPerson && Id is { } id)
        {
            yield return IdPrefix + id.First17;
        }
    }

    /// <summary>
    /// The keys to look candidates up by: the open blocks (and, without a valid ID number, the plain ones
    /// too) and the ID number's first 17. A birth date with day and month swapped keeps its year, so the
    /// name + year block finds it; looking up the swapped date's whole block as well doubled the candidates.
    /// </summary>
    public IEnumerable<string> LookupKeys(BlockingRules? rules = null)
    {
        foreach (var tier in HasValidId ? [Open] : new[] { "", Open })
        {
            foreach (var key in (rules ?? BlockingRules.Default).LookupKeys(this, tier))
            {
                yield return key;
            }
        }

        if (Id is { } id)
        {
            yield return IdPrefix + id.First17;
        }
    }

    internal const string Open = "o";

    /// <summary>The block of an ID number's first 17 characters: filed by persons without a valid ID number, looked up by every row with an ID.</summary>
    internal const string IdPrefix = "i:";

    /// <summary>The date with day and month swapped, when that is another real date.</summary>
    public static DateOnly? Swapped(DateOnly date) =>
        date.Day <= 12 && date.Day != date.Month && date.Month <= DateTime.DaysInMonth(date.Year, date.Day)
            ? new DateOnly(date.Year, date.Day, date.Month)
            : null;

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A canonical pool date (yyyy-MM-dd), read without the culture-aware parser that dominated matching's profile.</summary>
    private static DateOnly? IsoDate(string? text)
    {
        if (text is not { Length: 10 } || text[4] != '-' || text[7] != '-'
            || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            || !int.TryParse(text.AsSpan(8, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var day)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return null;
        }

        return new DateOnly(year, month, day);
    }

    /// <summary>Addresses compare in the household linker's one spelling of a flat, with the name folding (full-width, traditional characters).</summary>
    private static string? Squeeze(string? text) => NameForm.Normalise(Households.AddressKey.Normalise(text));

    private static string? Digits(string? phone)
    {
        if (phone is null)
        {
            return null;
        }

        Span<char> digits = stackalloc char[Math.Min(phone.Length, 64)];
        var count = 0;
        foreach (var c in phone)
        {
            if (char.IsAsciiDigit(c) && count < digits.Length)
            {
                digits[count++] = c;
            }
        }

        return count == 0 ? null : count == phone.Length ? phone : new string(digits[..count]);
    }
}
