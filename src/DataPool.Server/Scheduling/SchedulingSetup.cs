using DataPool.Core.Store;
using DataPool.Server.Identity;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.Options;

namespace DataPool.Server.Scheduling;

/// <summary>
/// Hangfire in the host: its storage beside the pool (the embedded SQLite file <c>&lt;data&gt;/hangfire.db</c>, or
/// schema <c>hangfire</c> of the pool's PostgreSQL database, shared by every node), the job server, the
/// source schedules and the admin-only dashboard at <c>/hangfire</c>.
/// </summary>
public static class SchedulingSetup
{
    public const string DashboardPath = "/hangfire";
    public const string HangfireSchema = "hangfire";

    public static IServiceCollection AddScheduling(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SchedulingOptions>().BindConfiguration(SchedulingOptions.Section)
            .Validate(o => o.PollIntervalSeconds > 0, $"{SchedulingOptions.Section}:PollIntervalSeconds must be above 0")
            .Validate(o => o.Workers >= 0, $"{SchedulingOptions.Section}:Workers must be 0 or more")
            .Validate(o => o.ReconcileMinutes > 0, $"{SchedulingOptions.Section}:ReconcileMinutes must be above 0")
            .Validate(o => ScheduleTimeZones.IsKnown(o.TimeZone), $"{SchedulingOptions.Section}:TimeZone must be a time zone this machine knows (e.g. Asia/Shanghai)")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SchedulingOptions>>().Value);
        // The SQLite storage's hourly clean-up writes a dozen info lines; only its problems are worth a look.
        services.AddLogging(logging => logging.AddFilter("Hangfire.Storage.SQLite.ExpirationManager", LogLevel.Warning));
        services.AddSingleton<ScheduleTimeZones>();

        // Registered before AddHangfire, whose TryAdd defaults would otherwise hand out the process-wide
        // JobStorage.Current: each host (and each test host) keeps its own storage, disposed with it.
        services.AddSingleton<ITimeZoneResolver>(sp => sp.GetRequiredService<ScheduleTimeZones>());
        services.AddSingleton(sp =>
        {
            // Hangfire's configuration first: it points Hangfire's logging at this host before the storage logs.
            var configuration = sp.GetRequiredService<IGlobalConfiguration>();
            var storage = CreateStorage(sp.GetRequiredService<StoreOptions>(), sp.GetRequiredService<SchedulingOptions>());
            configuration.UseStorage(storage);
            return storage;
        });
        services.AddHangfire((sp, config) =>
        {
            HangfireLogging.Use(sp.GetRequiredService<ILoggerFactory>());
            config.UseLogProvider(HangfireLogging.Instance)
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
        });

        services.AddTransient<SyncSourceJob>();
        services.AddSingleton<ISourceSchedule, HangfireSourceSchedule>();
        services.AddSingleton<IRecurringJobSet, SourceJobSet>();
        services.AddSingleton<ScheduleReconciler>();
        // Before the job server: the schedules are in place when this node starts taking jobs.
        services.AddHostedService(sp => sp.GetRequiredService<ScheduleReconciler>());
        // Hangfire's own job server, built the way its registration builds it, but only on a node with workers: whether this
        // node runs jobs is decided from the bound options when the host starts, so the setting is read once, validated.
        var jobServer = new ServiceCollection().AddHangfireServer((sp, server) =>
        {
            var options = sp.GetRequiredService<SchedulingOptions>();
            server.ServerName = options.ServerName;
            server.WorkerCount = options.Workers;
            // Explicit rather than Hangfire's static defaults, which the last host built in the process would own.
            server.Activator = new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>());
            server.TimeZoneResolver = sp.GetRequiredService<ScheduleTimeZones>();
        }).Single().ImplementationFactory!;
        services.AddTransient<IHostedService>(sp => sp.GetRequiredService<SchedulingOptions>().Workers > 0 ? (IHostedService)jobServer(sp) : new WebOnlyNode());
        return services;
    }

    /// <summary>
    /// The dashboard: administrators only, whatever the deployment (no local-requests exception). The route names the
    /// admin policy like every route (the middleware answers 401/403 for cookie and API-key callers alike); the
    /// dashboard's own filter checks the same policy again, as Hangfire would otherwise fall back to its own rule.
    /// </summary>
    public static IEndpointConventionBuilder MapSchedulingDashboard(this WebApplication app) =>
        app.MapHangfireDashboard(DashboardPath, new DashboardOptions
        {
            Authorization = [],
            AsyncAuthorization = [new AdminDashboardFilter()],
            AppPath = "/",
            DashboardTitle = "DataPool jobs",
            // The PostgreSQL connection string carries a password.
            DisplayStorageConnectionString = false,
            TimeZoneResolver = app.Services.GetRequiredService<ScheduleTimeZones>(),
        }, app.Services.GetRequiredService<JobStorage>()).RequireAuthorization(Policies.Admin);

    private static JobStorage CreateStorage(StoreOptions store, SchedulingOptions options)
    {
        if (store.Provider == StoreOptions.Postgres)
        {
            if (string.IsNullOrWhiteSpace(store.Connection))
            {
                throw new InvalidOperationException("the postgres store needs a connection string (--connection or ConnectionStrings__Pool)");
            }

            var postgres = new PostgreSqlStorageOptions
            {
                SchemaName = HangfireSchema,
                PrepareSchemaIfNecessary = true,
                QueuePollInterval = options.PollInterval,
                // A sync of a large source outlasts the default 30 min invisibility; sliding keeps its job from
                // being handed to a second node while the first is still on it.
                UseSlidingInvisibilityTimeout = true,
            };
            return new PostgreSqlStorage(new NpgsqlConnectionFactory(store.Connection, postgres, null), postgres);
        }

        var folder = Path.GetFullPath(store.DataDirectory);
        Directory.CreateDirectory(folder);
        return new SQLiteStorage(Path.Combine(folder, "hangfire.db"), new SQLiteStorageOptions
        {
            QueuePollInterval = options.PollInterval,
            // WAL, like pool.db: the dashboard reads while workers write.
            JournalMode = SQLiteStorageOptions.JournalModes.WAL,
        });
    }
}

/// <summary>The job server's place on a web-only node (<c>Workers</c> 0): the API and the dashboard, no jobs.</summary>
internal sealed class WebOnlyNode : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
