using System.Globalization;
using System.Text;

namespace DataPool.Benchmarks;

/// <summary>One file loaded by a store's raw loader: the floor a sync of the same bytes into that store is compared with.</summary>
internal sealed record BaselineFile(string File, long Rows, ChildResult Run);

/// <summary>
/// All files of the source loaded raw into one store by <paramref name="Tool"/> (<c>sqlite3 .import</c>,
/// PostgreSQL <c>COPY</c>); null Files, with the reason in Why, when the tool is not there.
/// Notes are printed under the baseline table (what was done to the bytes, what the memory figure is).
/// Target is the full sync's allowed ratio to this baseline; null means the store's raw-load target.
/// </summary>
internal sealed record Baseline(string Store, string Tool, IReadOnlyList<BaselineFile>? Files, string? Version, string? Why, IReadOnlyList<string>? Notes = null,
    double? Target = null)
{
    public TimeSpan Total => TimeSpan.FromTicks(Files?.Sum(f => f.Run.Wall.Ticks) ?? 0);
}

/// <summary>
/// The raw baseline: each CSV the source reads, imported by the sqlite3 shell into a plain table of text
/// columns, no index, one process per file (so each is timed alone, start-up included, like a sync).
/// </summary>
/// <remarks>
/// Every file of the source, not only persons.csv: the sync reads them all (its read= counts them all), so
/// the ratio compares the same work. The person file alone is printed beside it. The bytes go in as they
/// are (GB18030 undecoded), which costs sqlite3 nothing and is fine for a time.
/// </remarks>
internal static class SqliteBaseline
{
    public const string Tool = "sqlite3 .import";

    public static Baseline Run(SourceUnderTest source, string database, int repeat)
    {
        var version = Version();
        if (version is null)
        {
            return new Baseline("sqlite", Tool, null, null, "sqlite3 not found on PATH: baseline and the full/import ratio skipped (apt-get install sqlite3)");
        }

        var files = new List<BaselineFile>();
        foreach (var file in source.Files.DistinctBy(f => f.Path))
        {
            var table = Table(file);
            var columns = HeaderWidth(file);

            // A table made beforehand, so .import neither takes the first row after --skip as a header
            // nor names columns after Chinese text; ragged rows are padded by sqlite3 with a warning.
            var script = $"CREATE TABLE {table}({string.Join(", ", Enumerable.Range(1, columns).Select(i => $"c{i} TEXT"))});\n" +
                         $".import --csv --skip {file.HeaderRow} '{Path.GetFileName(file.Path)}' {table}\n";
            var runs = new List<ChildResult>();
            for (var i = 0; i < repeat; i++)
            {
                File.Delete(database); // each import into an empty database, as the first sync into an empty pool
                runs.Add(ChildRunner.Run("sqlite3", [database], Path.GetDirectoryName(file.Path)!, script).EnsureSuccess());
            }

            files.Add(new BaselineFile(Path.GetFileName(file.Path), CountRows(database, table), ChildRunner.Median(runs)));
        }

        return new Baseline("sqlite", Tool, files, version, null);
    }

    private static string? Version()
    {
        try
        {
            var run = ChildRunner.Run("sqlite3", ["-version"], Environment.CurrentDirectory);
            return run.ExitCode == 0 && run.Stdout.Count > 0 ? run.Stdout[0].Split(' ')[0] : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // not installed
        }
    }

    /// <summary>The baseline table of a file: "t" and the file name's ASCII letters and digits.</summary>
    internal static string Table(CsvFile file) => new(Path.GetFileNameWithoutExtension(file.Path).Where(char.IsAsciiLetterOrDigit).Prepend('t').ToArray());

    /// <summary>Fields in the file's header row: the baseline table's width.</summary>
    internal static int HeaderWidth(CsvFile file)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        using var reader = new StreamReader(file.Path, Encoding.GetEncoding(file.Encoding));
        var header = CsvLines.Read(reader, "\n").Skip(file.HeaderRow - 1).FirstOrDefault();
        return header.Text is null ? throw new BenchmarkException($"{file.Path}: no header") : CsvLines.Spans(header.Text).Count;
    }

    /// <summary>Rows that landed, untimed: proves the import loaded the file rather than failing fast.</summary>
    private static long CountRows(string database, string table)
    {
        var run = ChildRunner.Run("sqlite3", [database, $"SELECT count(*) FROM {table};"], Environment.CurrentDirectory).EnsureSuccess();
        return long.Parse(run.Stdout[^1], CultureInfo.InvariantCulture);
    }
}
