using System.Globalization;
using Cronos;

namespace DataPool.Server.Scheduling;

/// <summary>When a schedule runs next, as people read it: in the scheduler's zone (Beijing time by default).</summary>
public static class NextRuns
{
    /// <summary>The next occurrence after <paramref name="now"/>, ISO 8601 with the zone's offset; null without a (valid) schedule.</summary>
    public static string? After(string? cron, DateTimeOffset now, TimeZoneInfo zone)
    {
        if (string.IsNullOrWhiteSpace(cron))
        {
            return null;
        }

        var format = cron.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        if (!CronExpression.TryParse(cron.Trim(), format, out var expression))
        {
            return null;
        }

        return expression.GetNextOccurrence(now, zone)?.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
    }
}
