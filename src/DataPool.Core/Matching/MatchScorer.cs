using System.Collections.Frozen;
using System.Globalization;
using F23.StringSimilarity;

namespace DataPool.Core.Matching;

/// <summary>One field's part of a score: the two values, how they compared, and the weight that earned.</summary>
public sealed record FieldScore(string Field, string? Left, string? Right, string Outcome, double Weight);

/// <summary>A candidate scored: the total (sum of the field weights, in bits) and its breakdown.</summary>
public sealed record MatchScore(double Total, IReadOnlyList<FieldScore> Fields);

/// <summary>
/// Fellegi–Sunter scoring with fixed, documented m/u probabilities: each field's outcome adds
/// log2(m/u), where m = P(outcome | same person) and u = P(outcome | different persons). The table
/// below is the whole model; a score is the sum of its rows, so every decision can be read off it.
/// Names and addresses compare by Jaro–Winkler (F23.StringSimilarity) on normalised text.
/// </summary>
public static class MatchScorer
{
    /// <summary>(field, outcome) → (m, u). u of an equal birth date ≈ 1 / (75 years × 365 days).</summary>
    public static readonly IReadOnlyDictionary<(string Field, string Outcome), (double M, double U)> Model = new Dictionary<(string, string), (double, double)>
    {
        [("id_number", "equal")] = (0.97, 1e-6),
        [("id_number", "15-vs-18")] = (0.97, 1e-6),
        [("id_number", "check-character")] = (0.02, 1e-6),
        // Two different well-formed ID numbers almost never belong to one person.
        [("id_number", "differ")] = (1e-6, 0.999999),
        [("name", "equal")] = (0.90, 0.001),
        [("name", "similar")] = (0.07, 0.01),
        // A wholly different name is rare for one person; this is what keeps twins apart.
        [("name", "differ")] = (0.001, 0.989),
        [("birth_date", "equal")] = (0.95, 3.65e-5),
        [("birth_date", "day-month-swapped")] = (0.02, 3.65e-5),
        [("birth_date", "one-digit-off")] = (0.02, 0.001),
        [("birth_date", "differ")] = (0.01, 0.999),
        [("gender", "equal")] = (0.98, 0.5),
        [("gender", "differ")] = (0.01, 0.5),
        // Address and community are correlated with each other: their u is damped so they do not double count.
        [("address", "equal")] = (0.60, 0.01),
        [("address", "similar")] = (0.20, 0.05),
        [("address", "differ")] = (0.20, 0.94),
        [("phone", "equal")] = (0.60, 1e-4),
        [("phone", "differ")] = (0.40, 0.9999),
        [("community_code", "equal")] = (0.85, 0.01),
        [("community_code", "differ")] = (0.15, 0.99),
    };

    private const double Similar = 0.9;
    private static readonly JaroWinkler Similarity = new();

    /// <summary>Each (field, outcome)'s weight, rounded as the breakdown shows it; an outcome the model lacks (missing) weighs 0.</summary>
    private static readonly FrozenDictionary<(string Field, string Outcome), double> Weights =
        Model.ToDictionary(p => p.Key, p => Math.Round(Math.Log2(p.Value.M / p.Value.U), 2)).ToFrozenDictionary();

    public static double Weight(string field, string outcome) => Weights.GetValueOrDefault((field, outcome));

    /// <summary>The score with its per-field breakdown (for the decision that is kept, the review queue and explain).</summary>
    public static MatchScore Score(MatchRecord left, MatchRecord right)
    {
        var outcomes = Outcomes(left, right);
        var fields = new List<FieldScore>(7)
        {
            Field("id_number", left.Id?.Full ?? left.Id?.First17, right.Id?.Full ?? right.Id?.First17, outcomes.Id),
            Field("name", left.Name, right.Name, outcomes.Name),
            Field("birth_date", Date(left.BirthDate), Date(right.BirthDate), outcomes.BirthDate),
            Field("gender", left.Gender, right.Gender, outcomes.Gender),
            Field("address", left.Address, right.Address, outcomes.Address),
            Field("phone", left.Phone, right.Phone, outcomes.Phone),
            Field("community_code", left.Community, right.Community, outcomes.Community),
        };
        return new MatchScore(Math.Round(fields.Sum(f => f.Weight), 2), fields);
    }

    /// <summary>Only the total, without building the breakdown: what ranking a block's candidates needs.</summary>
    public static double Total(MatchRecord left, MatchRecord right)
    {
        var o = Outcomes(left, right);
        return Math.Round(Weight("id_number", o.Id) + Weight("name", o.Name) + Weight("birth_date", o.BirthDate) + Weight("gender", o.Gender)
            + Weight("address", o.Address) + Weight("phone", o.Phone) + Weight("community_code", o.Community), 2);
    }

    private readonly record struct FieldOutcomes(string Id, string Name, string BirthDate, string Gender, string Address, string Phone, string Community);

    private static FieldOutcomes Outcomes(MatchRecord left, MatchRecord right) => new(
        IdOutcomeText(IdForm.Compare(left.Id, right.Id)),
        Text(left.Name, right.Name),
        BirthOutcome(left.BirthDate, right.BirthDate),
        Exact(left.Gender, right.Gender),
        Text(left.Address, right.Address),
        Exact(left.Phone, right.Phone),
        Exact(left.Community, right.Community));

    private static FieldScore Field(string field, string? left, string? right, string outcome) =>
        new(field, left, right, outcome, Weight(field, outcome));

    private static string IdOutcomeText(IdOutcome outcome) => outcome switch
    {
        IdOutcome.Equal => "equal",
        IdOutcome.FifteenToEighteen => "15-vs-18",
        IdOutcome.CheckCharacter => "check-character",
        IdOutcome.Differ => "differ",
        _ => "missing",
    };

    private static string Exact(string? a, string? b) =>
        a is null || b is null ? "missing" : a == b ? "equal" : "differ";

    private static string Text(string? a, string? b) =>
        a is null || b is null ? "missing" : a == b ? "equal" : Similarity.Similarity(a, b) >= Similar ? "similar" : "differ";

    private static string BirthOutcome(DateOnly? a, DateOnly? b)
    {
        if (a is not { } left || b is not { } right)
        {
            return "missing";
        }

        if (left == right)
        {
            return "equal";
        }

        if (MatchRecord.Swapped(left) == right)
        {
            return "day-month-swapped";
        }

        Span<char> x = stackalloc char[10], y = stackalloc char[10];
        left.TryFormat(x, out _, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        right.TryFormat(y, out _, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var differing = 0;
        for (var i = 0; i < x.Length; i++)
        {
            differing += x[i] != y[i] ? 1 : 0;
        }

        return differing == 1 ? "one-digit-off" : "differ";
    }

    private static string? Date(DateOnly? date) => date is { } d ? MatchRecord.Iso(d) : null;
}
