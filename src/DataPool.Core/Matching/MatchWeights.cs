using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DataPool.Core.Matching;

/// <summary>
/// How often each value of a field occurs among the pool's records, kept compactly: the most frequent values with their
/// share, and one share (<see cref="Default"/>) for every other value (their average share, the long tail).
/// </summary>
public sealed record TermFrequencies(IReadOnlyDictionary<string, double> Frequent, double Default)
{
    /// <summary>How many of the most frequent values are kept: enough for every common name, small enough to store with the model.</summary>
    public const int Kept = 2000;

    public double Of(string value) => Frequent.TryGetValue(value, out var share) ? share : Default;

    /// <summary>The shares of the values among <paramref name="values"/> (nulls left out): the <paramref name="kept"/> most frequent, the others' average.</summary>
    public static TermFrequencies Count(IEnumerable<string?> values, int kept = Kept)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var total = 0;
        foreach (var value in values.OfType<string>())
        {
            counts[value] = counts.GetValueOrDefault(value) + 1;
            total++;
        }

        if (total == 0)
        {
            return new TermFrequencies(new Dictionary<string, double>(), 1);
        }

        var ordered = counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();
        var frequent = ordered.Take(kept).ToDictionary(c => c.Key, c => c.Value / (double)total, StringComparer.Ordinal);
        var rest = ordered.Skip(kept).ToList();
        var fallback = rest.Count > 0 ? rest.Sum(c => c.Value) / (double)total / rest.Count : 1.0 / total;
        return new TermFrequencies(frequent, fallback);
    }
}

/// <summary>
/// The weights a score is summed from: log2(m/u) of every (field, outcome), either the documented prior
/// (<see cref="MatchScorer.Model"/>) or the ones <c>match train</c> learned for the deployment (<see cref="MatchModelStore"/>).
/// A learned model also carries the names' frequencies, for the term-frequency adjustment of an equal name (<see cref="Name"/>).
/// </summary>
public sealed class MatchWeights
{
    /// <summary>
    /// The most a rare name's agreement may add beyond the field's own "equal" weight: the frequency of a value seen once in
    /// a sample says little about its frequency in the population, and a typo makes a "rare" name too.
    /// </summary>
    public const double MaxRareBonus = 4;

    /// <summary>The documented constants: what every deployment links with until it has trained.</summary>
    public static readonly MatchWeights Prior = new(MatchScorer.Model, null, null);

    private readonly FrozenDictionary<(string Field, string Outcome), double> _weights;
    private readonly double _nameEqualU;

    public MatchWeights(IReadOnlyDictionary<(string Field, string Outcome), (double M, double U)> probabilities, TermFrequencies? names, long? version)
    {
        Probabilities = probabilities;
        Names = names;
        Version = version;
        _weights = probabilities.ToDictionary(p => p.Key, p => AgainstNoWeaker(p.Key, Math.Round(Math.Log2(p.Value.M / p.Value.U), 2))).ToFrozenDictionary();
        _nameEqualU = probabilities.TryGetValue(("name", ComparisonLevels.Equal), out var equal) ? equal.U : 1;
    }

    /// <summary>
    /// A learned "differ" counts at least as much against a match as the prior's. EM cannot tell one person from one
    /// household: members share address, phone and community, so over blocked pairs it learns that a different name or birth
    /// date is common among "matches" (m of a different name near 0.2 instead of 0.003), and those weights linked household
    /// members into one person (precision 0.87 on the independent labelled world). The learned u (a one-valued field weighing
    /// nothing) and the agreements' weights stay as learned.
    /// </summary>
    private static double AgainstNoWeaker((string Field, string Outcome) level, double learned) =>
        level.Outcome == ComparisonLevels.Differ && MatchScorer.Model.TryGetValue(level, out var prior)
            ? Math.Min(learned, Math.Round(Math.Log2(prior.M / prior.U), 2))
            : learned;

