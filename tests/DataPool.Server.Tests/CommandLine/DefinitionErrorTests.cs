using System.Text;
using static DataPool.Server.Tests.TestSource;

namespace DataPool.Server.Tests.CommandLine;

/// <summary>A definition that cannot be used: exit 2, and the message names the file and the JSON path; nothing is written.</summary>
[TestFixture]
public sealed class DefinitionErrorTests
{
    private static string Edit(string from, string to)
    {
        var edited = Definition.Replace(from, to, StringComparison.Ordinal);
        Assert.That(edited, Is.Not.EqualTo(Definition), "the edit must apply to the test definition");
        return edited;
    }

    private static async Task<CliResult> SyncAsync(string json)
    {
        WriteCsv(Workspace.Folder, Good);
        var definition = WriteDefinition(Workspace.Folder, json);
        return await Cli.RunAsync("sync", definition, "--data", Workspace.Data);
    }

    private static void AssertRejected(CliResult result, string jsonPath)
    {
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
            Assert.That(result.StderrLines, Has.Some.StartsWith(Path.Combine(Workspace.Folder, "cli-hukou.source.json") + ": " + jsonPath + ": "), result.ToString());
            Assert.That(result.Stdout, Does.Not.Contain("read="), "no source may be synced");
            Assert.That(PoolDb.Count(Workspace.Data, "pool_person"), Is.Zero);
            Assert.That(PoolDb.Count(Workspace.Data, "dp_sources"), Is.Zero, "a bad definition must not be registered");
        });
    }

    [Test]
    public async Task An_unknown_pool_field_is_named_by_its_json_path()
    {
        var result = await SyncAsync(Edit("\"name\":       { \"from\": \"姓名\" }", "\"nmae\":       { \"from\": \"姓名\" }"));

        AssertRejected(result, "$.streams[0].fields.nmae");
    }

    [Test]
    public async Task An_unknown_connector_kind_is_named_by_its_json_path()
    {
        var result = await SyncAsync(Edit("\"kind\": \"csv\"", "\"kind\": \"cvs\""));

        AssertRejected(result, "$.kind");
    }

    [Test]
    public async Task A_json_syntax_error_names_the_line_and_position()
    {
        // The comma after "kind" is gone: the reader stumbles on "settings", line 6, column 3.
        var result = await SyncAsync(Edit("\"kind\": \"csv\",", "\"kind\": \"csv\""));

        AssertRejected(result, "$");
        Assert.That(result.Stderr, Does.Contain("invalid JSON at line 6, position 3"), result.ToString());
    }

    [Test]
    public async Task A_bad_definition_given_to_check_is_also_exit_2()
    {
        WriteCsv(Workspace.Folder, Good);
        var definition = WriteDefinition(Workspace.Folder, Edit("\"parse\": \"date\"", "\"parse\": \"datum\""));

        var result = await Cli.RunAsync("check", definition, "--data", Workspace.Data);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("$.streams[0].fields.birth_date.parse"), result.ToString());
    }

    [Test]
    public async Task A_missing_definition_file_is_exit_2_naming_it()
    {
        var result = await Cli.RunAsync("sync", "nowhere.source.json", "--data", Workspace.Data);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("nowhere.source.json"), result.ToString());
    }
}

/// <summary>A definition that is fine but whose export is not: the run fails (exit 1) naming the file; nothing is written.</summary>
[TestFixture]
public sealed class SourceFileErrorTests
{
    [Test]
    public async Task A_missing_csv_file_fails_the_run_naming_the_file()
    {
        var definition = WriteDefinition(Workspace.Folder, Definition.Replace("persons.csv", "missing-persons.csv", StringComparison.Ordinal));

        var result = await Cli.RunAsync("sync", definition, "--data", Workspace.Data);

        AssertFailed(result, "missing-persons.csv");
    }

    [Test]
    public async Task A_utf8_file_declared_gb18030_fails_the_run_naming_the_file()
    {
        WriteCsv(Workspace.Folder, Good, new UTF8Encoding(false));
        var definition = WriteDefinition(Workspace.Folder);

        var result = await Cli.RunAsync("sync", definition, "--data", Workspace.Data);

        AssertFailed(result, "persons.csv");
        Assert.That(result.Stderr, Does.Contain("UTF-8"), result.ToString());
    }

    [Test]
    public async Task A_gb18030_file_declared_utf8_fails_the_run_naming_the_file()
    {
        WriteCsv(Workspace.Folder, Good);
        var definition = WriteDefinition(Workspace.Folder, Definition.Replace("\"GB18030\"", "\"utf-8\"", StringComparison.Ordinal));

        var result = await Cli.RunAsync("sync", definition, "--data", Workspace.Data);

        AssertFailed(result, "persons.csv");
        Assert.That(result.Stderr, Does.Contain("GB18030"), result.ToString());
    }

    [Test]
    public async Task Check_of_a_missing_csv_file_is_exit_1_naming_the_file()
    {
        var definition = WriteDefinition(Workspace.Folder, Definition.Replace("persons.csv", "missing-persons.csv", StringComparison.Ordinal));

        var result = await Cli.RunAsync("check", definition, "--data", Workspace.Data);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stderr, Does.Contain("missing-persons.csv"), result.ToString());
    }

    private static void AssertFailed(CliResult result, string file)
    {
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
            Assert.That(result.Stderr, Does.Contain(file), result.ToString());
            Assert.That(result.Stdout, Does.Not.Contain("read="), "a failed run prints no success summary");
            Assert.That(PoolDb.Count(Workspace.Data, "pool_person"), Is.Zero, "a failed run changes nothing");
        });
    }
}
