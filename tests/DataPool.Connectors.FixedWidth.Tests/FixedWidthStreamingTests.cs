using DataPool.Abstractions;

namespace DataPool.Connectors.FixedWidth.Tests;

public sealed class FixedWidthStreamingTests : FixedWidthTestBase
{
    private const int RowCount = 100_000;

    private string WriteBigFile(long trailerCount = RowCount)
    {
        var path = Path.Combine(Folder, "persons.dat");
        using var writer = new StreamWriter(path, append: false, Gb18030);
        writer.NewLine = "\r\n";
        for (var i = 1; i <= RowCount; i++)
        {
            writer.WriteLine(Record("11010119570302" + (i % 10000).ToString("D4"), "张三" + (char)('甲' + (i % 10)), (i % 2 + 1).ToString(), "19570302"));
        }

        writer.WriteLine(TrailerLine(trailerCount));
        return path;
    }

    [Test]
    public async Task A_100k_line_file_streams_every_row_with_the_trailer_count_checked()
    {
        WriteBigFile();

        long count = 0;
        RawRow? last = null;
        await foreach (var row in new FixedWidthConnector().ReadAsync(Context(SettingsWithTrailer()), CancellationToken.None))
        {
            count++;
            last = row;
            if (row.Problem is not null)
            {
                Assert.Fail($"unexpected problem at {row.Location}: {row.Problem}");
            }
        }

        Assert.That(count, Is.EqualTo(RowCount));
        Assert.That(last!.Number, Is.EqualTo(RowCount));
        Assert.That(last.Location, Is.EqualTo($"persons.dat line {RowCount}"));
        Assert.That(last["姓名"], Is.EqualTo("张三甲"));
    }

    [Test]
    public async Task A_100k_line_file_one_short_of_its_trailer_fails_at_the_end()
    {
        WriteBigFile(trailerCount: RowCount + 1);

        var (error, rowsBefore) = await ReadFailureAsync(SettingsWithTrailer());

        Assert.That(error.Message, Does.StartWith("persons.dat: the trailer says 100,001 rows, the file has 100,000"));
        Assert.That(rowsBefore, Has.Count.EqualTo(RowCount));
    }

    [Test]
    public async Task The_first_row_arrives_without_the_file_being_loaded()
    {
        var path = WriteBigFile();
        var fileBytes = new FileInfo(path).Length;

        var before = GC.GetTotalMemory(forceFullCollection: true);
        await using var rows = new FixedWidthConnector().ReadAsync(Context(SettingsWithTrailer()), CancellationToken.None).GetAsyncEnumerator();
        Assert.That(await rows.MoveNextAsync(), Is.True);
        var during = GC.GetTotalMemory(forceFullCollection: true);

        Assert.That(rows.Current.Number, Is.EqualTo(1));
        Assert.That(during - before, Is.LessThan(fileBytes / 4), $"file is {fileBytes:N0} bytes");
    }

    [Test]
    public void Cancelling_stops_the_read()
    {
        WriteBigFile();
        using var cancel = new CancellationTokenSource();

        var read = 0;
        Assert.That(
            async () =>
            {
                await foreach (var unused in new FixedWidthConnector().ReadAsync(Context(SettingsWithTrailer()), cancel.Token))
                {
                    if (++read == 10)
                    {
                        await cancel.CancelAsync();
                    }
                }
            },
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(read, Is.EqualTo(10));
    }
}
