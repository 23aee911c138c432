namespace DataPool.Core.Matching;

/// <summary>One field's part of a score: the two values, how they compared, and the weight that earned.</summary>
public sealed record FieldScore(string Field, string? Left, string? Right, string Outcome, double Weight);

/// <summary>A candidate scored: the total (sum of the field weights, in bits) and its breakdown.</summary>
public sealed record MatchScore(double Total, IReadOnlyList<FieldScore> Fields);

/// <summary>
/// Fellegi–Sunter scoring with documented m/u probabilities: each field's outcome (its comparison level,
/// <see cref="ComparisonLevels"/>) adds log2(m/u), where m = P(outcome | same person) and u = P(outcome |
/// different persons). The table below is the prior every deployment starts from; <c>match train</c> learns the
/// deployment's own (<see cref="MatchWeights"/>). A score is the sum of its rows, so every decision can be read off it.
/// </summary>
public static class MatchScorer
{
    /// <summary>
    /// (field, outcome) → (m, u), the prior every deployment starts from. u of an equal birth date ≈ 1 / (75 years × 365 days).
    /// The levels of a field (<see cref="ComparisonLevels"/>) are ordered strongest first; an outcome the table lacks (missing) weighs 0.
    /// </summary>
    public static readonly IReadOnlyDictionary<(string Field, string Outcome), (double M, double U)> Model = new Dictionary<(string, string), (double, double)>
    {
        [("id_number", "equal")] = (0.97, 1e-6),
        [("id_number", "15-vs-18")] = (0.97, 1e-6),
        [("id_number", "check-character")] = (0.02, 1e-6),
        // Two different well-formed ID numbers almost never belong to one person.
        [("id_number", "differ")] = (1e-6, 0.999999),
        [("name", "equal")] = (0.85, 0.0015),
        // A homophone typed by a pinyin input method, or the name written in pinyin.
        [("name", "sound-equal")] = (0.05, 0.0004),
        [("name", "parts-transposed")] = (0.02, 0.0001),
        [("name", "one-part-missing")] = (0.04, 0.0008),
        // Siblings often share two of three characters (a generation name): one different character is weak evidence.
        [("name", "one-char-different")] = (0.04, 0.01),
        [("name", "similar")] = (0.02, 0.01),
        // A wholly different name is rare for one person; this is what keeps twins apart.
        [("name", "differ")] = (0.003, 0.98),
        [("birth_date", "equal")] = (0.85, 3.65e-5),
        [("birth_date", "day-month-swapped")] = (0.02, 3.65e-5),
        [("birth_date", "year-off")] = (0.02, 7.3e-5),
        [("birth_date", "one-digit-off")] = (0.03, 0.001),
        [("birth_date", "same-year-month")] = (0.02, 0.0011),
        [("birth_date", "differ")] = (0.02, 0.997),
        [("gender", "equal")] = (0.98, 0.5),
        [("gender", "differ")] = (0.01, 0.5),
        // Address, phone and community are correlated with each other (a household shares them): their u is damped so they do not double count.
        [("address", "equal")] = (0.60, 0.005),
        [("address", "tokens-contained")] = (0.20, 0.002),
        [("address", "similar")] = (0.10, 0.02),
        [("address", "differ")] = (0.20, 0.977),
        [("phone", "equal")] = (0.60, 5e-4),
        [("phone", "last-8")] = (0.02, 1e-5),
        [("phone", "one-digit-off")] = (0.05, 1e-4),
        [("phone", "differ")] = (0.20, 0.9994),
        [("community_code", "equal")] = (0.90, 0.1),
        [("community_code", "differ")] = (0.10, 0.9),
    };

    /// <summary>The prior's weight of an (field, outcome), rounded as the breakdown shows it; an outcome the model lacks (missing) weighs 0.</summary>
    public static double Weight(string field, string outcome) => MatchWeights.Prior.Weight(field, outcome);

    /// <summary>
    /// The score with its per-field breakdown (for the decision that is kept, the review queue and explain), summed from
    /// <paramref name="weights"/> (the deployment's trained model; the prior when null).
    /// </summary>
    public static MatchScore Score(MatchRecord left, MatchRecord right, MatchWeights? weights = null)
    {
        var w = weights ?? MatchWeights.Prior;
        var outcomes = Outcomes(left, right);
        FieldScore Field(string field, string? l, string? r, string outcome) => new(field, l, r, outcome, w.Weight(field, outcome));
        var fields = new List<FieldScore>(8)
        {
            Field("id_number", left.Id?.Full ?? left.Id?.First17, right.Id?.Full ?? right.Id?.First17, outcomes.Id),
            new("name", left.Name, right.Name, outcomes.Name, w.Name(left.Name, outcomes.Name)),
            Field("birth_date", Date(left.BirthDate), Date(right.BirthDate), outcomes.BirthDate),
            Field("gender", left.Gender, right.Gender, outcomes.Gender),
            Field("address", left.Address, right.Address, outcomes.Address),
            Field("phone", left.Phone, right.Phone, outcomes.Phone),
            Field("community_code", left.Community, right.Community, outcomes.Community),
        };
        var apart = PersonsApart(left, right, outcomes.Name, outcomes.BirthDate);
        var household = Household(apart, w.Learned, fields[4].Weight, fields[5].Weight, fields[6].Weight);
        if (household != 0)
        {
            fields.Add(new FieldScore(HouseholdRow, null, null, apart ? OtherMember : "correlated", household));
        }

        return new MatchScore(Math.Round(fields.Sum(f => f.Weight), 2), fields);
    }

