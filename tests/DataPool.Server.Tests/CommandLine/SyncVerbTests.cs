using static DataPool.Server.Tests.TestSource;

namespace DataPool.Server.Tests.CommandLine;

/// <summary><c>sync &lt;source.json&gt;|&lt;source-id&gt;|--all</c> on a small GB18030 export with a title line.</summary>
[TestFixture]
public sealed class SyncVerbTests
{
    private static IEnumerable<PersonRow> FourGoodOneBad => [Good[0], Good[1], BadCheck, Good[2], Good[3]];

    [Test]
    public async Task Sync_of_a_definition_file_registers_and_syncs_it()
    {
        WriteCsv(Workspace.Folder, FourGoodOneBad);
        var definition = WriteDefinition(Workspace.Folder);

        var result = await Cli.RunAsync("sync", definition, "--data", Workspace.Data);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
            Assert.That(result.StdoutLines, Is.EqualTo(new[] { Summary(Id, read: 5, quarantined: 1, created: 4, updated: 0, unchanged: 0, deleted: 0) }), result.ToString());
            Assert.That(PoolDb.File(Workspace.Data), Does.Exist);
        });
        Assert.That(PoolDb.Column(Workspace.Data, "pool_person", "id_number"), Is.EquivalentTo(Good.Select(p => p.IdNumber)));
    }

    [Test]
    public async Task A_relative_definition_path_resolves_against_the_working_directory()
    {
        WriteCsv(Workspace.Folder, FourGoodOneBad);
        WriteDefinition(Workspace.Folder);

        var result = await Cli.RunAsync("sync", "cli-hukou.source.json", "--data", "data");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines, Is.EqualTo(new[] { Summary(Id, 5, 1, 4, 0, 0, 0) }), result.ToString());
        Assert.That(PoolDb.Count(Workspace.Data, "pool_person"), Is.EqualTo(4));
    }

    [Test]
    public async Task A_second_sync_by_id_finds_every_accepted_row_unchanged()
    {
        WriteCsv(Workspace.Folder, FourGoodOneBad);
        var definition = WriteDefinition(Workspace.Folder);
        var first = await Cli.RunAsync("sync", definition, "--data", Workspace.Data);
        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());

        var second = await Cli.RunAsync("sync", Id, "--data", Workspace.Data);

        Assert.That(second.ExitCode, Is.EqualTo(0), second.ToString());
        Assert.That(second.StdoutLines, Is.EqualTo(new[] { Summary(Id, read: 5, quarantined: 1, created: 0, updated: 0, unchanged: 4, deleted: 0) }), second.ToString());
        Assert.That(PoolDb.Count(Workspace.Data, "pool_person"), Is.EqualTo(4));
    }

    [Test]
    public async Task Sync_all_syncs_every_registered_source()
    {
        WriteCsv(Workspace.Folder, FourGoodOneBad);
        var definition = WriteDefinition(Workspace.Folder);
        var first = await Cli.RunAsync("sync", definition, "--data", Workspace.Data);
        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());

        var all = await Cli.RunAsync("sync", "--all", "--data", Workspace.Data);

        Assert.That(all.ExitCode, Is.EqualTo(0), all.ToString());
        Assert.That(all.StdoutLines, Is.EqualTo(new[] { Summary(Id, 5, 1, 0, 0, 4, 0) }), all.ToString());
    }

    [Test]
    public async Task A_changed_export_counts_updates_and_deletes()
    {
        WriteCsv(Workspace.Folder, FourGoodOneBad);
        var definition = WriteDefinition(Workspace.Folder);
        var first = await Cli.RunAsync("sync", definition, "--data", Workspace.Data);
        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());

        // Good[1] renamed, Good[3] gone from the full export, Good[0] and Good[2] as before. One of four is past the
        // default maxDeleteShare: the deletion is confirmed (see A_mass_deletion_fails_until_confirmed_on_the_command_line).
        WriteCsv(Workspace.Folder, [Good[0], Good[1] with { Name = "王芳芳" }, BadCheck, Good[2]]);
        var second = await Cli.RunAsync("sync", Id, "--confirm-deletions", "--data", Workspace.Data);

        Assert.That(second.ExitCode, Is.EqualTo(0), second.ToString());
        Assert.That(second.StdoutLines, Is.EqualTo(new[] { Summary(Id, read: 4, quarantined: 1, created: 0, updated: 1, unchanged: 2, deleted: 1) }), second.ToString());
        Assert.That(PoolDb.Column(Workspace.Data, "pool_person", "name"), Does.Contain("王芳芳"));
    }

    [Test]
    public async Task A_mass_deletion_fails_until_confirmed_on_the_command_line()
    {
        WriteCsv(Workspace.Folder, Good);
        var definition = WriteDefinition(Workspace.Folder);
        Assert.That((await Cli.RunAsync("sync", definition, "--data", Workspace.Data)).ExitCode, Is.EqualTo(0));
        WriteCsv(Workspace.Folder, [Good[0]]);

        var refused = await Cli.RunAsync("sync", Id, "--data", Workspace.Data);

        Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
        Assert.That(refused.Stderr, Does.Contain("would delete 3 of its 4 live records").And.Contain($"datapool sync {Id} --confirm-deletions"));
        Assert.That(PoolDb.Column(Workspace.Data, "pool_person", "_deleted").Count(d => d == "0"), Is.EqualTo(4), "the refused run changed nothing");

        var confirmed = await Cli.RunAsync("sync", Id, "--confirm-deletions", "--data", Workspace.Data);

        Assert.That(confirmed.ExitCode, Is.EqualTo(0), confirmed.ToString());
        Assert.That(confirmed.StdoutLines, Is.EqualTo(new[] { Summary(Id, read: 1, quarantined: 0, created: 0, updated: 0, unchanged: 1, deleted: 3) }), confirmed.ToString());
        Assert.That(PoolDb.Column(Workspace.Data, "pool_person", "_deleted").Count(d => d == "0"), Is.EqualTo(1));
    }

    [Test]
    public async Task Redirected_output_has_no_carriage_return_progress()
    {
        // Enough rows for the pipeline to report progress several times.
        var rows = Enumerable.Range(0, 12_000).Select(i => Person(
            "居民" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new DateOnly(1950, 1, 1).AddDays(i).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture),
            (i % 999) + 1)).ToList();
        WriteCsv(Workspace.Folder, rows);
        var definition = WriteDefinition(Workspace.Folder);

        var result = await Cli.RunAsync("sync", definition, "--data", Workspace.Data);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
            Assert.That(result.Stdout, Does.Not.Contain("\r"), "progress must not rewrite lines when stdout is redirected");
            Assert.That(result.Stderr, Does.Not.Contain("\r"), "progress must not rewrite lines when stderr is redirected");
            Assert.That(result.StdoutLines, Is.EqualTo(new[] { Summary(Id, rows.Count, 0, rows.Count, 0, 0, 0) }), result.ToString());
        });
    }
}
