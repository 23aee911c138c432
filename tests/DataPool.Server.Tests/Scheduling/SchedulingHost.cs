using System.Globalization;
using DataPool.Core.Sources;
using DataPool.Core.Store;
using DataPool.Server.Hosting;
using DataPool.Server.Scheduling;
using Hangfire;
using Hangfire.Storage;
using Hangfire.Storage.Monitoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace DataPool.Server.Tests.Scheduling;

/// <summary>One run of <c>dp_runs</c>, as the tests look at it.</summary>
public sealed record RunRow(long Id, string Status, string? Trigger, long Read, long Accepted, long Quarantined, long New, long Updated, long Unchanged, string? Error,
    string Started, string? Finished);

/// <summary>
/// The real server (API, Hangfire server, dashboard) in this process on 127.0.0.1 and a free port, over the test's
/// own data folder, polling Hangfire's queue every second.
/// </summary>
public sealed class SchedulingHost : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private SchedulingHost(WebApplication app, string data)
    {
        App = app;
        Data = data;
    }

    public WebApplication App { get; }
    public string Data { get; }

    public ISourceSchedule Schedule => Get<ISourceSchedule>();

    public Uri BaseAddress => new(App.Urls.First());

    public static async Task<SchedulingHost> StartAsync(string data)
    {
        var app = ServerApp.Build(new StoreOptions { DataDirectory = data }, null, "http://127.0.0.1:0",
            "--DataPool:Scheduling:PollIntervalSeconds=1", "--DataPool:Scheduling:NodeName=scheduling-tests");
        await ServerApp.InitialiseAsync(app, CancellationToken.None);
        await app.StartAsync();
        return new SchedulingHost(app, data);
    }

    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>Registers (or updates) a definition file, as <c>sync &lt;file&gt;</c> does, without touching the schedule.</summary>
    public async Task<LoadedSource> RegisterAsync(string definitionFile)
    {
        var loaded = Get<SourceDefinitionLoader>().Load(definitionFile);
        await Get<SourceRegistry>().UpsertAsync(loaded);
        return loaded;
    }

    public List<RecurringJobDto> RecurringJobs()
    {
        using var connection = Get<JobStorage>().GetConnection();
        return connection.GetRecurringJobs();
    }

    /// <summary>Fires a recurring job now, through Hangfire (queued and picked up by a worker like any scheduled firing).</summary>
    public string Trigger(string recurringJobId) => Get<IRecurringJobManagerV2>().TriggerJob(recurringJobId)
        ?? throw new AssertionException($"recurring job '{recurringJobId}' did not fire");

    public async Task<RunRow> WaitForRunAsync(string sourceId, Func<RunRow, bool> done, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        List<RunRow> runs = [];
        while (clock.Elapsed < Patience)
        {
            runs = Runs(sourceId);
            if (runs.FirstOrDefault(done) is { } run)
            {
                return run;
            }

            await Task.Delay(200);
        }

        throw new AssertionException($"no run of '{sourceId}' {what} within {Patience.TotalSeconds} s; runs: {string.Join("; ", runs)}");
    }

    public async Task<StateHistoryDto> WaitForJobStateAsync(string jobId, string state)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        JobDetailsDto? details = null;
        while (clock.Elapsed < Patience)
        {
            details = Get<JobStorage>().GetMonitoringApi().JobDetails(jobId);
            if (details?.History.FirstOrDefault(h => h.StateName == state) is { } reached)
            {
                return reached;
            }

            await Task.Delay(200);
        }

        var history = details?.History.Select(h => $"{h.StateName} ({h.Reason})") ?? [];
        throw new AssertionException($"job {jobId} not {state} within {Patience.TotalSeconds} s; history: {string.Join(", ", history)}");
    }

    public List<RunRow> Runs(string sourceId)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(Data, "pool.db"),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT id, status, trigger, read, accepted, quarantined, new, updated, unchanged, error, started_at, finished_at FROM dp_runs WHERE source_id = $source ORDER BY id";
        command.Parameters.AddWithValue("$source", sourceId);
        using var reader = command.ExecuteReader();
        var runs = new List<RunRow>();
        while (reader.Read())
        {
            runs.Add(new RunRow(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                Long(reader, 3), Long(reader, 4), Long(reader, 5), Long(reader, 6), Long(reader, 7), Long(reader, 8),
                reader.IsDBNull(9) ? null : reader.GetString(9), reader.GetString(10), reader.IsDBNull(11) ? null : reader.GetString(11)));
        }

        return runs;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }

    private static long Long(SqliteDataReader reader, int column) => Convert.ToInt64(reader.GetValue(column), CultureInfo.InvariantCulture);
}
