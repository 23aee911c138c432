namespace DataPool.Server.Tests.CommandLine;

/// <summary>Bad usage is exit 2; work that cannot be done (an unknown source) is exit 1.</summary>
[TestFixture]
public sealed class UsageTests
{
    [Test]
    public async Task An_unknown_source_id_is_exit_1_naming_it()
    {
        var result = await Cli.RunAsync("sync", "no-such-source", "--data", Workspace.Data);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
            Assert.That(result.Stderr, Does.Contain("no-such-source"), result.ToString());
            Assert.That(result.Stdout, Does.Not.Contain("read="), result.ToString());
        });
    }

    [Test]
    public async Task An_unknown_verb_is_exit_2_listing_the_verbs()
    {
        var result = await Cli.RunAsync("frobnicate", "--data", Workspace.Data);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
            Assert.That(result.Stderr, Does.Contain("frobnicate"), result.ToString());
            Assert.That(result.Stderr, Does.Contain("sync").And.Contain("check").And.Contain("demo"), result.ToString());
        });
    }

    [Test]
    public async Task Sync_without_an_argument_is_exit_2()
    {
        var result = await Cli.RunAsync("sync", "--data", Workspace.Data);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Is.Not.Empty, result.ToString());
    }

    [Test]
    public async Task Check_without_a_file_is_exit_2()
    {
        var result = await Cli.RunAsync("check", "--data", Workspace.Data);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
    }

    [Test]
    public async Task An_unknown_option_is_exit_2()
    {
        var result = await Cli.RunAsync("sync", "--al", "--data", Workspace.Data);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("--al"), result.ToString());
        Assert.That(result.Stderr, Does.Not.Contain("is registered"), result.ToString());
    }

    [Test]
    public async Task Sync_all_with_a_source_is_exit_2()
    {
        var result = await Cli.RunAsync("sync", "--all", "some-source", "--data", Workspace.Data);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
    }

    [Test]
    public async Task A_negative_rows_value_is_exit_2()
    {
        TestSource.WriteCsv(Workspace.Folder, TestSource.Good);
        var definition = TestSource.WriteDefinition(Workspace.Folder);

        var result = await Cli.RunAsync("check", definition, "--rows", "-1", "--data", Workspace.Data);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("--rows"), result.ToString());
    }

    [Test]
    public async Task A_non_numeric_rows_value_is_exit_2()
    {
        var result = await Cli.RunAsync("check", "x.source.json", "--rows", "many", "--data", Workspace.Data);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
    }

    [Test]
    public async Task Help_is_exit_0_and_lists_the_verbs()
    {
        var result = await Cli.RunAsync("--help");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Stdout, Does.Contain("sync").And.Contain("check").And.Contain("demo").And.Contain("seed"), result.ToString());
    }
}
