using static DataPool.Server.Tests.TestSource;

namespace DataPool.Server.Tests.Sources;

/// <summary><c>sources export DIR</c> and <c>sources import DIR</c>: definition files out of the pool and back in.</summary>
[TestFixture]
public sealed class SourcesVerbTests
{
    private const string WithSecret = """
        {
          // a comment survives the round trip
          "id": "hr",
          "name": "人事系统",
          "department": "hr",
          "kind": "csv",
          "settings": { "path": "persons.csv", "encoding": "GB18030", "headerRow": 2, "password": "${env:HR_DB_PASSWORD}" },
          "streams": [{
            "name": "persons", "entity": "person", "key": ["身份证号"],
            "fields": { "id_number": { "from": "身份证号", "parse": "id_number" }, "name": { "from": "姓名" } }
          }]
        }
        """;

    [Test]
    public async Task Import_then_export_gives_back_the_files_as_written()
    {
        var input = Directory.CreateDirectory(Path.Combine(Workspace.Folder, "in")).FullName;
        WriteCsv(input, Good);
        WriteDefinition(input);
        WriteDefinition(input, WithSecret, "hr.source.json");

        var imported = await Cli.RunAsync("sources", "import", input, "--data", Workspace.Data);
        Assert.That(imported.ExitCode, Is.EqualTo(0), imported.ToString());
        Assert.That(imported.StdoutLines.Last(), Does.StartWith("imported 2 source(s)"), imported.ToString());

        // The imported definition resolves its CSV against the import folder.
        var sync = await Cli.RunAsync("sync", Id, "--data", Workspace.Data);
        Assert.That(sync.StdoutLines, Is.EqualTo(new[] { Summary(Id, 4, 0, 4, 0, 0, 0) }), sync.ToString());

        var output = Path.Combine(Workspace.Folder, "out");
        var exported = await Cli.RunAsync("sources", "export", output, "--data", Workspace.Data);

        Assert.That(exported.ExitCode, Is.EqualTo(0), exported.ToString());
        Assert.That(Directory.GetFiles(output).Select(Path.GetFileName), Is.EquivalentTo(new[] { "cli-hukou.source.json", "hr.source.json" }));
        Assert.That(File.ReadAllText(Path.Combine(output, "cli-hukou.source.json")), Is.EqualTo(Definition));
        var hr = File.ReadAllText(Path.Combine(output, "hr.source.json"));
        Assert.That(hr, Is.EqualTo(WithSecret));
        Assert.That(hr, Does.Contain("${env:HR_DB_PASSWORD}").And.Contain("// a comment"));
    }

    [Test]
    public async Task One_bad_file_imports_nothing_and_names_the_file_and_the_json_path()
    {
        var input = Directory.CreateDirectory(Path.Combine(Workspace.Folder, "in")).FullName;
        WriteDefinition(input);
        var bad = WriteDefinition(input, WithSecret.Replace("\"name\": { \"from\"", "\"nmae\": { \"from\"", StringComparison.Ordinal), "hr.source.json");

        var imported = await Cli.RunAsync("sources", "import", input, "--data", Workspace.Data);

        Assert.That(imported.ExitCode, Is.EqualTo(2), imported.ToString());
        Assert.That(imported.Stderr, Does.Contain(bad).And.Contain("$.streams[0].fields.nmae"), imported.ToString());
        Assert.That(PoolDb.Count(Workspace.Data, "dp_sources"), Is.Zero, "nothing imported");
    }

    [Test]
    public async Task Import_of_a_missing_folder_is_bad_usage_and_export_of_an_empty_pool_writes_nothing()
    {
        var missing = await Cli.RunAsync("sources", "import", Path.Combine(Workspace.Folder, "nothere"), "--data", Workspace.Data);
        var empty = await Cli.RunAsync("sources", "export", Path.Combine(Workspace.Folder, "out"), "--data", Workspace.Data);

        Assert.That(missing.ExitCode, Is.EqualTo(2), missing.ToString());
        Assert.That(empty.ExitCode, Is.EqualTo(0), empty.ToString());
        Assert.That(Directory.GetFiles(Path.Combine(Workspace.Folder, "out")), Is.Empty);
    }
}
