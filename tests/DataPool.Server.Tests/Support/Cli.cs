using System.Diagnostics;
using System.Text;

namespace DataPool.Server.Tests;

/// <summary>What one run of the executable did.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Standard output split on line feeds, without the empty piece after the last one.</summary>
    public IReadOnlyList<string> StdoutLines => Lines(Stdout);

    public IReadOnlyList<string> StderrLines => Lines(Stderr);

    /// <summary>Everything, for assertion messages.</summary>
    public override string ToString() => $"exit code {ExitCode}\n--- stdout ---\n{Stdout}--- stderr ---\n{Stderr}--- end ---";

    private static string[] Lines(string text) =>
        text.Length == 0 ? [] : text.EndsWith('\n') ? text[..^1].Split('\n') : text.Split('\n');
}

/// <summary>
/// Runs the real <c>datapool</c> executable (<c>dotnet datapool.dll …</c>, copied into the test output by the
/// project reference) as a child process with its output redirected, as a script would.
/// </summary>
public static class Cli
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The program under test.</summary>
    public static string Program => Path.Combine(TestContext.CurrentContext.TestDirectory, "datapool.dll");

    /// <summary>Runs <c>datapool args…</c> in the current test's own folder (<see cref="Workspace.Folder"/>).</summary>
    public static Task<CliResult> RunAsync(params string[] args) => RunInAsync(Workspace.Folder, DefaultTimeout, args);

    public static Task<CliResult> RunInAsync(string workingDirectory, TimeSpan timeout, params string[] args) =>
        RunInAsync(workingDirectory, timeout, new Dictionary<string, string>(), args);

    /// <summary>Runs <c>datapool args…</c> in the test's folder with these environment variables set (settings such as <c>DataPool__Matching__…</c>).</summary>
    public static Task<CliResult> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunInAsync(Workspace.Folder, DefaultTimeout, environment, args);

    public static async Task<CliResult> RunInAsync(string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        Assert.That(Program, Does.Exist, "the project reference should copy datapool.dll into the test output");
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
        };
        start.ArgumentList.Add(Program);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Hermetic: the store and data folder come from the arguments only.
        foreach (var name in new[] { "DataPool__Data", "DataPool__Store__Provider", "ConnectionStrings__Pool", "ASPNETCORE_URLS" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timer = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(timer.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"timed out after {timeout.TotalSeconds:F0} s: datapool {string.Join(' ', args)}\n{new CliResult(-1, await stdout, await stderr)}");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The dotnet host running the tests (set by dotnet test), else the one on the PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
