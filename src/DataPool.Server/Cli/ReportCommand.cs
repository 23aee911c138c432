using System.CommandLine;
using DataPool.Core.Reports;

namespace DataPool.Server.Cli;

/// <summary><c>report &lt;report-id&gt; [--out DIR]</c>: generates the report now; the files go to the archive and, with --out, are copied there too.</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var report = new Argument<string>("report-id") { Description = "A report of schemas/reports (e.g. population-monthly)" };
        var output = new Option<string?>("--out") { Description = "Also copy the xlsx and CSV into this folder" };
        var command = new Command("report", "Generate a required report now (xlsx and CSV)") { report, output };
        command.SetAction((parse, cancellationToken) => CliHost.RunAsync(parse, async (services, ct) =>
        {
            var id = parse.GetValue(report)!;
            ReportCatalog reports;
            try
            {
                reports = services.GetRequiredService<ReportCatalog>();
            }
            catch (ReportDefinitionException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return ExitCodes.BadUsage;
            }

            if (!reports.Reports.ContainsKey(id))
            {
                await Console.Error.WriteLineAsync($"report: no report '{id}'; reports: {string.Join(", ", reports.Reports.Keys)}");
                return ExitCodes.BadUsage;
            }

            var run = await services.GetRequiredService<ReportGenerator>().RunAsync(id, "cli", ct);
            if (!run.Succeeded)
            {
                await Console.Error.WriteLineAsync(run.SummaryLine);
                return ExitCodes.Failed;
            }

            if (parse.GetValue(output) is { } folder)
            {
                Directory.CreateDirectory(folder);
                var archive = services.GetRequiredService<ReportArchive>();
                foreach (var file in new[] { run.XlsxFile!, run.CsvFile! })
                {
                    File.Copy(archive.FullPath(file), Path.Combine(folder, $"{id}-{Path.GetFileName(file)}"), overwrite: true);
                }
            }

            Console.WriteLine(run.SummaryLine);
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    /// <summary>
    /// Generates every report in turn, one line each on <paramref name="output"/> (the end of <c>demo</c>, which keeps
    /// standard output for its contract's line per source); 1 when any failed, 2 for a bad definition.
    /// </summary>
    public static async Task<int> RunAllAsync(IServiceProvider services, string trigger, TextWriter output, CancellationToken cancellationToken)
    {
        ReportCatalog reports;
        try
        {
            reports = services.GetRequiredService<ReportCatalog>();
        }
        catch (ReportDefinitionException e)
        {
            await output.WriteLineAsync(e.Message);
            return ExitCodes.BadUsage;
        }

        var generator = services.GetRequiredService<ReportGenerator>();
        var exit = ExitCodes.Ok;
        foreach (var id in reports.Reports.Keys)
        {
            var run = await generator.RunAsync(id, trigger, cancellationToken);
            await output.WriteLineAsync("report " + run.SummaryLine);
            if (!run.Succeeded)
            {
                exit = ExitCodes.Failed;
            }
        }

        return exit;
    }
}
