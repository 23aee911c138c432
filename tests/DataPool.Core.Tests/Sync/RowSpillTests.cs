using DataPool.Abstractions;
using DataPool.Core.Sync;

namespace DataPool.Core.Tests.Sync;

/// <summary>A walk's second read works the rows its first read kept: each one as the connector gave it.</summary>
public sealed class RowSpillTests
{
    private static readonly RowHeader Persons = new(["身份证号", "姓名", "电话"]);
    private static readonly RowHeader Sheet2 = new(["户号", "地址"]);

    private static string Describe(RawRow row) =>
        $"{string.Join("|", row.Header.Columns)} #{row.Number} @{row.Location} problem={row.Problem ?? "∅"} cut={row.CutOff} " +
        string.Join("|", row.Values.Select(v => v is null ? "∅" : $"[{v}]"));

    private static async Task<List<RawRow>> RoundTripAsync(IEnumerable<RawRow> rows)
    {
        using var spill = RowSpill.Create(SyncOptions.Default.SpillFolder);
        foreach (var row in rows)
        {
            spill.Add(row);
        }

        var back = new List<RawRow>();
        await foreach (var row in spill.ReadAsync(CancellationToken.None))
        {
            back.Add(row);
        }

        Assert.That(spill.Progress.Total, Is.EqualTo(back.Count), "the second read's total is the rows kept");
        return back;
    }

    [Test]
    public async Task Every_part_of_a_row_comes_back_as_it_went_in()
    {
        var rows = new List<RawRow>
        {
            new(Persons, ["110105194912310029", "张三", "13800000000"], 1, "persons.csv line 3"),
            new(Persons, ["", null, "含\t制表符\r\n和换行"], 2, "persons.csv line 4"),
            new(Persons, ["110105194912310037", "李四"], 3, "persons.csv line 5", "第5行只有2列，应为3列"),
            new(Sheet2, ["H0001", new string('长', 40_000)], 1, "户!A2"),
            new(Sheet2, [null, null], 9_000_000_000L, "户!A3") { CutOff = true },
        };

        var back = await RoundTripAsync(rows);

        Assert.That(back.Select(Describe), Is.EqualTo(rows.Select(Describe)));
        Assert.That(back[1].Header, Is.SameAs(back[0].Header), "rows of one header share it, as the connector's do");
        Assert.That(back[3].Header, Is.Not.SameAs(back[2].Header), "a new sheet's header comes back as a new header");
        Assert.That(back[4]["地址"], Is.Null);
    }

    [Test]
    public async Task Many_rows_come_back_in_order()
    {
        var rows = Enumerable.Range(1, 20_000).Select(i => new RawRow(Persons, [$"1101051949{i:D8}", $"居民{i}", null], i, $"persons.csv line {i + 2}"));

        var back = await RoundTripAsync(rows);

        Assert.That(back.Select(r => r.Number), Is.EqualTo(Enumerable.Range(1, 20_000).Select(i => (long)i)));
        Assert.That(back[^1].Values, Is.EqualTo(new[] { "110105194900020000", "居民20000", null }));
    }

    [Test]
    public void A_disk_that_fills_fails_the_run_saying_what_to_do()
    {
        Assume.That(File.Exists("/dev/full"), "a device whose every write finds the disk full");
        using var spill = new RowSpill(new FileStream("/dev/full", FileMode.Open, FileAccess.Write));

        var error = Assert.Throws<SyncException>(() =>
        {
            for (var i = 0; i < 100_000; i++)
            {
                spill.Add(new RawRow(Persons, [$"1101051949{i:D8}", $"居民{i}", "13800000000"], i + 1, $"persons.csv line {i + 2}"));
            }
        });
        Assert.That(error!.Message, Does.Contain("Nothing was changed").And.Contain("DataPool:Sync:SpillDirectory").And.Contain("DataPool:Sync:WalkRereadsSource"));
    }

    [Test]
    public async Task A_second_read_stops_when_cancelled()
    {
        using var spill = RowSpill.Create(SyncOptions.Default.SpillFolder);
        for (var i = 0; i < 10; i++)
        {
            spill.Add(new RawRow(Persons, ["1", "2", "3"], i + 1, "x"));
        }

        using var cancel = new CancellationTokenSource();
        var read = 0;
        Assert.That(async () =>
        {
            await foreach (var _ in spill.ReadAsync(cancel.Token))
            {
                if (++read == 3)
                {
                    await cancel.CancelAsync();
                }
            }
        }, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(read, Is.EqualTo(3));
    }
}
