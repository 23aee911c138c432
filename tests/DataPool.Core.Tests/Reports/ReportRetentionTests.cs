using DataPool.Core.Reports;
using DataPool.Core.Tests.Support;

namespace DataPool.Core.Tests.Reports;

/// <summary>Retention: a definition keeping two runs leaves exactly its two newest runs, files and cells.</summary>
[TestFixtureSource(typeof(PoolTestHost), nameof(PoolTestHost.Stores))]
public sealed class ReportRetentionTests(string store)
{
    [Test]
    public async Task Runs_beyond_the_last_N_are_deleted_with_their_files_and_cells()
    {
        await using var pool = await ReportPool.CreateAsync(store, syncDemoWorld: false);
        var folder = Path.Combine(pool.Root, "defs");
        Directory.CreateDirectory(folder);
        var shipped = Path.Combine(pool.Database.Catalog.Root, ReportCatalog.Folder);
        File.Copy(Path.Combine(shipped, ReportCatalog.SchemaFile), Path.Combine(folder, ReportCatalog.SchemaFile));
        var text = File.ReadAllText(Path.Combine(shipped, "disability-category-grade.json"))
            .Replace("\"retention\": { \"runs\": 12 }", "\"retention\": { \"runs\": 2 }", StringComparison.Ordinal);
        Assert.That(text, Does.Contain("\"runs\": 2"));
        File.WriteAllText(Path.Combine(folder, "disability-category-grade.json"), text);
        var reports = ReportCatalog.Load(pool.Database.Catalog, folder);
        var generator = pool.Create(reports);

        var runs = new List<ReportRun>();
        for (var i = 0; i < 4; i++)
        {
            runs.Add(await generator.RunAsync("disability-category-grade", "test"));
            Assert.That(runs[^1].Succeeded, Is.True, runs[^1].Error);
        }

        var left = await ReportRuns.ListAsync(pool.Database, "disability-category-grade", 100);
        Assert.That(left.Select(r => r.Id), Is.EqualTo(new[] { runs[3].Id, runs[2].Id }));
        foreach (var gone in runs.Take(2))
        {
            Assert.That(File.Exists(pool.Archive.FullPath(gone.XlsxFile!)), Is.False);
            Assert.That(File.Exists(pool.Archive.FullPath(gone.CsvFile!)), Is.False);
        }

        Assert.That(File.Exists(pool.Archive.FullPath(runs[3].XlsxFile!)), Is.True);
        var cells = await pool.RowsAsync("SELECT DISTINCT run_id FROM dp_report_cells");
        Assert.That(cells.Select(c => Convert.ToInt64(c[0], System.Globalization.CultureInfo.InvariantCulture)), Is.SubsetOf(new[] { runs[3].Id, runs[2].Id }));
    }
}
