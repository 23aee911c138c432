using System.Text;
using static DataPool.Server.Tests.TestSource;

namespace DataPool.Server.Tests.CommandLine;

/// <summary><c>match evaluate --truth FILE</c> and <c>match train</c> on a pool the command line synced.</summary>
[TestFixture]
public sealed class MatchVerbTests
{
    private const string Ledger = """
        { "id": "cli-ledger", "name": "台账（测试）", "department": "civil-affairs", "kind": "csv", "settings": { "path": "ledger.csv" }, "priority": 1,
          "streams": [{ "name": "persons", "entity": "person", "key": ["编号"], "fields": {
            "name": { "from": "姓名" }, "gender": { "from": "性别" }, "birth_date": { "from": "出生日期", "parse": "date" } } }] }
        """;

    /// <summary>The register, and a ledger without an ID number column knowing the first resident by name, gender and birth date.</summary>
    private static async Task SyncAsync()
    {
        WriteCsv(Workspace.Folder, Good);
        WriteDefinition(Workspace.Folder);
        var first = Good[0];
        File.WriteAllText(Path.Combine(Workspace.Folder, "ledger.csv"), $"编号,姓名,性别,出生日期\nL1,{first.Name},{first.Gender},{first.BirthDate}\n", new UTF8Encoding(false));
        File.WriteAllText(Path.Combine(Workspace.Folder, "cli-ledger.source.json"), Ledger, new UTF8Encoding(false));
        foreach (var definition in new[] { "cli-hukou.source.json", "cli-ledger.source.json" })
        {
            var sync = await Cli.RunAsync("sync", definition, "--data", Workspace.Data);
            Assert.That(sync.ExitCode, Is.Zero, sync.ToString());
        }
    }

    [Test]
    public async Task Evaluate_prints_precision_recall_and_F1_a_table_by_threshold_and_blocking_and_writes_the_pairs()
    {
        await SyncAsync();
        var truth = new StringBuilder("source_id,source_key,entity\n");
        foreach (var (row, i) in Good.Select((r, i) => (r, i)))
        {
            truth.Append($"cli-hukou,{row.IdNumber},{i}\n");
        }

        truth.Append("cli-ledger,L1,0\n");
        File.WriteAllText(Path.Combine(Workspace.Folder, "truth.csv"), truth.ToString());

        var result = await Cli.RunAsync("match", "evaluate", "--truth", "truth.csv", "--pairs", "pairs.csv", "--data", Workspace.Data);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("pool: precision 1.0000  recall 1.0000  F1 1.0000"));
        Assert.That(result.Stdout, Does.Contain("threshold  precision  recall  F1").And.Contain("community-year-month"));
        Assert.That(File.ReadAllLines(Path.Combine(Workspace.Folder, "pairs.csv"))[0], Does.StartWith("kind,left_source"));
    }

    [Test]
    public async Task Evaluate_refuses_a_truth_file_without_its_columns()
    {
        await SyncAsync();
        File.WriteAllText(Path.Combine(Workspace.Folder, "truth.csv"), "source,key\ncli-ledger,L1\n");
        var result = await Cli.RunAsync("match", "evaluate", "--truth", "truth.csv", "--data", Workspace.Data);
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Stderr, Does.Contain("source_id, source_key, entity"));
    }

    [Test]
    public async Task Train_stores_a_new_version_of_the_weights_each_time()
    {
        await SyncAsync();
        var first = await Cli.RunAsync("match", "train", "--data", Workspace.Data);
        var second = await Cli.RunAsync("match", "train", "--data", Workspace.Data);
        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        Assert.That(first.Stdout, Does.Contain("person: version 1 from").And.Contain("birth_date"));
        Assert.That(second.Stdout, Does.Contain("person: version 2 from"));
    }
}
