using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DataPool.Server.Tests.Cluster;

/// <summary>One real server process (`datapool serve`) of a cluster sharing one PostgreSQL pool.</summary>
public sealed class ServerNode : IAsyncDisposable
{
    private readonly Process _process;

    private ServerNode(Process process, Uri address, string name)
    {
        _process = process;
        Address = address;
        Name = name;
    }

    public Uri Address { get; }
    public string Name { get; }
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;

    public static async Task<ServerNode> StartAsync(string name, string connection, string folder)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { Cli.Program, "serve", "--store", "postgres", "--connection", connection, "--urls", $"http://127.0.0.1:{port}", "--data", folder })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DataPool__Scheduling__PollIntervalSeconds"] = "1";
        start.Environment["DataPool__Scheduling__Workers"] = "2";
        start.Environment["DataPool__Scheduling__NodeName"] = name;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new ServerNode(process, new Uri($"http://127.0.0.1:{port}/"), name);
        using var client = new HttpClient { BaseAddress = node.Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            Assert.That(process.HasExited, Is.False, $"node {name} exited with {(process.HasExited ? process.ExitCode : 0)}");
            try
            {
                if ((await client.GetAsync("/health")).StatusCode == HttpStatusCode.OK)
                {
                    return node;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(300);
        }

        throw new TimeoutException($"node {name} did not answer /health within 90 s");
    }

    /// <summary>Ends the process at once, as a crash or a pulled plug would.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
