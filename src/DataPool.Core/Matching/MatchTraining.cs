namespace DataPool.Core.Matching;

/// <summary>m and u of every (field, outcome), estimated from data, with how much data they rest on.</summary>
public sealed record TrainedModel(
    IReadOnlyDictionary<(string Field, string Outcome), (double M, double U)> Probabilities, double MatchShare, int Iterations, long BlockedPairs, long RandomPairs)
{
    /// <summary>The names' frequencies among the records trained on, for the term-frequency adjustment (<see cref="MatchWeights.Name"/>).</summary>
    public TermFrequencies? Names { get; init; }

    public double Weight(string field, string outcome) =>
        Probabilities.TryGetValue((field, outcome), out var p) ? Math.Log2(p.M / p.U) : 0;

    /// <summary>The weights live matching sums, as <paramref name="version"/> of the deployment's model.</summary>
    public MatchWeights Weights(long? version = null) => new(Probabilities, Names, version);
}

/// <summary>
/// Fellegi–Sunter weights learned from the pool, as the best open-source matchers learn them: u (how often an outcome
/// happens between different persons) counted over random pairs, m (how often it happens for one person) by
/// expectation–maximisation over the blocked pairs, where matches and non-matches mix in unknown shares. Both start
/// from the documented prior (<see cref="MatchScorer.Model"/>) and lean on it as pseudo-counts, so scarce data moves the
/// weights little; a field with one value across the pool gets u ≈ 1 for "equal", hence a weight near 0. The names'
/// frequencies are counted too, so that agreeing on a common name weighs less than on a rare one. The ID number is
/// not learned: its outcomes rest on the check character, not on data.
/// </summary>
public static class MatchTraining
{
    public static readonly string[] Fields = ["name", "birth_date", "gender", "address", "phone", "community_code"];

    /// <summary>Each field's comparison level for a pair, in <see cref="Fields"/> order.</summary>
    public static string[] Outcomes(MatchRecord a, MatchRecord b) =>
    [
        ComparisonLevels.Name(a, b), ComparisonLevels.Date(a.BirthDate, b.BirthDate), ComparisonLevels.Exact(a.Gender, b.Gender),
        ComparisonLevels.Address(a, b), ComparisonLevels.Phone(a.Phone, b.Phone), ComparisonLevels.Exact(a.Community, b.Community),
    ];

    /// <summary>Trains on pool records: u from <paramref name="randomPairs"/> random pairs, m by EM over the pairs the blocking rules make.</summary>
    public static TrainedModel Train(IReadOnlyList<MatchRecord> records, BlockingRules blocking, int seed = 16, int randomPairs = 200_000, double pseudoCounts = 50)
    {
        var random = new Random(seed);
        var sampled = new List<string[]>();
        for (var i = 0; records.Count > 1 && i < randomPairs; i++)
        {
            var (a, b) = (random.Next(records.Count), random.Next(records.Count));
            if (a != b)
            {
                sampled.Add(Outcomes(records[a], records[b]));
            }
        }

        var u = EstimateU(sampled, pseudoCounts);
        // Per rule, as the best open-source matchers do: a rule's pairs agree on the rule's own fields by construction,
        // so EM over them learns m of the other fields only; each field's m is then the rules' estimates weighted by the
        // matches each found.
        var sums = Prior().Keys.ToDictionary(k => k, _ => 0.0);
        var weights = Fields.ToDictionary(f => f, _ => 0.0);
        long pairsSeen = 0;
        var (share, iterations) = (0.0, 0);
        // Only rules that pin a name or a birth date: the pairs of a phone or address rule are mostly members of one
        // household, and EM over them learns "same household" (a different name and birth date nearly as likely as
        // the same), whose weights then link a household's members into one person.
        foreach (var rule in blocking.Rules.Where(r => RuleFields(r).Any(f => f is "name" or "birth_date")))
        {
            var blocked = new List<string[]>();
            foreach (var block in records.Select((r, i) => (Key: BlockingRules.GroupKey(rule, r), Index: i)).Where(k => k.Key is not null).GroupBy(k => k.Key!, StringComparer.Ordinal))
            {
                var members = block.Select(k => k.Index).ToList();
                for (var x = 0; x < members.Count && members.Count <= 400; x++)
                {
                    for (var y = x + 1; y < members.Count; y++)
                    {
                        if (BlockingRules.Pairs(rule, records[members[x]], records[members[y]]))
                        {
                            blocked.Add(Outcomes(records[members[x]], records[members[y]]));
                        }
                    }
                }
            }

            var used = Fields.Select(f => RuleFields(rule).Contains(f)).ToArray();
            var (m, ruleShare, ruleIterations) = EstimateM(blocked, u, pseudoCounts, used);
            var matches = ruleShare * blocked.Count;
            pairsSeen += blocked.Count;
            (share, iterations) = (Math.Max(share, ruleShare), Math.Max(iterations, ruleIterations));
            for (var f = 0; f < Fields.Length; f++)
            {
                if (!used[f])
                {
                    weights[Fields[f]] += matches;
                    foreach (var key in sums.Keys.Where(k => k.Field == Fields[f]).ToList())
                    {
                        sums[key] += m[key] * matches;
                    }
                }
            }
        }

        var probabilities = Prior().ToDictionary(p => p.Key, p => (weights[p.Key.Field] > 0 ? sums[p.Key] / weights[p.Key.Field] : p.Value.M, u[p.Key]));
        foreach (var id in MatchScorer.Model.Where(p => p.Key.Field == "id_number"))
        {
            probabilities[id.Key] = id.Value;
        }

        return new TrainedModel(probabilities, share, iterations, pairsSeen, sampled.Count) { Names = TermFrequencies.Count(records.Select(r => r.Name)) };
    }

