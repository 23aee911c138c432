using System.CommandLine;
using System.Globalization;
using DataPool.Core.Matching;
using DataPool.Core.Store;

namespace DataPool.Server.Cli;

/// <summary>
/// <c>match evaluate --truth FILE.csv [--pairs FILE.csv]</c>: the matcher judged against a labelled sample (truth columns
/// source_id, source_key, entity): precision, recall and F1 of the pool's persons, a table of P/R/F1 by threshold, what each
/// blocking rule costs and finds, and (with --pairs) the pairs the pool missed or wrongly linked, each field's outcome and weight.
/// </summary>
public static class MatchCommand
{
    public static Command Create()
    {
        var truth = new Option<string>("--truth") { Description = "The truth CSV: source_id,source_key,entity", Required = true };
        var pairs = new Option<string?>("--pairs") { Description = "Where to write the missed and wrongly linked pairs (CSV)" };
        var evaluate = new Command("evaluate", "Precision, recall and F1 of matching against a labelled sample") { truth, pairs };
        evaluate.SetAction((parse, cancellationToken) => CliHost.RunAsync(parse, async (services, ct) =>
        {
            var path = Path.GetFullPath(parse.GetValue(truth)!);
            if (!File.Exists(path))
            {
                await Console.Error.WriteLineAsync($"--truth: no file {path}");
                return ExitCodes.BadUsage;
            }

            List<TruthRow> rows;
            try
            {
                rows = MatchEvaluationStore.ReadTruth(path);
            }
            catch (InvalidDataException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return ExitCodes.BadUsage;
            }

            var (report, records) = await MatchEvaluationStore.EvaluateAsync(services.GetRequiredService<PoolDatabase>(), rows, services.GetRequiredService<MatchSettings>(),
                cancellationToken: ct);
            Print(report, records.Count(r => r.Pool is null));
            if (parse.GetValue(pairs) is { } file)
            {
                MatchEvaluationStore.WriteAudit(Path.GetFullPath(file), report.Audit);
                Console.WriteLine($"{report.Audit.Count} missed or wrongly linked pairs written to {file}");
            }

            return ExitCodes.Ok;
        }, cancellationToken));

        return new Command("match", "Train and judge the matcher") { evaluate, Train() };
    }

    /// <summary>
    /// <c>match train [--sample N]</c>: learns m and u of every field's comparison levels from the pool's person records
    /// (u from random pairs, m by EM over blocked pairs, the documented constants as the prior) and stores them as the
    /// next version in <c>dp_match_models</c>, printing the weights beside the prior's.
    /// </summary>
    private static Command Train()
    {
        var sample = new Option<int>("--sample") { Description = "At most this many source records to learn from", DefaultValueFactory = _ => 200_000 };
        var train = new Command("train", "(Re)estimate the matcher's weights from the pool") { sample };
        train.SetAction((parse, cancellationToken) => CliHost.RunAsync(parse, async (services, ct) =>
        {
            var database = services.GetRequiredService<PoolDatabase>();
            foreach (var entity in database.Catalog.Entities.Values.Where(MatchRecord.IsMatched))
            {
                var records = await MatchModelStore.RecordsAsync(database, entity.Name, parse.GetValue(sample), ct);
                var model = MatchTraining.Train(records, services.GetRequiredService<MatchSettings>().Blocking);
                var version = await MatchModelStore.SaveAsync(database, entity.Name, model, records.Count, ct);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{entity.Name}: version {version} from {records.Count} records ({model.BlockedPairs} blocked pairs, {model.RandomPairs} random pairs, match share {model.MatchShare:F3})"));
                if (records.Count < MatchModelStore.MinRecords)
                {
                    Console.WriteLine($"  fewer than {MatchModelStore.MinRecords} records: syncs keep linking with the prior until a training rests on more");
                }
                Console.WriteLine("  field            outcome               m        u          weight  prior");
                foreach (var ((field, outcome), (m, u)) in model.Probabilities.OrderBy(p => p.Key.Field, StringComparer.Ordinal))
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {field,-16} {outcome,-20} {m,8:F4} {u,10:F6} {Math.Log2(m / u),7:F2} {MatchScorer.Weight(field, outcome),6:F2}"));
                }
            }

            return ExitCodes.Ok;
        }, cancellationToken));
        return train;
    }

    private static void Print(EvaluationReport report, int notInPool)
    {
        static string Line(PairCounts c) =>
            string.Create(CultureInfo.InvariantCulture, $"precision {c.Precision:F4}  recall {c.Recall:F4}  F1 {c.F1:F4}  ({c.TruePositive} right of {c.Predicted} linked pairs, {c.Actual} true)");
        Console.WriteLine($"pool: {Line(report.Pool)}");
        if (notInPool > 0)
        {
            Console.WriteLine($"  {notInPool} labelled records are not in the pool (quarantined or unknown keys): each counts as a person of its own");
        }

        Console.WriteLine("by threshold (blocked pairs scored afresh, linked at or above the threshold, clusters closed transitively):");
        Console.WriteLine("  threshold  precision  recall  F1");
        foreach (var row in report.ByThreshold)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {row.Threshold,9:F0}  {row.Counts.Precision,9:F4}  {row.Counts.Recall,6:F4}  {row.Counts.F1:F4}"));
        }

        Console.WriteLine("blocking (pairs a rule makes candidates; recall: the share of true pairs among them):");
        foreach (var rule in report.Blocking.Append(report.AllRules))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {rule.Rule,-24} pairs {rule.Pairs,10}  recall {rule.Recall:F4}"));
        }
    }
}
