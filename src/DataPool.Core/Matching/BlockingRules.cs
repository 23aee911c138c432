using System.Globalization;

namespace DataPool.Core.Matching;

/// <summary>
/// The blocking rules, any of which makes two records candidates (OR): each rule names the key a person is filed
/// under and looked up by. Exact birth date within the community, exact name + birth year and community + exact
/// name were the only ones once; a typo in each field then meant a pair was never compared. The others key on the
/// name's sound (a homophone, a name written in pinyin), the phone, the flat, and part of the birth date (year and
/// month), so that one damaged field leaves another rule to find the pair. Configured under
/// <c>DataPool:Matching:Blocking</c>; <c>match evaluate</c> reports what each rule costs (pairs) and finds (recall).
/// A rule added later finds only persons filed since (or re-filed by <c>match train</c>).
/// <para>
/// Three rules are not in the default set because another rule's pairs contain theirs: an equal name has an equal
/// sound (name-year ⊆ sound-year, community-name ⊆ community-sound) and an equal birth date an equal year and month
/// (date-community ⊆ community-year-month). They find nothing the default misses, but filed and looked up they were
/// three keys in eight per person: 37% of the blocking index and of the lookups. They remain for a deployment whose
/// sound or month blocks grow past the largest block looked up (<see cref="PersonMatcher"/>'s limit), where the narrower
/// key still finds what the overfull one no longer does.
/// </para>
/// </summary>
public sealed class BlockingRules
{
    public static readonly string[] All =
        ["date-community", "name-year", "community-name", "sound-year", "community-sound", "phone", "address", "community-year-month"];

    /// <summary>The rules a deployment starts with: each of <see cref="All"/> that no other contains.</summary>
    public static readonly BlockingRules Default = new(["sound-year", "community-sound", "phone", "address", "community-year-month"]);

    public BlockingRules(IEnumerable<string> rules)
    {
        Rules = rules.Select(r => r.Trim()).Where(r => r.Length > 0).Distinct().ToArray();
        var unknown = Rules.Where(r => !All.Contains(r)).ToList();
        if (unknown.Count > 0 || Rules.Length == 0)
        {
            throw new ArgumentException($"blocking rules are some of {string.Join(", ", All)} (unknown: {string.Join(", ", unknown)})", nameof(rules));
        }
    }

    public string[] Rules { get; }

    /// <summary>The keys of the rules this record has the fields for, in one tier ("" plain, "o" open).</summary>
    public IEnumerable<string> Keys(MatchRecord record, string tier)
    {
        foreach (var rule in Rules)
        {
            if (Key(rule, record) is { } key)
            {
                yield return tier + key;
            }
        }
    }

    /// <summary>One rule's key for a record (without tier), or null when the record lacks a field it needs.</summary>
    public static string? Key(string rule, MatchRecord r) => rule switch
    {
        "date-community" when r.BirthDate is { } birth => $"b:{MatchRecord.Iso(birth)}:{r.Community}",
        "name-year" when r is { BirthDate: { } birth, Name: { } name } => $"y:{name}:{birth.Year}",
        "community-name" when r is { Name: { } name, Community: { } community } => $"n:{community}:{name}",
        "sound-year" when r is { BirthDate: { } birth, NameParts: { } parts } => $"p:{parts.Sound}:{birth.Year}",
        "community-sound" when r is { NameParts: { } parts, Community: { } community } => $"q:{community}:{parts.Sound}",
        "phone" when r.Phone is { Length: >= 7 } phone => $"t:{phone}",
        "address" when r.Address is { } address => $"a:{address}",
        "community-year-month" when r is { BirthDate: { } birth, Community: { } community } =>
            $"m:{community}:{birth.ToString("yyyy-MM", CultureInfo.InvariantCulture)}",
        _ => null,
    };
}
