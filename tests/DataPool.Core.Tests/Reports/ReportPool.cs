using System.Diagnostics;
using System.Text.Json;
using DataPool.Core.Access;
using DataPool.Core.Reports;
using DataPool.Core.Schema;
using DataPool.Demo.Seeding;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using DataPool.Core.Sync;
using DataPool.Core.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DataPool.Core.Tests.Reports;

/// <summary>
/// A pool built from the committed demo world (every generated source synced for real) with the report services,
/// on SQLite or PostgreSQL; plus the independent reader of the files the reports write (Debian's python3-openpyxl).
/// </summary>
public sealed class ReportPool : IAsyncDisposable
{
    public const string Python = "/usr/bin/python3";

    private readonly PoolTestHost _host;

    private ReportPool(PoolTestHost host)
    {
        _host = host;
        Reports = ReportCatalog.Load(host.Database.Catalog);
        Archive = new ReportArchive(host.Database.Options);
        Generator = Create(Reports);
    }

    public string Root => _host.Root;
    public ServiceProvider Services => _host.Services;
    public PoolDatabase Database => _host.Database;
    public ReportGenerator Generator { get; }
    public ReportCatalog Reports { get; }
    public ReportArchive Archive { get; }

    /// <summary>A generator over this pool for another set of definitions (e.g. a test's own folder).</summary>
    public ReportGenerator Create(ReportCatalog reports) =>
        new(Database, reports, Archive, TimeProvider.System, Services.GetServices<IPoolAccess>(), Services.GetRequiredService<ILogger<ReportGenerator>>());

    public static async Task<ReportPool> CreateAsync(string store, bool syncDemoWorld = true)
    {
        var host = await PoolTestHost.CreateAsync(store);
        // The test host has the pool's own services; the report tables are created the way the server's start does.
        await using (var connection = await host.Database.OpenAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await new ReportTables().InitialiseAsync(connection, transaction, host.Database.Dialect, CancellationToken.None);
            await transaction.CommitAsync();
        }

        var pool = new ReportPool(host);
        if (syncDemoWorld)
        {
            await pool.SyncDemoWorldAsync();
        }

        return pool;
    }

    /// <summary>The generated world's sources (expected.json); the health API needs the simulator and no report reads it.</summary>
    private async Task SyncDemoWorldAsync()
    {
        var seeds = Path.Combine(Path.GetDirectoryName(SchemaCatalog.Locate())!, "seeds");
        var expected = DemoWorldGenerator.ReadSummary(Path.Combine(seeds, DemoWorldGenerator.ExpectedFile));
        var loader = Services.GetRequiredService<SourceDefinitionLoader>();
        var registry = Services.GetRequiredService<SourceRegistry>();
        var sources = expected.Sources.Select(s => loader.Load(Path.Combine(seeds, s.Definition))).ToList();
        foreach (var source in sources)
        {
            await registry.UpsertAsync(source);
        }

        foreach (var source in sources)
        {
            var result = await Services.GetRequiredService<SyncRunner>().RunAsync(source.Definition.Id);
            Assert.That(result.Succeeded, Is.True, result.SummaryLine);
        }
    }

    /// <summary>Rows of a direct query, their values in column order (name every column: the values are keyed by name).</summary>
    public async Task<List<object?[]>> RowsAsync(string sql, params (string, object?)[] parameters) =>
        (await _host.QueryAsync(sql, parameters)).Select(r => r.Values.ToArray()).ToList();

    /// <summary>Reads a workbook with openpyxl, not with the library that wrote it.</summary>
    public static JsonElement ReadXlsx(string file)
    {
        const string script = """
            import json, sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            ws = wb.worksheets[0]
            def value(c):
                return float(c.value) if isinstance(c.value, (int, float)) else c.value
            rows = [[value(c) for c in row] for row in ws.iter_rows(min_row=1, max_row=ws.max_row)]
            types = [[c.data_type for c in row] for row in ws.iter_rows(min_row=1, max_row=ws.max_row)]
            formats = [[c.number_format for c in row] for row in ws.iter_rows(min_row=1, max_row=ws.max_row)]
            widths = {}
            for d in ws.column_dimensions.values():
                for i in range(d.min or 1, (d.max or d.min or 1) + 1):
                    widths[openpyxl.utils.get_column_letter(i)] = d.width
            print(json.dumps({
                "rows": rows, "types": types, "formats": formats, "widths": widths,
                "merged": [str(r) for r in ws.merged_cells.ranges],
                "freeze": ws.freeze_panes,
                "orientation": ws.page_setup.orientation,
                "fitToWidth": ws.page_setup.fitToWidth, "fitToHeight": ws.page_setup.fitToHeight,
                "fitToPage": ws.sheet_properties.pageSetUpPr.fitToPage if ws.sheet_properties.pageSetUpPr else None,
                "titleRows": ws.print_title_rows,
                "bold": [bool(c.font.bold) for c in ws[3]],
            }, ensure_ascii=False, default=str))
            """;
        Assume.That(File.Exists(Python), Is.True, "Debian's python3 with python3-openpyxl reads the workbooks (apt-get install -y python3-openpyxl)");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, StandardOutputEncoding = System.Text.Encoding.UTF8 };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(file);
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.EqualTo(0), error);
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
