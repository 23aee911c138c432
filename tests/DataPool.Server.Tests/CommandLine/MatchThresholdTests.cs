using System.Text;
using static DataPool.Server.Tests.TestSource;

namespace DataPool.Server.Tests.CommandLine;

/// <summary>The command line links with the thresholds the server is configured with (<c>DataPool__Matching__…</c>).</summary>
[TestFixture]
public sealed class MatchThresholdTests
{
    private const string Ledger = """
        { "id": "cli-ledger", "name": "台账（测试）", "department": "civil-affairs", "kind": "csv", "settings": { "path": "ledger.csv" }, "priority": 1,
          "streams": [{ "name": "persons", "entity": "person", "key": ["编号"], "fields": {
            "id_number": { "from": "身份证号", "parse": "id_number", "onInvalid": "flag" }, "name": { "from": "姓名" },
            "gender": { "from": "性别" }, "birth_date": { "from": "出生日期", "parse": "date" } } }] }
        """;

    private static async Task SyncBothAsync(Dictionary<string, string> environment)
    {
        WriteCsv(Workspace.Folder, Good);
        WriteDefinition(Workspace.Folder);
        // The ledger knows the first resident by name, gender and birth date only: about 25 bits of agreement.
        var first = Good[0];
        File.WriteAllText(Path.Combine(Workspace.Folder, "ledger.csv"), $"编号,身份证号,姓名,性别,出生日期\nL1,,{first.Name},{first.Gender},{first.BirthDate}\n", new UTF8Encoding(false));
        File.WriteAllText(Path.Combine(Workspace.Folder, "cli-ledger.source.json"), Ledger, new UTF8Encoding(false));
        foreach (var definition in new[] { "cli-hukou.source.json", "cli-ledger.source.json" })
        {
            var sync = await Cli.RunWithEnvironmentAsync(environment, "sync", definition, "--data", Workspace.Data);
            Assert.That(sync.ExitCode, Is.Zero, sync.ToString());
        }
    }

    private static async Task<string> LedgerDecisionAsync()
    {
        var export = await Cli.RunAsync("links", "export", "--out", "links.csv", "--data", Workspace.Data);
        Assert.That(export.ExitCode, Is.Zero, export.ToString());
        return File.ReadAllLines(Path.Combine(Workspace.Folder, "links.csv")).Select(l => l.Split(',')).Single(l => l[0] == "cli-ledger")[4];
    }

    [Test]
    public async Task A_row_without_an_ID_number_links_at_the_default_thresholds()
    {
        await SyncBothAsync([]);
        Assert.That(await LedgerDecisionAsync(), Is.EqualTo("auto"));
    }

    [Test]
    public async Task A_raised_link_threshold_sends_the_same_row_to_review()
    {
        await SyncBothAsync(new() { ["DataPool__Matching__LinkThreshold"] = "40", ["DataPool__Matching__ReviewThreshold"] = "15" });
        Assert.That(await LedgerDecisionAsync(), Is.EqualTo("review"));
    }

    [Test]
    public async Task A_review_threshold_above_the_link_threshold_is_refused_naming_both()
    {
        WriteCsv(Workspace.Folder, Good);
        WriteDefinition(Workspace.Folder);
        var result = await Cli.RunWithEnvironmentAsync(new Dictionary<string, string> { ["DataPool__Matching__LinkThreshold"] = "10", ["DataPool__Matching__ReviewThreshold"] = "30" },
            "sync", "cli-hukou.source.json", "--data", Workspace.Data);
        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.Stderr, Does.Contain("DataPool:Matching:ReviewThreshold (30)").And.Contain("LinkThreshold (10)"));
    }
}
