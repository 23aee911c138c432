using System.CommandLine;
using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using DataPool.Core.Matching;
using DataPool.Core.Store;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Server.Cli;

/// <summary>
/// <c>links export --out FILE.csv</c>: every live source record and the pool record it is linked to, so
/// links can be audited outside the product. Columns (contract): source_id, stream, source_key, pool_id,
/// decision, score. Persons carry the matcher's judgement (<c>dp_match_links</c>): <c>auto</c> (a score at or
/// above the link threshold), <c>review</c> (a provisional person of its own, in the review queue), <c>new</c>
/// (below the thresholds), <c>manual</c> (an admin accepted, rejected or split), and the Fellegi–Sunter score in
/// bits against the candidate. A record without a judgement was linked by its key: the record that created
/// its pool record is <c>new</c>, every later one <c>auto</c>; a person's score is then empty (an exact valid
/// ID number is not scored: the same number is the same person; a new person had no candidate), any other
/// entity's is 1.
/// </summary>
public static class LinksCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "The CSV file to write", Required = true };
        var export = new Command("export", "Write every source record's link to the pool as CSV") { output };
        export.SetAction((parse, cancellationToken) => CliHost.RunAsync(parse, async (services, ct) =>
        {
            var file = Path.GetFullPath(parse.GetValue(output)!);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            var database = services.GetRequiredService<PoolDatabase>();
            await using var writer = new StreamWriter(file, append: false, new System.Text.UTF8Encoding(false));
            // Keys are legacy text: one starting with = + - @ must not run as a formula when the file is opened in Excel.
            await using var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture) { InjectionOptions = InjectionOptions.Escape });
            foreach (var column in new[] { "source_id", "stream", "source_key", "pool_id", "decision", "score" })
            {
                csv.WriteField(column);
            }

            await csv.NextRecordAsync();
            long count = 0;
            await foreach (var link in SourceLinks.ReadAsync(database, ct))
            {
                csv.WriteField(link.SourceId);
                csv.WriteField(link.Stream);
                csv.WriteField(link.SourceKey);
                csv.WriteField(link.PoolId.ToString(CultureInfo.InvariantCulture));
                csv.WriteField(link.Decision);
                csv.WriteField(link.Score is { } score ? score.ToString("0.##", CultureInfo.InvariantCulture) : "");
                await csv.NextRecordAsync();
                count++;
            }

            await Console.Error.WriteLineAsync($"links: {count} written to {file}");
            return ExitCodes.Ok;
        }, cancellationToken));
        return new Command("links", "Audit how source records link to pool records") { export };
    }
}
