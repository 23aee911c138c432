using System.Globalization;

namespace DataPool.Core.Matching;

/// <summary>
/// The blocking rules, any of which makes two records candidates (OR): each rule names the key a person is filed
/// under and looked up by. Exact birth date within the community, exact name + birth year and community + exact
/// name were the only ones once; a typo in each field then meant a pair was never compared. The others key on the
/// name's sound (a homophone, a name written in pinyin), the phone, the flat, and part of the birth date (year and
/// month), so that one damaged field leaves another rule to find the pair. Configured under
/// <c>DataPool:Matching:Blocking</c>; <c>match evaluate</c> reports what each rule costs (pairs) and finds (recall).
/// A rule added later finds every person: the persons filed before it are filed under it at the next start
/// (<see cref="MatchTables.FileNewRulesAsync"/>).
/// <para>
/// Three rules are not in the default set because another rule's pairs contain theirs: an equal name has an equal
/// sound (name-year ⊆ sound-year, community-name ⊆ community-sound) and an equal birth date an equal year and month
/// (date-community ⊆ community-year-month). They find nothing the default misses, but filed and looked up they were
/// three keys in eight per person: 37% of the blocking index and of the lookups. They remain for a deployment whose
/// sound or month blocks grow past the largest block looked up (<see cref="PersonMatcher"/>'s limit), where the narrower
/// key still finds what the overfull one no longer does.
/// </para>
/// <para>
/// The partial-date rule of the default is community-year-month-gender: the month block of a community split by
/// gender (GB/T 2261.1 codes 1 and 2). A record whose gender is not known (missing, 0, 9) is filed apart and looks up
/// both genders; one whose gender is known looks up its own and the unknown. So only pairs of two known, different
/// genders are left out, and the widest default block halves: it was two candidates in three of a row without an ID
/// number, each read and scored. community-year-month remains for sources whose gender is unreliable.
/// </para>
/// </summary>
public sealed class BlockingRules
{
    public static readonly string[] All =
        ["date-community", "name-year", "community-name", "sound-year", "community-sound", "phone", "address", "community-year-month",
         "community-year-month-gender"];

    /// <summary>The rules a deployment starts with: none that another default rule contains.</summary>
    public static readonly BlockingRules Default = new(["sound-year", "community-sound", "phone", "address", "community-year-month-gender"]);

    /// <summary>The partial-date rule split by gender.</summary>
    public const string MonthGender = "community-year-month-gender";

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

    /// <summary>
    /// The keys of the rules a record looks candidates up by, in one tier: its filed keys, and for
    /// <see cref="MonthGender"/> the blocks of each gender its own is compatible with (<see cref="GendersMet"/>).
    /// </summary>
    public IEnumerable<string> LookupKeys(MatchRecord record, string tier)
    {
        foreach (var rule in Rules)
        {
            if (rule == MonthGender)
            {
                foreach (var gender in GendersMet(record.Gender))
                {
                    if (MonthGenderKey(record, gender) is { } key)
                    {
                        yield return tier + key;
                    }
                }
            }
            else if (Key(rule, record) is { } key)
            {
                yield return tier + key;
            }
        }
    }

    /// <summary>
    /// The key records are grouped by to count a rule's pairs (evaluation, training), and whether a pair of one group is
    /// the rule's: <see cref="MonthGender"/> groups by the month and pairs all but two known, different genders.
    /// </summary>
    public static string? GroupKey(string rule, MatchRecord r) => rule == MonthGender ? Key("community-year-month", r) : Key(rule, r);

    /// <inheritdoc cref="GroupKey"/>
    public static bool Pairs(string rule, MatchRecord a, MatchRecord b) =>
        rule != MonthGender || GenderBlock(a.Gender) == Unknown || GenderBlock(b.Gender) == Unknown || GenderBlock(a.Gender) == GenderBlock(b.Gender);

    private const string Unknown = "?";

    /// <summary>A gender's block: the GB/T 2261.1 code of a known one (1 male, 2 female), else unknown.</summary>
    private static string GenderBlock(string? gender) => gender is "1" or "2" ? gender : Unknown;

    /// <summary>The gender blocks a record meets: its own and the unknown, or every one when its own is unknown.</summary>
    private static string[] GendersMet(string? gender) => GenderBlock(gender) is var own && own == Unknown ? ["1", "2", Unknown] : [own, Unknown];

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
        MonthGender => MonthGenderKey(r, GenderBlock(r.Gender)),
        _ => null,
    };

    /// <summary>The <see cref="MonthGender"/> block of a record's month for one gender block, or null without birth date or community.</summary>
    private static string? MonthGenderKey(MatchRecord r, string gender) => r is { BirthDate: { } birth, Community: { } community }
        ? $"g:{community}:{birth.ToString("yyyy-MM", CultureInfo.InvariantCulture)}:{gender}"
        : null;
}
