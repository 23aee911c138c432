using DataPool.Abstractions;

namespace DataPool.Connectors.Csv.Tests;

public sealed class CsvStreamingTests : CsvTestBase
{
    private const int RowCount = 200_000;

    private string WriteBigFile()
    {
        var path = Path.Combine(Folder, "big.csv");
        using var writer = new StreamWriter(path, append: false, Gb18030);
        writer.WriteLine("某某社区户籍人口登记表（2019年）");
        writer.WriteLine("序号,姓名,身份证号,住址");
        for (var i = 1; i <= RowCount; i++)
        {
            writer.Write(i);
            writer.Write(",张三");
            writer.Write(i % 100);
            writer.Write(",11010119570302");
            writer.Write((i % 10000).ToString("D4"));
            writer.WriteLine(",北京市东城区某某街道某某社区");
        }

        return path;
    }

    [Test]
    public async Task A_200k_row_file_streams_every_row_with_the_right_number_and_line()
    {
        WriteBigFile();
        var context = Context("""{ "path": "big.csv", "encoding": "GB18030", "headerRow": 2 }""");

        long count = 0;
        RawRow? last = null;
        await foreach (var row in new CsvConnector().ReadAsync(context, CancellationToken.None))
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
        Assert.That(last.Location, Is.EqualTo($"big.csv line {RowCount + 2}"));
        Assert.That(last["序号"], Is.EqualTo(RowCount.ToString()));
    }

    [Test]
    public async Task The_first_row_arrives_without_the_file_being_loaded()
    {
        var path = WriteBigFile();
        var fileBytes = new FileInfo(path).Length;
        var context = Context("""{ "path": "big.csv", "encoding": "GB18030", "headerRow": 2 }""");

        var before = GC.GetTotalMemory(forceFullCollection: true);
        await using var rows = new CsvConnector().ReadAsync(context, CancellationToken.None).GetAsyncEnumerator();
        Assert.That(await rows.MoveNextAsync(), Is.True);
        var during = GC.GetTotalMemory(forceFullCollection: true);

        Assert.That(rows.Current.Number, Is.EqualTo(1));
        // The whole file as text would be about twice its byte size; the reader holds a few buffers.
        Assert.That(during - before, Is.LessThan(fileBytes / 4), $"file is {fileBytes:N0} bytes");
    }

    [Test]
    public async Task Cancelling_stops_the_read()
    {
        WriteBigFile();
        var context = Context("""{ "path": "big.csv", "encoding": "GB18030", "headerRow": 2 }""");
        using var cancel = new CancellationTokenSource();

        var read = 0;
        Assert.That(
            async () =>
            {
                await foreach (var unused in new CsvConnector().ReadAsync(context, cancel.Token))
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

    [Test]
    public async Task The_file_size_is_the_progress_total_and_the_bytes_read_rise_to_it()
    {
        var path = WriteBigFile();
        var context = Context("""{ "path": "big.csv", "encoding": "GB18030", "headerRow": 2 }""");

        var positions = new List<long>();
        var n = 0;
        await foreach (var _ in new CsvConnector().ReadAsync(context, CancellationToken.None))
        {
            if (++n % 20_000 == 0)
            {
                positions.Add(context.Progress.Position);
            }
        }

        var size = new FileInfo(path).Length;
        Assert.That((context.Progress.Total, context.Progress.Unit), Is.EqualTo(((long?)size, ProgressUnit.Bytes)));
        Assert.That(positions, Is.Ordered.And.All.InRange(1L, size));
        Assert.That(positions[0], Is.LessThan(size / 2), "read ahead in buffers, not all at once");
        Assert.That(context.Progress.Position, Is.EqualTo(size));
    }
}
