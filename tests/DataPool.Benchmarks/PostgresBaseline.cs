using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace DataPool.Benchmarks;

/// <summary>
/// The raw baseline of the PostgreSQL store: each CSV the source reads, loaded by <c>COPY … FROM STDIN
/// (FORMAT csv, ENCODING 'GB18030')</c> into a plain table of text columns, no index, in a fresh database.
/// The counterpart of <see cref="SqliteBaseline"/>; a full sync into PostgreSQL is compared with it.
/// </summary>
/// <remarks>
/// The benchmark streams the file's bytes to the server itself (<see cref="CopyFeed"/>: title and header
/// left out, ragged rows evened out) and the server decodes GB18030, so the time covers reading the file,
/// the transfer, decoding and writing, as a sync's does. Timed per file: a new connection (no pool), the
/// CREATE TABLE and the COPY, the counterpart of one sqlite3 process. There is no child process to
/// measure: the memory figure is the peak RSS of the server backend that ran the COPY (VmHWM, shared buffers
/// it touched included), read when the COPY is done.
/// </remarks>
internal static class PostgresBaseline
{
    public const string Tool = "postgres COPY";

    public static Baseline Run(SourceUnderTest source, PostgresTarget store, int repeat)
    {
        var files = new List<BaselineFile>();
        var notes = new List<string>();
        foreach (var file in source.Files.DistinctBy(f => f.Path))
        {
            var table = SqliteBaseline.Table(file);
            var columns = SqliteBaseline.HeaderWidth(file);
            var encoding = ServerEncoding(file.Encoding);
            var runs = new List<ChildResult>();
            CopyFeedResult? fed = null;
            long rows = 0;
            for (var i = 0; i < repeat; i++)
            {
                // Each COPY into an empty database, as the first sync goes into an empty pool.
                var connectionString = store.FreshDatabase(store.BaselineDatabase);
                var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, CommandTimeout = 0 };
                var copy = $"COPY {table} FROM STDIN (FORMAT csv, ENCODING '{encoding}')";
                var clock = Stopwatch.StartNew();
                long? peakKb;
                using (var connection = new NpgsqlConnection(builder.ToString()))
                {
                    connection.Open();
                    Execute(connection, $"CREATE TABLE {table} ({string.Join(", ", Enumerable.Range(1, columns).Select(c => $"c{c} text"))})");

                    // BeginTextImport's writer would encode characters as UTF-8; the raw bytes go to its stream instead.
                    using (var writer = connection.BeginTextImport(copy))
                    {
                        fed = CopyFeed.Run(file.Path, file.HeaderRow, columns, writer.BaseStream);
                    }

                    clock.Stop();
                    peakKb = store.IsLocal ? HighWaterKb(connection.ProcessID) : null;
                    rows = Scalar(connection, $"SELECT count(*) FROM {table}");
                }

                runs.Add(new ChildResult(copy, 0, clock.Elapsed, peakKb, [], []));
            }

            if (rows != fed!.Records)
            {
                throw new BenchmarkException($"{Tool} {file.Path}: {fed.Records} records sent, {rows} rows in the table");
            }

            files.Add(new BaselineFile(Path.GetFileName(file.Path), rows, ChildRunner.Median(runs)));
            if (fed.Padded + fed.Cut > 0)
            {
                notes.Add($"{Tool} {Path.GetFileName(file.Path)}: {fed.Padded} short rows padded and {fed.Cut} long rows cut to the header's {columns} fields " +
                    "while feeding (COPY refuses ragged rows; sqlite3 .import evens them out itself)");
            }
        }

        notes.Add($"{Tool} peak RSS: the server backend that ran the COPY (shared buffers it touched included), not a child process");
        return new Baseline(store.Name, Tool, files, store.Version, null, notes);
    }

    /// <summary>The source's encoding as PostgreSQL names it (GB18030, UTF8, GBK, …).</summary>
    private static string ServerEncoding(string encoding) => encoding.ToUpperInvariant() switch
    {
        "UTF-8" or "UTF8" => "UTF8",
        "GB2312" => "GBK", // a subset of GBK: same bytes
        var other => other.Replace("-", "", StringComparison.Ordinal),
    };

    private static long? HighWaterKb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null; // not readable (another user's process without root): shown as n/a
        }
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static long Scalar(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
