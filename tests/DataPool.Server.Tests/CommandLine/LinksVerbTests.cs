using static DataPool.Server.Tests.TestSource;

namespace DataPool.Server.Tests.CommandLine;

/// <summary><c>links export --out FILE.csv</c>: every live source record's link, in the contract's columns.</summary>
[TestFixture]
public sealed class LinksVerbTests
{
    private static List<string[]> ReadCsv(string file) =>
        File.ReadAllLines(file).Select(l => l.Split(',')).ToList();

    [Test]
    public async Task Links_export_lists_each_source_record_with_its_pool_record_and_decision()
    {
        WriteCsv(Workspace.Folder, Good);
        WriteDefinition(Workspace.Folder);
        WriteDefinition(Workspace.Folder, Definition.Replace("\"cli-hukou\"", "\"cli-ledger\"").Replace("\"priority\": 10", "\"priority\": 1"), "cli-ledger.source.json");
        Assert.That((await Cli.RunAsync("sync", "cli-hukou.source.json", "--data", Workspace.Data)).ExitCode, Is.Zero);
        Assert.That((await Cli.RunAsync("sync", "cli-ledger.source.json", "--data", Workspace.Data)).ExitCode, Is.Zero);

        var result = await Cli.RunAsync("links", "export", "--out", "links.csv", "--data", Workspace.Data);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var rows = ReadCsv(Path.Combine(Workspace.Folder, "links.csv"));
        Assert.That(rows[0], Is.EqualTo(new[] { "source_id", "stream", "source_key", "pool_id", "decision", "score" }));
        var links = rows.Skip(1).ToList();
        Assert.That(links, Has.Count.EqualTo(2 * Good.Count));
        Assert.That(links.Where(l => l[0] == "cli-hukou").Select(l => l[4]), Has.All.EqualTo("new"), "the first source created each resident");
        Assert.That(links.Where(l => l[0] == "cli-ledger").Select(l => l[4]), Has.All.EqualTo("auto"), "the second linked to them");
        foreach (var person in Good)
        {
            var pools = links.Where(l => l[2] == person.IdNumber).Select(l => l[3]).Distinct().ToList();
            Assert.That(pools, Has.Count.EqualTo(1), $"{person.IdNumber}: both sources link to one pool record");
        }

        Assert.That(links.Where(l => l[0] == "cli-hukou").Select(l => l[5]), Has.All.Empty, "a new resident had no candidate to score against");
        Assert.That(links.Where(l => l[0] == "cli-ledger").Select(l => l[5]), Has.All.Empty,
            "linked by the same valid ID number, which is not scored (disagreeing values show as conflicts in explain)");
    }

    [Test]
    public async Task Links_export_without_out_is_bad_usage()
    {
        var result = await Cli.RunAsync("links", "export", "--data", Workspace.Data);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
    }
}