    /// <summary>Only the total, without building the breakdown: what ranking a block's candidates needs.</summary>
    public static double Total(MatchRecord left, MatchRecord right, MatchWeights? weights = null) => Judge(left, right, weights).Total;

    /// <summary>The total (<see cref="Total"/>) and whether the two are apart by their own fields (<see cref="PersonsApart"/>).</summary>
    public static (double Total, bool Apart) Judge(MatchRecord left, MatchRecord right, MatchWeights? weights = null)
    {
        var w = weights ?? MatchWeights.Prior;
        var o = Outcomes(left, right);
        var (address, phone, community) = (w.Weight("address", o.Address), w.Weight("phone", o.Phone), w.Weight("community_code", o.Community));
        var apart = PersonsApart(left, right, o.Name, o.BirthDate);
        return (Math.Round(w.Weight("id_number", o.Id) + w.Name(left.Name, o.Name) + w.Weight("birth_date", o.BirthDate) + w.Weight("gender", o.Gender)
            + address + phone + community + Household(apart, w.Learned, address, phone, community), 2), apart);
    }

    /// <summary>The breakdown's row that corrects for the household fields' dependence (<see cref="Household(bool, bool, double, double, double)"/>).</summary>
    public const string HouseholdRow = "household";

    /// <summary>The household row's outcome when the persons are apart (<see cref="PersonsApart"/>): the shared household fields speak for another member of the household.</summary>
    public const string OtherMember = "other-member";

    /// <summary>
    /// Address, phone and community are not independent, and this row corrects for it, so the breakdown still sums:
    /// <list type="bullet">
    /// <item>A person who moves changes them together: counted as independent, one move would count three times against a
    /// person. The strongest of their disagreements counts fully, the others at half.</item>
    /// <item>Their agreements are evidence of one household, not of one person: its members share them, and what tells two
    /// of them apart is a person's own fields, the birth date (a parent, a child, a sibling) and, for twins, the name. When
    /// those set the pair apart (<see cref="PersonsApart"/>) the household's agreements are withdrawn. Counted, they
    /// outweighed the rest: twins of other names at 20.8 bits with the prior, a parent and a child of similar names at
    /// 26.5 with learned weights, both over the link threshold (the independent labelled world).</item>
    /// <item>Otherwise the prior's agreements add up as they are (its u are damped by hand: halving them cost recall,
    /// 0.94 to 0.89, and precision was at 0.999 already). A <paramref name="learned"/> model's are not damped, EM taking the
    /// fields as independent (address and phone near 13 bits each), so its agreements beyond the strongest count at
    /// half: a household member of a similar name and no birth date linked on them alone (precision 0.98 at 20,000
    /// persons, 0.997 damped).</item>
    /// </list>
    /// </summary>
    private static double Household(bool personsApart, bool learned, double address, double phone, double community)
    {
        var worst = Math.Min(0, Math.Min(address, Math.Min(phone, community)));
        var disagreements = Math.Min(0, address) + Math.Min(0, phone) + Math.Min(0, community);
        var agreements = Math.Max(0, address) + Math.Max(0, phone) + Math.Max(0, community);
        var strongest = Math.Max(0, Math.Max(address, Math.Max(phone, community)));
        var withdrawn = personsApart ? agreements : learned ? (agreements - strongest) / 2 : 0;
        return Math.Round((worst - disagreements) / 2 - withdrawn, 2);
    }

    /// <summary>
    /// Two persons by their own fields, whatever their household fields say: birth dates that no slip explains (no
    /// comparison level relates them: <see cref="ComparisonLevels.Date"/> says differ), or names that none explains
    /// (<see cref="ComparisonLevels.Name"/> says differ) and more than one character apart. One character is what a wrong
    /// pick of a pinyin input method or a misread hand changes, in a two-character name the whole given name; two or more
    /// (a given name of other characters, or of another length) is what another person's name looks like.
    /// </summary>
    private static bool PersonsApart(MatchRecord left, MatchRecord right, string name, string birthDate) =>
        birthDate == ComparisonLevels.Differ
        || (name == ComparisonLevels.Differ && left.Name is { } l && right.Name is { } r && !Distance.AtMostOne(l, r));

    private readonly record struct FieldOutcomes(string Id, string Name, string BirthDate, string Gender, string Address, string Phone, string Community);

    private static FieldOutcomes Outcomes(MatchRecord left, MatchRecord right) => new(
        IdOutcomeText(IdForm.Compare(left.Id, right.Id)),
        ComparisonLevels.Name(left, right),
        ComparisonLevels.Date(left.BirthDate, right.BirthDate),
        ComparisonLevels.Exact(left.Gender, right.Gender),
        ComparisonLevels.Address(left, right),
        ComparisonLevels.Phone(left.Phone, right.Phone),
        ComparisonLevels.Exact(left.Community, right.Community));

    private static string IdOutcomeText(IdOutcome outcome) => outcome switch
    {
        IdOutcome.Equal => "equal",
        IdOutcome.FifteenToEighteen => "15-vs-18",
        IdOutcome.CheckCharacter => "check-character",
        IdOutcome.Differ => "differ",
        _ => "missing",
    };

    private static string? Date(DateOnly? date) => date is { } d ? MatchRecord.Iso(d) : null;
}