    /// <summary>The fields a blocking rule's pairs agree on by construction.</summary>
    private static string[] RuleFields(string rule) => rule switch
    {
        "date-community" or "community-year-month" => ["birth_date", "community_code"],
        // Gender pairs unknown with known here, so it is not held equal by construction.
        BlockingRules.MonthGender => ["birth_date", "community_code"],
        "name-year" or "sound-year" => ["name", "birth_date"],
        "community-name" or "community-sound" => ["name", "community_code"],
        "phone" => ["phone"],
        "address" => ["address"],
        _ => [],
    };

    /// <summary>u: each outcome's share among random pairs (missing values left out), the prior's u as pseudo-counts.</summary>
    public static Dictionary<(string, string), double> EstimateU(IReadOnlyList<string[]> pairs, double pseudoCounts)
    {
        var u = new Dictionary<(string, string), double>();
        for (var f = 0; f < Fields.Length; f++)
        {
            var levels = Prior().Keys.Where(k => k.Field == Fields[f]).ToList();
            var counts = levels.ToDictionary(k => k, _ => 0.0);
            var total = 0.0;
            foreach (var pair in pairs)
            {
                if (counts.ContainsKey((Fields[f], pair[f])))
                {
                    counts[(Fields[f], pair[f])]++;
                    total++;
                }
            }

            foreach (var level in levels)
            {
                u[level] = (counts[level] + pseudoCounts * Prior()[level].U) / (total + pseudoCounts);
            }
        }

        return u;
    }

    /// <summary>m and the share of matches among the pairs by EM, u held fixed; pairs grouped by their outcome pattern.</summary>
    public static (Dictionary<(string, string), double> M, double MatchShare, int Iterations) EstimateM(
        IReadOnlyList<string[]> pairs, IReadOnlyDictionary<(string, string), double> u, double pseudoCounts, bool[]? leftOut = null, int maxIterations = 100)
    {
        leftOut ??= new bool[Fields.Length];
        var patterns = pairs.GroupBy(p => string.Join('|', p), StringComparer.Ordinal).Select(g => (Outcomes: g.First(), Count: (double)g.Count())).ToList();
        var m = Prior().ToDictionary(p => p.Key, p => p.Value.M);
        var share = 0.1;
        var iteration = 0;
        for (; iteration < maxIterations && patterns.Count > 0; iteration++)
        {
            var sums = m.Keys.ToDictionary(k => k, _ => 0.0);
            var present = Fields.ToDictionary(f => f, _ => 0.0);
            var matches = 0.0;
            foreach (var (outcomes, count) in patterns)
            {
                double logMatch = Math.Log(share), logOther = Math.Log(1 - share);
                for (var f = 0; f < Fields.Length; f++)
                {
                    if (!leftOut[f] && m.TryGetValue((Fields[f], outcomes[f]), out var mf))
                    {
                        logMatch += Math.Log(mf);
                        logOther += Math.Log(u[(Fields[f], outcomes[f])]);
                    }
                }

                var g = 1 / (1 + Math.Exp(logOther - logMatch));
                matches += g * count;
                for (var f = 0; f < Fields.Length; f++)
                {
                    if (sums.ContainsKey((Fields[f], outcomes[f])))
                    {
                        sums[(Fields[f], outcomes[f])] += g * count;
                        present[Fields[f]] += g * count;
                    }
                }
            }

            var change = 0.0;
            foreach (var key in m.Keys.ToList())
            {
                var next = (sums[key] + pseudoCounts * Prior()[key].M) / (present[key.Item1] + pseudoCounts);
                change = Math.Max(change, Math.Abs(next - m[key]));
                m[key] = next;
            }

            var nextShare = Math.Clamp(matches / patterns.Sum(p => p.Count), 1e-6, 1 - 1e-6);
            change = Math.Max(change, Math.Abs(nextShare - share));
            share = nextShare;
            if (change < 1e-6)
            {
                break;
            }
        }

        return (m, share, iteration);
    }

    /// <summary>The prior of the learned fields, m and u each normalised to sum to 1 over a field's levels.</summary>
    private static IReadOnlyDictionary<(string Field, string Outcome), (double M, double U)> Prior() => PriorTable.Value;

    private static readonly Lazy<Dictionary<(string Field, string Outcome), (double M, double U)>> PriorTable = new(() =>
    {
        var table = new Dictionary<(string Field, string Outcome), (double M, double U)>();
        foreach (var field in Fields)
        {
            var levels = MatchScorer.Model.Where(p => p.Key.Field == field).ToList();
            var (sumM, sumU) = (levels.Sum(l => l.Value.M), levels.Sum(l => l.Value.U));
            foreach (var level in levels)
            {
                table[level.Key] = (level.Value.M / sumM, level.Value.U / sumU);
            }
        }

        return table;
    });
}
