using Cronos;

namespace DataPool.Core.Sources;

/// <summary>
/// Checks a schedule with Cronos, the parser Hangfire itself uses, so a bad schedule fails when the definition is
/// loaded rather than when Hangfire first fires it. Five fields, or six with seconds first, or a macro.
/// </summary>
public static class CronCheck
{
    /// <summary>China Standard Time: schedules, and the next run shown to people, are Beijing time.</summary>
    public static readonly TimeZoneInfo Beijing = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>Null when <paramref name="expression"/> parses; otherwise why it does not.</summary>
    public static string? Problem(string expression)
    {
        var text = expression.Trim();
        if (text.Length == 0)
        {
            return "an empty schedule; leave it out (or null) for manual syncs only";
        }

        var fields = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Length;
        if (!text.StartsWith('@') && fields is not (5 or 6))
        {
            return $"'{text}' has {fields} field(s); a cron expression has 5 (minute hour day-of-month month day-of-week) or 6 (seconds first)";
        }

        try
        {
            Parse(text);
            return null;
        }
        catch (CronFormatException e)
        {
            // Cronos opens every message with the same sentence; what follows names the field and the rule.
            return $"'{text}': {e.Message.Replace("The given cron expression has an invalid format. ", "", StringComparison.Ordinal)}";
        }
    }

    /// <summary>The next time the schedule fires after <paramref name="after"/>, reckoned in Beijing time; null if never.</summary>
    public static DateTimeOffset? Next(string expression, DateTimeOffset after) =>
        Parse(expression.Trim()).GetNextOccurrence(after, Beijing);

    private static CronExpression Parse(string text) =>
        CronExpression.Parse(text, text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
}
