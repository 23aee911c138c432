namespace DataPool.Core.Matching;

/// <summary>One labelled record: where it is in the pool (null when it is not: quarantined, unknown key) and what matching sees of it.</summary>
public sealed record EvaluatedRecord(string SourceId, string SourceKey, string Entity, long? Pool, MatchRecord Record);

/// <summary>P/R/F1 had the matcher linked every blocked pair scoring at least <paramref name="Threshold"/> (clusters closed transitively).</summary>
public sealed record ThresholdRow(double Threshold, PairCounts Counts);

/// <summary>What one blocking rule costs (pairs it makes candidates) and finds (the share of true pairs among them).</summary>
public sealed record BlockingRuleReport(string Rule, long Pairs, long TruePairs, double Recall);

/// <summary>A pair the pool got wrong: <c>missed</c> (one entity, two persons) or <c>wrong</c> (two entities, one person), with the score's breakdown.</summary>
public sealed record AuditPair(string Kind, EvaluatedRecord Left, EvaluatedRecord Right, MatchScore Score);

public sealed record EvaluationReport(
    PairCounts Pool, IReadOnlyList<ThresholdRow> ByThreshold, IReadOnlyList<BlockingRuleReport> Blocking, BlockingRuleReport AllRules, IReadOnlyList<AuditPair> Audit)
{
    /// <summary>The version of the trained model the pairs were scored with; null for the prior.</summary>
    public long? ModelVersion { get; init; }
}

/// <summary>
/// The matcher judged against a labelled sample (<c>datapool match evaluate</c>): pairwise precision, recall and F1 of the
/// pool's persons; the same for every threshold, from the blocked pairs scored afresh; what each blocking rule costs and
/// finds; and the pairs the pool got wrong with each field's outcome and weight, so anyone can audit the matcher on their
/// own data. Pure: the records come from <see cref="MatchEvaluationStore"/> or a test.
/// </summary>
public static class MatchEvaluation
{
    /// <summary>A block shared by more records than this is skipped, as the matcher skips it.</summary>
    private const int MaxBlock = 400;

    /// <summary>Judges the pool's persons and scores the blocked pairs with <paramref name="weights"/> (the deployment's model; the prior when null).</summary>
    public static EvaluationReport Evaluate(IReadOnlyList<EvaluatedRecord> records, MatchSettings settings, MatchWeights? weights = null, int maxAudit = 10_000)
    {
        var entities = records.Select(r => r.Entity).ToList();
        var pool = PairCounts.Of(records.Select((r, i) => r.Pool ?? -1L - i).ToList(), entities);
        var truePairs = pool.Actual;

        var union = new HashSet<(int, int)>();
        var rules = new List<BlockingRuleReport>();
        foreach (var rule in settings.Blocking.Rules)
        {
            var pairs = BlockedPairs(records, rule);
            union.UnionWith(pairs);
            var right = pairs.LongCount(p => records[p.Item1].Entity == records[p.Item2].Entity);
            rules.Add(new BlockingRuleReport(rule, pairs.Count, right, truePairs == 0 ? 1 : right / (double)truePairs));
        }

        var found = union.LongCount(p => records[p.Item1].Entity == records[p.Item2].Entity);
        var all = new BlockingRuleReport(string.Join(" OR ", settings.Blocking.Rules), union.Count, found, truePairs == 0 ? 1 : found / (double)truePairs);
        var scored = union.Select(p => (p.Item1, p.Item2, Score: MatchScorer.Total(records[p.Item1].Record, records[p.Item2].Record, weights))).ToList();
        var byThreshold = new List<ThresholdRow>();
        for (var threshold = 0.0; threshold <= 40; threshold += 2)
        {
            byThreshold.Add(new ThresholdRow(threshold, PairCounts.Of(Clusters(records.Count, scored.Where(s => s.Score >= threshold)), entities)));
        }

        return new EvaluationReport(pool, byThreshold, rules, all, Audit(records, weights, maxAudit)) { ModelVersion = weights?.Version };
    }

    /// <summary>Pairs (i &lt; j) sharing this rule's key, blocks above <see cref="MaxBlock"/> skipped.</summary>
    private static HashSet<(int, int)> BlockedPairs(IReadOnlyList<EvaluatedRecord> records, string rule)
    {
        var pairs = new HashSet<(int, int)>();
        var blocks = Enumerable.Range(0, records.Count)
            .Select(i => (Index: i, Key: BlockingRules.GroupKey(rule, records[i].Record)))
            .Where(k => k.Key is not null)
            .GroupBy(k => k.Key!, StringComparer.Ordinal);
        foreach (var block in blocks)
        {
            var members = block.Select(k => k.Index).ToList();
            if (members.Count > MaxBlock)
            {
                continue;
            }

            for (var a = 0; a < members.Count; a++)
            {
                for (var b = a + 1; b < members.Count; b++)
                {
                    if (BlockingRules.Pairs(rule, records[members[a]].Record, records[members[b]].Record))
                    {
                        pairs.Add((members[a], members[b]));
                    }
                }
            }
        }

        return pairs;
    }

    /// <summary>Connected components of the links (union–find): each record's cluster.</summary>
    private static long[] Clusters(int count, IEnumerable<(int A, int B, double Score)> links)
    {
        var parent = Enumerable.Range(0, count).ToArray();
        int Root(int i)
        {
            while (parent[i] != i)
            {
                i = parent[i] = parent[parent[i]];
            }

            return i;
        }

        foreach (var (a, b, _) in links)
        {
            parent[Root(a)] = Root(b);
        }

        return Enumerable.Range(0, count).Select(i => (long)Root(i)).ToArray();
    }

    /// <summary>Missed pairs (same entity, other persons) and wrong pairs (other entities, same person), each scored.</summary>
    private static List<AuditPair> Audit(IReadOnlyList<EvaluatedRecord> records, MatchWeights? weights, int max)
    {
        var audit = new List<AuditPair>();
        foreach (var group in records.GroupBy(r => r.Entity, StringComparer.Ordinal))
        {
            var members = group.ToList();
            for (var a = 0; a < members.Count && audit.Count < max; a++)
            {
                for (var b = a + 1; b < members.Count && audit.Count < max; b++)
                {
                    if (members[a].Pool is null || members[a].Pool != members[b].Pool)
                    {
                        audit.Add(new AuditPair("missed", members[a], members[b], MatchScorer.Score(members[a].Record, members[b].Record, weights)));
                    }
                }
            }
        }

        foreach (var person in records.Where(r => r.Pool is not null).GroupBy(r => r.Pool))
        {
            var members = person.ToList();
            for (var a = 0; a < members.Count && audit.Count < max; a++)
            {
                for (var b = a + 1; b < members.Count && audit.Count < max; b++)
                {
                    if (members[a].Entity != members[b].Entity)
                    {
                        audit.Add(new AuditPair("wrong", members[a], members[b], MatchScorer.Score(members[a].Record, members[b].Record, weights)));
                    }
                }
            }
        }

        return audit;
    }
}
