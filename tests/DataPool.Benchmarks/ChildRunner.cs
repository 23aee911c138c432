using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace DataPool.Benchmarks;

/// <summary>What one child process did: exit code, wall time, peak resident memory, and its output.</summary>
internal sealed record ChildResult(string Command, int ExitCode, TimeSpan Wall, long? PeakRssKb, IReadOnlyList<string> Stdout, IReadOnlyList<string> Stderr)
{
    public double PeakRssMb => PeakRssKb is { } kb ? kb / 1024.0 : double.NaN;

    /// <summary>Throws (after the caller printed nothing yet) with the child's stderr, so a failure is never mistaken for a timing.</summary>
    public ChildResult EnsureSuccess()
    {
        if (ExitCode == 0)
        {
            return this;
        }

        var tail = Stderr.Count > 40 ? Stderr.Skip(Stderr.Count - 40) : Stderr;
        throw new BenchmarkException($"'{Command}' exited with {ExitCode}. Its stderr:\n  " + string.Join("\n  ", tail) +
            (Stdout.Count > 0 ? "\nIts last stdout line: " + Stdout[^1] : ""));
    }
}

/// <summary>A failure that ends the benchmark: a child failed, a file is missing, or a count is unparseable.</summary>
internal sealed class BenchmarkException(string message) : Exception(message);

/// <summary>
/// Runs a child process and measures it from outside, so the numbers include everything a user waits for
/// (runtime start-up, schema loading) and nothing of the benchmark's own work.
/// </summary>
internal static class ChildRunner
{
    /// <summary>How often the child's memory is sampled. VmHWM is the kernel's own high-water mark, so the poll
    /// only has to catch the process alive late in its life, not at its peak.</summary>
    private const int PollMilliseconds = 50;

    /// <summary>Sampled faster during the first second, so a short child (sqlite3 on a small file) is seen
    /// after it has grown, not only as the bare process the exec left.</summary>
    private const int EarlyPollMilliseconds = 5;

    /// <summary>The child running now, ended with the benchmark (see <see cref="EndOnInterrupt"/>).</summary>
    private static Process? _current;

    /// <summary>
    /// Ctrl+C or a TERM ends the benchmark through a normal exit, so exit handlers run: the running child is
    /// killed and the throwaway PostgreSQL server is stopped and deleted instead of left running.
    /// </summary>
    public static IDisposable[] EndOnInterrupt()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Kill();
        return new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT }.Select(signal => (IDisposable)PosixSignalRegistration.Create(signal, context =>
        {
            context.Cancel = true;
            Console.Error.WriteLine($"benchmark interrupted ({context.Signal}): stopping");
            Environment.Exit(130);
        })).ToArray();
    }

    private static void Kill()
    {
        try
        {
            var process = _current;
            if (process is not null && !process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Gone already.
        }
    }

    public static ChildResult Run(string file, IReadOnlyList<string> args, string workingDirectory, string? stdin = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Secrets and addresses a definition reads through ${env:…}: the child's only, never the benchmark's.
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var stdout = new List<string>();
        var stderr = new List<string>();
        using var process = new Process { StartInfo = start };

        // Read both pipes as they fill: a child blocked on a full pipe would be timed as slow.
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);

        var clock = Stopwatch.StartNew();
        if (!process.Start())
        {
            throw new BenchmarkException($"could not start {file}");
        }

        _current = process;

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }

        // Process.Start returns after the exec, so this path is the child's, not a fork of ours.
        var status = $"/proc/{process.Id}/status";
        long? peak = ReadHighWaterKb(status);
        while (!process.WaitForExit(clock.ElapsedMilliseconds < 1000 ? EarlyPollMilliseconds : PollMilliseconds))
        {
            peak = ReadHighWaterKb(status) ?? peak;
        }

        clock.Stop();
        _current = null;
        process.WaitForExit(); // flushes the asynchronous output handlers
        return new ChildResult($"{Path.GetFileName(file)} {string.Join(' ', args)}", process.ExitCode, clock.Elapsed, peak, stdout, stderr);
    }

    /// <summary>The run of median wall time: one slow outlier on a busy machine does not move it.</summary>
    public static ChildResult Median(IEnumerable<ChildResult> runs)
    {
        var sorted = runs.OrderBy(r => r.Wall).ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>VmHWM (peak resident set, kB) of a live process; null when it is gone or not Linux.</summary>
    private static long? ReadHighWaterKb(string statusPath)
    {
        try
        {
            foreach (var line in File.ReadLines(statusPath))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var digits = line.AsSpan(6).Trim().TrimEnd("kB").Trim();
                    return long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            // The process exited between the check and the read: keep the last reading.
        }

        return null; // also a zombie: its status has no memory lines any more
    }

    private static void Append(List<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (lines)
        {
            lines.Add(line);
        }
    }
}
