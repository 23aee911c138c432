namespace DataPool.Core.Tests.Matching.Independent;

/// <summary>Precision, recall and F1 over pairs of records: a pair is predicted when both records sit in one pool person, true when both belong to one entity.</summary>
public readonly record struct PairScore(long TruePositive, long Predicted, long Actual)
{
    public double Precision => Predicted == 0 ? 1 : TruePositive / (double)Predicted;
    public double Recall => Actual == 0 ? 1 : TruePositive / (double)Actual;
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
    public override string ToString() => $"P {Precision:F4} R {Recall:F4} F1 {F1:F4} (pairs: {TruePositive} right of {Predicted} linked, {Actual} true)";
}

public static class PairMetrics
{
    /// <param name="clusterOf">Each record's pool person; a record missing from it (quarantined) is a cluster of its own.</param>
    /// <param name="entityOf">Each record's true entity.</param>
    public static PairScore Overall(IReadOnlyDictionary<string, long> clusterOf, IReadOnlyDictionary<string, int> entityOf)
    {
        var cells = entityOf.Keys.Where(clusterOf.ContainsKey).GroupBy(k => (clusterOf[k], entityOf[k])).Sum(g => Pairs(g.Count()));
        var predicted = entityOf.Keys.Where(clusterOf.ContainsKey).GroupBy(k => clusterOf[k]).Sum(g => Pairs(g.Count()));
        var actual = entityOf.Values.GroupBy(e => e).Sum(g => Pairs(g.Count()));
        return new PairScore(cells, predicted, actual);
    }

    /// <summary>The pairs that involve one of <paramref name="rows"/>: how the matcher did on them.</summary>
    public static PairScore Involving(IEnumerable<string> rows, IReadOnlyDictionary<string, long> clusterOf, IReadOnlyDictionary<string, int> entityOf)
    {
        var byCluster = entityOf.Keys.Where(clusterOf.ContainsKey).ToLookup(k => clusterOf[k]);
        var byEntity = entityOf.Keys.ToLookup(k => entityOf[k]);
        long truePositive = 0, predicted = 0, actual = 0;
        foreach (var row in rows)
        {
            var entity = entityOf[row];
            actual += byEntity[entity].Count() - 1;
            if (clusterOf.TryGetValue(row, out var cluster))
            {
                var mates = byCluster[cluster].Where(k => k != row).ToList();
                predicted += mates.Count;
                truePositive += mates.Count(k => entityOf[k] == entity);
            }
        }

        return new PairScore(truePositive, predicted, actual);
    }

    private static long Pairs(long n) => n * (n - 1) / 2;
}
