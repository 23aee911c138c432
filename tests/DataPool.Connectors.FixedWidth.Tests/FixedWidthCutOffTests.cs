namespace DataPool.Connectors.FixedWidth.Tests;

/// <summary>Without a trailer, a short last line that ends the file without a line feed is where a transfer stopped.</summary>
public sealed class FixedWidthCutOffTests : FixedWidthTestBase
{
    private static readonly string First = Record("11010119570302001X", "张三", "1", "19570302");
    private static readonly string Second = Record("110101198001150024", "李四", "2", "19800115");

    [Test]
    public async Task A_short_last_line_without_a_line_feed_is_marked_cut_off()
    {
        WriteFile("persons.dat", First + "\r\n" + Second[..20]);

        var rows = await ReadAllAsync(Settings());

        Assert.That(rows.Select(r => r.CutOff), Is.EqualTo(new[] { false, true }));
        Assert.That(rows[1].Problem, Does.EndWith("it ends the file mid-record: the export may be cut off"));
    }

    [Test]
    public async Task A_whole_last_line_without_a_line_feed_or_a_short_line_ending_in_one_is_not_cut_off()
    {
        WriteFile("persons.dat", First + "\r\n" + Second);
        Assert.That((await ReadAllAsync(Settings())).Select(r => r.CutOff), Is.All.False);

        WriteLines("persons.dat", First, Second[..20]);
        var rows = await ReadAllAsync(Settings());
        Assert.That(rows.Select(r => r.CutOff), Is.All.False);
        Assert.That(rows[1].Problem, Is.Not.Null, "still a short line");
    }

    [Test]
    public async Task The_file_size_is_the_progress_total_and_every_byte_is_read()
    {
        var path = WriteLines("persons.dat", First, Second);
        var context = Context(Settings());

        await ReadAllAsync(context);

        var size = new FileInfo(path).Length;
        Assert.That((context.Progress.Total, context.Progress.Unit, context.Progress.Position), Is.EqualTo(((long?)size, DataPool.Abstractions.ProgressUnit.Bytes, size)));
    }
}
