using Hangfire;

namespace DataPool.Server.Scheduling;

/// <summary>
/// The scheduler's settings, section <c>DataPool:Scheduling</c> (environment <c>DataPool__Scheduling__PollIntervalSeconds</c>, …).
/// The defaults suit the embedded store on a small machine.
/// </summary>
public sealed class SchedulingOptions
{
    public const string Section = "DataPool:Scheduling";

    /// <summary>How often an idle worker looks for queued jobs. Hangfire.Storage.SQLite waits 15 s unless told otherwise.</summary>
    public double PollIntervalSeconds { get; set; } = 1;

    /// <summary>Jobs run at once on this node; 0 makes it a web-only node (API and dashboard, no jobs).</summary>
    public int Workers { get; set; } = 2;

    /// <summary>
    /// How this node shows in the dashboard's Servers page; default the machine name. Hangfire adds the process id
    /// (<c>name:pid:guid</c>), so two nodes on one machine are told apart as well.
    /// </summary>
    public string? NodeName { get; set; }

    /// <summary>The time zone every source's cron is read in (the communities' local time).</summary>
    public string TimeZone { get; set; } = ScheduleTimeZones.ChinaStandardTime;

    /// <summary>How often the recurring jobs are re-checked against the registered sources (changes made by the CLI).</summary>
    public double ReconcileMinutes { get; set; } = 5;

    public TimeSpan PollInterval => TimeSpan.FromSeconds(PollIntervalSeconds);

    public string ServerName => NodeName is { Length: > 0 } name ? name : Environment.MachineName;
}

/// <summary>
/// Resolves the time zones of recurring jobs. China has kept UTC+8 without daylight saving since 1991, so when a
/// slim container lacks the tz database the Shanghai zone is still known and schedules keep firing at local time.
/// </summary>
public sealed class ScheduleTimeZones : ITimeZoneResolver
{
    public const string ChinaStandardTime = "Asia/Shanghai";

    private static readonly TimeZoneInfo FixedChina =
        TimeZoneInfo.CreateCustomTimeZone(ChinaStandardTime, TimeSpan.FromHours(8), "China Standard Time", "China Standard Time");

    public ScheduleTimeZones(SchedulingOptions options) => Default = GetTimeZoneById(options.TimeZone);

    /// <summary>The zone new recurring jobs are scheduled in.</summary>
    public TimeZoneInfo Default { get; }

    /// <summary>Whether the zone can be resolved here (the start refuses a schedule zone that cannot).</summary>
    public static bool IsKnown(string timeZoneId)
    {
        try
        {
            _ = Resolve(timeZoneId);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public TimeZoneInfo GetTimeZoneById(string timeZoneId) => Resolve(timeZoneId);

    private static TimeZoneInfo Resolve(string timeZoneId)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            if (timeZoneId is ChinaStandardTime or "China Standard Time")
            {
                return FixedChina;
            }

            throw new InvalidOperationException($"time zone '{timeZoneId}' is not known on this machine ({SchedulingOptions.Section}:TimeZone)", e);
        }
    }
}
