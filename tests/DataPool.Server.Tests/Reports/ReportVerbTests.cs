namespace DataPool.Server.Tests.Reports;

/// <summary><c>datapool report &lt;report-id&gt; [--out DIR]</c> as a script runs it.</summary>
[TestFixture]
public sealed class ReportVerbTests
{
    [Test]
    public async Task A_report_is_generated_into_the_archive_and_the_out_folder()
    {
        var result = await Cli.RunAsync("report", "household-composition", "--out", "out", "--data", "data");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines.Single(), Does.Match(@"^household-composition: run=1 rows=0 as-of=\S+ sync-run=- files=household-composition/1\.xlsx,household-composition/1\.csv$"));
        Assert.That(Path.Combine(Workspace.Folder, "out", "household-composition-1.xlsx"), Does.Exist);
        Assert.That(Path.Combine(Workspace.Folder, "out", "household-composition-1.csv"), Does.Exist);
        Assert.That(Path.Combine(Workspace.Folder, "data", "reports", "household-composition", "1.xlsx"), Does.Exist);
    }

    [Test]
    public async Task An_unknown_report_exits_2_naming_the_known_ones()
    {
        var result = await Cli.RunAsync("report", "no-such-report", "--data", "data");
        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("no report 'no-such-report'").And.Contain("population-monthly").And.Contain("dibao-roster"));
    }
}
