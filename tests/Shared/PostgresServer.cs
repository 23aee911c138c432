using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace DataPool.Testing;

/// <summary>
/// A real PostgreSQL server for the tests, started once per test process from the machine's
/// PostgreSQL binaries (Debian's postgresql package) in a throwaway folder on a free loopback port,
/// and stopped when the process ends. Each test takes a database of its own.
/// DATAPOOL_TEST_POSTGRES (a connection string) points the tests at an existing server instead.
/// </summary>
public static class PostgresServer
{
    private static readonly Lazy<string> Admin = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private static string? _folder;
    private static string? _bin;

    /// <summary>A connection string to the server's maintenance database.</summary>
    public static string AdminConnection => Admin.Value;

    public static async Task<string> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(AdminConnection))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(AdminConnection) { Database = name }.ToString();
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string Start()
    {
        if (Environment.GetEnvironmentVariable("DATAPOOL_TEST_POSTGRES") is { Length: > 0 } existing)
        {
            return existing;
        }

        _bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
        if (_bin is null)
        {
            throw new InvalidOperationException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql, or set DATAPOOL_TEST_POSTGRES");
        }

        _folder = Path.Combine(Path.GetTempPath(), $"datapool-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(_folder);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            // initdb refuses to run as root: the cluster belongs to the postgres user.
            Run("chown", $"postgres {_folder}");
        }

        var port = FreePort();
        Run(_bin + "/initdb", $"-D {_folder}/data -A trust -U postgres -E UTF8 --locale=C --no-sync", asRoot);
        var options = $"-p {port} -c listen_addresses=127.0.0.1 -k {_folder} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=128MB";
        Run(_bin + "/pg_ctl", $"-D {_folder}/data -o \"{options}\" -l {_folder}/server.log -w -t 60 start", asRoot);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(asRoot);
        return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50;Timeout=30;Command Timeout=300";
    }

    private static void Stop(bool asRoot)
    {
        try
        {
            Run(_bin + "/pg_ctl", $"-D {_folder}/data -m immediate -w stop", asRoot);
            Directory.Delete(_folder!, recursive: true);
        }
        catch (Exception)
        {
            // The process is ending; a leftover temp folder is harmless.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Run(string program, string arguments, bool asPostgresUser = false)
    {
        var start = asPostgresUser
            ? new ProcessStartInfo("runuser", $"-u postgres -- {program} {arguments}")
            : new ProcessStartInfo(program, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {arguments} failed ({(process.HasExited ? process.ExitCode : -1)}): {error.Result}{output.Result}");
        }
    }
}
