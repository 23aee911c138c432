using static DataPool.Server.Tests.TestSource;

namespace DataPool.Server.Tests.CommandLine;

/// <summary><c>check &lt;source.json&gt; [--rows N]</c>: a dry run printing mapped rows and the bad rows' errors; writes nothing.</summary>
[TestFixture]
public sealed class CheckVerbTests
{
    /// <summary>Lines 3-4 good, line 5 a bad check character, line 6 good, line 7 an unknown gender.</summary>
    private static readonly PersonRow UnknownGender = Good[3] with { Gender = "不详" };

    private static string MappedLine(int line, PersonRow row, string gender) =>
        $"persons | persons.csv line {line} | id_number={row.IdNumber}  name={row.Name}  gender={gender}  birth_date={row.BirthDate}";

    [Test]
    public async Task Check_prints_the_first_rows_mapped_and_every_bad_row_naming_field_and_column()
    {
        WriteCsv(Workspace.Folder, [Good[0], Good[1], BadCheck, Good[2], UnknownGender]);
        var definition = WriteDefinition(Workspace.Folder);

        var result = await Cli.RunAsync("check", definition, "--rows", "2", "--data", Workspace.Data);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var lines = result.StdoutLines;
        Assert.That(lines, Has.Count.EqualTo(7), result.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(lines[0], Is.EqualTo(MappedLine(3, Good[0], "1")));
            Assert.That(lines[1], Is.EqualTo(MappedLine(4, Good[1], "2")));
            Assert.That(lines[2], Is.Empty);
            Assert.That(lines[3], Is.EqualTo("errors (2 rows would be quarantined):"));
            Assert.That(lines[4], Does.StartWith("  persons | persons.csv line 5: id_number (身份证号): "));
            Assert.That(lines[4], Does.Contain($"check character is '{BadCheck.IdNumber[17]}', expected '{IdNumberOf("19770808", 57)[17]}'"));
            Assert.That(lines[5], Does.StartWith("  persons | persons.csv line 7: gender (性别): '不详' is not a code of gender"));
            Assert.That(lines[6], Is.EqualTo($"{Id}: read=5 ok=3 bad=2"));
            Assert.That(result.Stdout, Does.Not.Contain("\r"));
        });
    }

    [Test]
    public async Task Check_writes_nothing()
    {
        WriteCsv(Workspace.Folder, [Good[0], Good[1], BadCheck, Good[2], UnknownGender]);
        var definition = WriteDefinition(Workspace.Folder);

        var result = await Cli.RunAsync("check", definition, "--rows", "2", "--data", Workspace.Data);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(PoolDb.Count(Workspace.Data, "pool_person"), Is.Zero, "no person rows");
            Assert.That(PoolDb.Count(Workspace.Data, "dp_source_records"), Is.Zero, "no source records");
            Assert.That(PoolDb.Count(Workspace.Data, "dp_quarantine"), Is.Zero, "nothing quarantined");
            Assert.That(PoolDb.Count(Workspace.Data, "dp_runs"), Is.Zero, "no run recorded");
            Assert.That(PoolDb.Count(Workspace.Data, "dp_sources"), Is.Zero, "the source is not registered");
        });
    }

    [Test]
    public async Task Check_then_sync_by_id_does_not_know_the_source()
    {
        WriteCsv(Workspace.Folder, Good);
        var definition = WriteDefinition(Workspace.Folder);
        var check = await Cli.RunAsync("check", definition, "--data", Workspace.Data);
        Assert.That(check.ExitCode, Is.EqualTo(0), check.ToString());

        var sync = await Cli.RunAsync("sync", Id, "--data", Workspace.Data);

        Assert.That(sync.ExitCode, Is.EqualTo(1), "check must not register the source: " + sync);
    }

    [Test]
    public async Task Check_of_a_clean_export_shows_up_to_rows_and_no_errors()
    {
        WriteCsv(Workspace.Folder, Good);
        var definition = WriteDefinition(Workspace.Folder);

        var result = await Cli.RunAsync("check", definition, "--data", Workspace.Data);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdoutLines, Is.EqualTo(new[]
        {
            MappedLine(3, Good[0], "1"),
            MappedLine(4, Good[1], "2"),
            MappedLine(5, Good[2], "2"),
            MappedLine(6, Good[3], "1"),
            $"{Id}: read=4 ok=4 bad=0",
        }), result.ToString());
    }
}
