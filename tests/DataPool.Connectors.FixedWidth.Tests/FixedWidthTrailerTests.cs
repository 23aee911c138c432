namespace DataPool.Connectors.FixedWidth.Tests;

public sealed class FixedWidthTrailerTests : FixedWidthTestBase
{
    private static readonly string[] Records =
    [
        Record("11010119570302001X", "张三", "1", "19570302"),
        Record("110101198001150024", "李四", "2", "19800115"),
        Record("110101200106300133", "王五", "1", "20010630"),
    ];

    [Test]
    public async Task A_trailer_with_the_right_count_is_not_a_row()
    {
        WriteLines("persons.dat", [.. Records, TrailerLine(3) + " 20260301"]);

        var rows = await ReadAllAsync(SettingsWithTrailer());

        Assert.That(rows, Has.Count.EqualTo(3));
        Assert.That(rows.Select(r => r.Problem), Is.All.Null);
    }

    [Test]
    public async Task Rows_with_problems_count_as_rows_of_the_file()
    {
        WriteLines("persons.dat", Records[0], "short", TrailerLine(2));

        var rows = await ReadAllAsync(SettingsWithTrailer());

        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.That(rows[1].Problem, Does.StartWith("line 2 is 5 bytes long"));
    }

    [Test]
    public async Task A_wrong_count_fails_the_read_at_the_end_saying_both_numbers()
    {
        WriteLines("persons.dat", [.. Records, TrailerLine(1000)]);

        var (error, rowsBefore) = await ReadFailureAsync(SettingsWithTrailer());

        Assert.That(error.Message, Does.StartWith("persons.dat: the trailer says 1,000 rows, the file has 3 (trailer at line 4)"));
        Assert.That(rowsBefore, Has.Count.EqualTo(3), "rows stream before the check; the pipeline fails the run as a whole");
    }

    [Test]
    public async Task A_trailer_counting_more_rows_than_a_cut_file_has_fails()
    {
        WriteLines("persons.dat", Records[0], TrailerLine(1));
        var (ok, _) = (await ReadAllAsync(SettingsWithTrailer()), 0);
        Assert.That(ok, Has.Count.EqualTo(1));

        WriteLines("persons.dat", TrailerLine(1));
        var (error, _) = await ReadFailureAsync(SettingsWithTrailer());

        Assert.That(error.Message, Does.StartWith("persons.dat: the trailer says 1 row, the file has 0"));
    }

    [Test]
    public async Task A_missing_trailer_fails_the_read()
    {
        WriteLines("persons.dat", Records);

        var (error, _) = await ReadFailureAsync(SettingsWithTrailer());

        Assert.That(error.Message, Does.StartWith("persons.dat: no trailer record (a line starting with 'TRL') — the export may be cut short"));
    }

    [Test]
    public async Task A_record_after_the_trailer_fails_the_read()
    {
        WriteLines("persons.dat", Records[0], TrailerLine(1), Records[1]);

        var (error, _) = await ReadFailureAsync(SettingsWithTrailer());

        Assert.That(error.Message, Does.StartWith("persons.dat line 3: a record after the trailer at line 2"));
    }

    [Test]
    public async Task Blank_lines_after_the_trailer_are_fine()
    {
        WriteLines("persons.dat", Records[0], TrailerLine(1), "", "");

        Assert.That(await ReadAllAsync(SettingsWithTrailer()), Has.Count.EqualTo(1));
    }

    [TestCase("TRL00000ABC1", "'00000ABC1', not a number")]
    [TestCase("TRL12", "the trailer is 5 bytes long, its row count should be at bytes 4–12")]
    public async Task An_unreadable_count_fails_the_read_naming_the_bytes(string trailer, string expected)
    {
        WriteLines("persons.dat", Records[0], trailer);

        var (error, _) = await ReadFailureAsync(SettingsWithTrailer());

        Assert.That(error.Message, Does.StartWith("persons.dat line 2: ").And.Contain(expected));
    }

    [Test]
    public async Task Without_a_trailer_setting_a_trailer_like_line_is_a_row()
    {
        WriteLines("persons.dat", Records[0], TrailerLine(1));

        var rows = await ReadAllAsync(Settings());

        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.That(rows[1].Problem, Does.StartWith("line 2 is 12 bytes long"));
    }

    [Test]
    public async Task A_count_padded_with_spaces_is_read()
    {
        WriteLines("persons.dat", [.. Records, "TRL        3"]);

        Assert.That(await ReadAllAsync(SettingsWithTrailer()), Has.Count.EqualTo(3));
    }
}
