using System.CommandLine;
using DataPool.Core.Sync;

namespace DataPool.Server.Cli;

/// <summary><c>explain &lt;id&gt; [--entity person]</c>: a pool record field by field, with where each value came from.</summary>
public static class ExplainCommand
{
    public static Command Create()
    {
        var id = new Argument<long>("id") { Description = "The pool id of the record" };
        var entity = new Option<string>("--entity") { Description = "The pool entity (default person)", DefaultValueFactory = _ => "person" };
        var command = new Command("explain", "Explain a pool record: each value, its source row and the competing values") { id, entity };
        command.SetAction((parse, cancellationToken) => CliHost.RunAsync(parse, async (services, ct) =>
        {
            var explanation = await services.GetRequiredService<PoolExplainer>().ExplainAsync(parse.GetValue(entity)!, parse.GetValue(id), ct);
            if (explanation is null)
            {
                await Console.Error.WriteLineAsync($"explain: no {parse.GetValue(entity)} record {parse.GetValue(id)}");
                return ExitCodes.Failed;
            }

            Console.WriteLine($"{explanation.Entity} {explanation.PoolId}{(explanation.Deleted ? " (deleted)" : "")}"
                + (explanation.RedirectedFrom is { } merged ? $" (record {merged} was merged into it)" : ""));
            foreach (var field in explanation.Fields.Where(f => f.Value is not null || f.Competing.Count > 0))
            {
                var origin = field.From is { } from ? $"{from.SourceId}/{from.Stream} {from.Location} (run {from.RunId}, {from.At})" : "no source";
                Console.WriteLine($"{field.Field} = {field.Value ?? "∅"}  ← {origin} [{field.Survivorship}]");
                foreach (var other in field.Competing)
                {
                    Console.WriteLine($"    competing: {other.Value}  ({other.SourceId}/{other.Stream} {other.Location}, run {other.RunId})");
                }
            }

            foreach (var conflict in explanation.Conflicts ?? [])
            {
                // Sources that disagree on a field, and what survivorship kept.
                Console.WriteLine($"conflict: {conflict.Field}: {string.Join(" | ", conflict.Values.Select(v => $"{v.Source} {v.Value}"))} → {conflict.Chosen ?? "∅"}");
            }

            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
