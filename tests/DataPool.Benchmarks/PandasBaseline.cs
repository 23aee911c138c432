using System.Globalization;

namespace DataPool.Benchmarks;

/// <summary>
/// The data-science baseline beside <c>sqlite3 .import</c>: each CSV the source reads, loaded by pandas
/// (<c>read_csv</c> with the file's encoding and header row, every column as text) and written by <c>to_sql</c>
/// into a SQLite file, one Python process per file, timed from outside with its peak RSS like a sync.
/// </summary>
/// <remarks>
/// The interpreter is Debian's (<c>/usr/bin/python3</c> with <c>python3-pandas</c>), named on purpose: another
/// python3 earlier on PATH may lack pandas. Unlike <c>.import</c>, pandas decodes GB18030 itself, which is work
/// the sync does too. <c>usecols</c> pads short rows and cuts long ones to the header's width, as sqlite3 does.
/// </remarks>
internal static class PandasBaseline
{
    public const string Tool = "pandas read_csv+to_sql";

    /// <summary>The full sync's target against this baseline (the "≤ 2×").</summary>
    public const double Target = 2;

    private const string Python = "/usr/bin/python3";

    // argv: path encoding headerRow width database table; prints the rows it wrote.
    private const string Script = """
        import sys, sqlite3, pandas as pd
        path, enc, header, width, db, table = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
        frame = pd.read_csv(path, encoding=enc, header=header - 1, dtype=str, keep_default_na=False, usecols=range(width), on_bad_lines='skip')
        with sqlite3.connect(db) as con:
            frame.to_sql(table, con, index=False, if_exists='replace')
        print(len(frame))
        """;

    public static Baseline Run(SourceUnderTest source, string database, int repeat)
    {
        var version = Version();
        if (version is null)
        {
            return new Baseline("sqlite", Tool, null, null,
                $"pandas not importable by {Python}: the pandas baseline and its ratio skipped (apt-get install python3-pandas)", Target: Target);
        }

        var files = new List<BaselineFile>();
        foreach (var file in source.Files.DistinctBy(f => f.Path))
        {
            var args = new[] { "-c", Script, file.Path, file.Encoding, file.HeaderRow.ToString(CultureInfo.InvariantCulture),
                SqliteBaseline.HeaderWidth(file).ToString(CultureInfo.InvariantCulture), database, SqliteBaseline.Table(file) };
            var runs = new List<ChildResult>();
            for (var i = 0; i < repeat; i++)
            {
                File.Delete(database); // into an empty database each time, as the first sync into an empty pool
                runs.Add(ChildRunner.Run(Python, args, Path.GetDirectoryName(file.Path)!).EnsureSuccess());
            }

            var median = ChildRunner.Median(runs);
            files.Add(new BaselineFile(Path.GetFileName(file.Path), long.Parse(median.Stdout[^1], CultureInfo.InvariantCulture), median));
        }

        File.Delete(database);
        return new Baseline("sqlite", Tool, files, "pandas " + version, null,
            ["pandas: one /usr/bin/python3 process per file (start-up and `import pandas` included, as a sync's start-up is)"], Target);
    }

    private static string? Version()
    {
        try
        {
            var run = ChildRunner.Run(Python, ["-c", "import pandas; print(pandas.__version__)"], Environment.CurrentDirectory);
            return run.ExitCode == 0 && run.Stdout.Count > 0 ? run.Stdout[^1] : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no such interpreter
        }
    }
}
