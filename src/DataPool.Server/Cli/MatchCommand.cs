using System.CommandLine;
using System.Globalization;
using DataPool.Core.Matching;
using DataPool.Core.Store;
using Microsoft.Extensions.DependencyInjection;

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

            var records = await MatchEvaluationStore.LoadAsync(services.GetRequiredService<PoolDatabase>(), rows, ct);
            var report = MatchEvaluation.Evaluate(records, services.GetRequiredService<MatchSettings>());
            Print(report, records.Count(r => r.Pool is null));
            if (parse.GetValue(pairs) is { } file)
            {
                MatchEvaluationStore.WriteAudit(Path.GetFullPath(file), report.Audit);
                Console.WriteLine($"{report.Audit.Count} missed or wrongly linked pairs written to {file}");
            }

            return ExitCodes.Ok;
        }, cancellationToken));

        return new Command("match", "Judge the matcher against labelled data") { evaluate };
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
