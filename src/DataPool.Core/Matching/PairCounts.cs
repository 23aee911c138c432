namespace DataPool.Core.Matching;

/// <summary>Pairs of records judged against the truth: linked (predicted), truly one entity (actual), and both.</summary>
public readonly record struct PairCounts(long TruePositive, long Predicted, long Actual)
{
    public double Precision => Predicted == 0 ? 1 : TruePositive / (double)Predicted;
    public double Recall => Actual == 0 ? 1 : TruePositive / (double)Actual;
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    /// <summary>Pair counts of a clustering: records sharing a cluster are linked, records sharing an entity are one.</summary>
    public static PairCounts Of(IReadOnlyList<long> clusters, IReadOnlyList<string> entities)
    {
        long Pairs(long n) => n * (n - 1) / 2;
        var both = Enumerable.Range(0, clusters.Count).GroupBy(i => (clusters[i], entities[i])).Sum(g => Pairs(g.Count()));
        var predicted = clusters.GroupBy(c => c).Sum(g => Pairs(g.Count()));
        var actual = entities.GroupBy(e => e, StringComparer.Ordinal).Sum(g => Pairs(g.Count()));
        return new PairCounts(both, predicted, actual);
    }
}