    /// <summary>m and u of every (field, outcome).</summary>
    public IReadOnlyDictionary<(string Field, string Outcome), (double M, double U)> Probabilities { get; }

    /// <summary>The names' frequencies in the data the model was trained on; null for the prior (no adjustment).</summary>
    public TermFrequencies? Names { get; }

    /// <summary>
    /// Whether the weights were learned (by EM, which assumes the fields independent) rather than the prior, whose household
    /// fields are damped by hand for their dependence: a learned model's are damped when scoring (<see cref="MatchScorer"/>).
    /// </summary>
    public bool Learned => !ReferenceEquals(Probabilities, MatchScorer.Model);

    /// <summary>The model's version in <c>dp_match_models</c>; null for the prior.</summary>
    public long? Version { get; }

    /// <summary>The weight of an outcome; one the model lacks (missing) weighs 0.</summary>
    public double Weight(string field, string outcome) => _weights.GetValueOrDefault((field, outcome));

    /// <summary>
    /// The name's weight. Two records agreeing on a name is weaker evidence the more people bear it: with u of the one
    /// value being its share p among records (not the share of all agreeing random pairs), an equal name weighs
    /// log2(m / p) instead of log2(m / u), i.e. the field's weight plus log2(u / p). A common name (王伟) thus loses
    /// weight, never below 0; a rare one (欧阳娜娜) gains, at most <see cref="MaxRareBonus"/> bits.
    /// </summary>
    public double Name(string? name, string outcome)
    {
        var weight = Weight("name", outcome);
        if (Names is null || name is null || outcome != ComparisonLevels.Equal)
        {
            return weight;
        }

        var adjustment = Math.Log2(_nameEqualU / Names.Of(name));
        return Math.Round(Math.Max(0, weight + Math.Min(MaxRareBonus, adjustment)), 2);
    }

    /// <summary>The model as stored: every (field, outcome)'s m and u, and the names' frequencies.</summary>
    public string ToJson() => JsonSerializer.Serialize(new StoredModel(
        Probabilities.Select(p => new StoredLevel(p.Key.Field, p.Key.Outcome, p.Value.M, p.Value.U)).ToList(),
        Names is null ? null : new StoredFrequencies(Names.Frequent, Names.Default)));

    /// <summary>A stored model (<see cref="ToJson"/>); a model stored before names' frequencies were (a bare list of levels) has none.</summary>
    public static MatchWeights FromJson(string json, long? version)
    {
        using var document = JsonDocument.Parse(json);
        var stored = document.RootElement.ValueKind == JsonValueKind.Array
            ? new StoredModel(document.RootElement.Deserialize<List<StoredLevel>>() ?? [], null)
            : document.RootElement.Deserialize<StoredModel>() ?? new StoredModel([], null);
        var probabilities = new Dictionary<(string Field, string Outcome), (double M, double U)>(MatchScorer.Model);
        foreach (var level in stored.Levels.Where(l => l.M > 0 && l.U > 0))
        {
            probabilities[(level.Field, level.Outcome)] = (level.M, level.U);
        }

        var names = stored.Names is { } n ? new TermFrequencies(n.Frequent.ToDictionary(StringComparer.Ordinal), n.Default) : null;
        return new MatchWeights(probabilities, names, version);
    }

    private sealed record StoredModel([property: JsonPropertyName("levels")] List<StoredLevel> Levels, [property: JsonPropertyName("names")] StoredFrequencies? Names);

    private sealed record StoredLevel(
        [property: JsonPropertyName("field")] string Field, [property: JsonPropertyName("outcome")] string Outcome,
        [property: JsonPropertyName("m")] double M, [property: JsonPropertyName("u")] double U);

    private sealed record StoredFrequencies(
        [property: JsonPropertyName("frequent")] IReadOnlyDictionary<string, double> Frequent, [property: JsonPropertyName("default")] double Default);
}
