using DataPool.Abstractions;
using DataPool.Testing;

namespace DataPool.Connectors.Excel.Tests;

/// <summary>
/// Hostile workbooks (issue 13): a 1.5 MB xlsx whose shared strings expand to gigabytes took the CLI to 1.6 GB and
/// an OutOfMemoryException. Each limit fails the run with a message naming it, before ClosedXML allocates the file.
/// </summary>
public sealed class XlsxLimitTests
{
    private TestFolder _folder = null!;

    [SetUp]
    public void SetUp() => _folder = new TestFolder();

    [TearDown]
    public void TearDown() => _folder.Dispose();

    [Test]
    public void Shared_strings_zip_bomb_fails_fast_without_allocating_what_it_expands_to()
    {
        var path = SmallWorkbook("bomb.xlsx");
        const long expands = 1024L * 1024 * 1024;
        var size = XlsxBombs.Change(path, s => XlsxBombs.WithHugeSharedString(s, expands));
        Assert.That(size, Is.LessThan(3 * XlsxLimits.Megabyte), "the bomb is a small file");

        var (error, allocated) = Measure(() => _folder.ReadAsync(new { path = "bomb.xlsx" }));

        Assert.That(error.Message, Does.StartWith("settings.maxCompressionRatio: bomb.xlsx: part xl/sharedStrings.xml inflates at least"));
        Assert.That(error.Message, Does.EndWith("raise settings.maxCompressionRatio if the workbook is genuine"));
        Assert.That(allocated, Is.LessThan(64 * XlsxLimits.Megabyte), $"allocated {allocated / XlsxLimits.Megabyte} MB");
    }

    [Test]
    public void Workbook_over_the_uncompressed_limit_is_refused_from_its_directory_before_inflating()
    {
        var path = SmallWorkbook("big.xlsx");
        XlsxBombs.Change(path, s => XlsxBombs.WithHugeSharedString(s, 16 * XlsxLimits.Megabyte));

        var (error, allocated) = Measure(() => _folder.ReadAsync(new { path = "big.xlsx", maxCompressionRatio = 1_000_000, maxUncompressedMB = 8 }));

        Assert.That(error.Message, Is.EqualTo(
            "settings.maxUncompressedMB: big.xlsx declares 16 MB uncompressed, over the limit of 8 MB; raise settings.maxUncompressedMB if the workbook is genuine"));
        Assert.That(allocated, Is.LessThan(8 * XlsxLimits.Megabyte), $"allocated {allocated / XlsxLimits.Megabyte} MB");
    }

    [Test]
    public void Shared_string_part_over_its_size_limit_fails_naming_the_setting()
    {
        var path = SmallWorkbook("big.xlsx");
        XlsxBombs.Change(path, s => XlsxBombs.WithHugeSharedString(s, 3 * XlsxLimits.Megabyte));

        var error = Assert.ThrowsAsync<XlsxLimitException>(() => _folder.ReadAsync(new { path = "big.xlsx", maxSharedStringsMB = 2 }));

        Assert.That(error!.Message, Does.StartWith("settings.maxSharedStringsMB: big.xlsx has more than 2 MB of shared strings (xl/sharedStrings.xml), over the limit of 2 MB"));
    }

    [Test]
    public async Task Too_many_shared_strings_fail_and_exactly_the_limit_reads()
    {
        var path = SmallWorkbook("many.xlsx");
        XlsxBombs.Change(path, s => XlsxBombs.WithSharedStrings(s, 1001));

        var error = Assert.ThrowsAsync<XlsxLimitException>(() => _folder.ReadAsync(new { path = "many.xlsx", maxSharedStrings = 1000 }));
        Assert.That(error!.Message, Is.EqualTo(
            "settings.maxSharedStrings: many.xlsx has more than 1,000 shared strings (in xl/sharedStrings.xml), over the limit of 1,000; raise settings.maxSharedStrings if the workbook is genuine"));

        var rows = await _folder.ReadAsync(new { path = "many.xlsx", maxSharedStrings = 1001 });
        Assert.That(rows, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Too_many_cells_in_a_sheet_fail_and_exactly_the_limit_reads()
    {
        _folder.Workbook("cells.xlsx", wb =>
        {
            var small = wb.AddWorksheet("small");
            small.Cell(1, 1).Value = "a";
            var ws = wb.AddWorksheet("wide");
            for (var r = 1; r <= 3; r++)
            {
                for (var c = 1; c <= 4; c++)
                {
                    ws.Cell(r, c).Value = r * 10 + c;
                }
            }
        });

        var error = Assert.ThrowsAsync<XlsxLimitException>(() => _folder.ReadAsync(new { path = "cells.xlsx", maxCellsPerSheet = 11 }));
        Assert.That(error!.Message, Does.StartWith("settings.maxCellsPerSheet: cells.xlsx has more than 11 cells in one sheet (in xl/worksheets/sheet2.xml)"));

        var rows = await _folder.ReadAsync(new { path = "cells.xlsx", maxCellsPerSheet = 12 });
        Assert.That(rows, Has.Count.EqualTo(2));
    }

    [Test]
    public void A_limit_below_one_is_a_settings_error()
    {
        SmallWorkbook("s.xlsx");

        var error = Assert.ThrowsAsync<ConnectorException>(() => _folder.ReadAsync(new { path = "s.xlsx", maxCellsPerSheet = 0 }));

        Assert.That(error!.Message, Is.EqualTo("settings.maxCellsPerSheet: must be 1 or more, not 0"));
    }

    private string SmallWorkbook(string name) => _folder.Workbook(name, wb =>
    {
        var ws = wb.AddWorksheet("S");
        ws.Cell(1, 1).Value = "姓名";
        ws.Cell(2, 1).Value = "张三";
    });

    private static (ConnectorException Error, long Allocated) Measure(Func<Task> read)
    {
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var error = Assert.ThrowsAsync<XlsxLimitException>(() => read());
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        return (error!, allocated);
    }
}
