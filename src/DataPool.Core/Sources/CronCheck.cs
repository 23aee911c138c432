using System.Globalization;

namespace DataPool.Core.Sources;

/// <summary>
/// A structural check of cron expressions, so a bad schedule fails when the definition is loaded rather
/// than when Hangfire (Cronos) first parses it. It accepts the Cronos dialect: 5 fields, or 6 with seconds
/// first; lists, ranges, steps, month and weekday names, <c>?</c>, <c>L</c>, <c>W</c>, <c>#</c> and macros.
/// </summary>
public static class CronCheck
{
    private static readonly string[] Macros =
        ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly", "@every_minute", "@every_second"];

    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    private sealed record Part(string Name, int Min, int Max, string[]? Names = null, int NameBase = 0);

    private static readonly Part Second = new("second", 0, 59);
    private static readonly Part Minute = new("minute", 0, 59);
    private static readonly Part Hour = new("hour", 0, 23);
    private static readonly Part DayOfMonth = new("day-of-month", 1, 31);
    private static readonly Part Month = new("month", 1, 12, MonthNames, 1);
    private static readonly Part DayOfWeek = new("day-of-week", 0, 7, DayNames);

    /// <summary>Null when <paramref name="expression"/> is plausible; otherwise why it is not.</summary>
    public static string? Problem(string expression)
    {
        var text = expression.Trim();
        if (text.Length == 0)
        {
            return "an empty schedule; leave it out (or null) for manual syncs only";
        }

        if (text.StartsWith('@'))
        {
            return Macros.Contains(text, StringComparer.OrdinalIgnoreCase)
                ? null
                : $"'{text}' is not a known macro ({string.Join(", ", Macros)})";
        }

        var fields = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        Part[] parts = fields.Length switch
        {
            5 => [Minute, Hour, DayOfMonth, Month, DayOfWeek],
            6 => [Second, Minute, Hour, DayOfMonth, Month, DayOfWeek],
            _ => [],
        };
        if (parts.Length == 0)
        {
            return $"'{text}' has {fields.Length} field(s); a cron expression has 5 (minute hour day-of-month month day-of-week) or 6 (seconds first)";
        }

        var problems = fields.Zip(parts).Select(f => FieldProblem(f.First, f.Second)).OfType<string>().ToList();
        return problems.Count == 0 ? null : $"'{text}': {string.Join("; ", problems)}";
    }

    private static string? FieldProblem(string field, Part part)
    {
        foreach (var item in field.Split(','))
        {
            if (ItemProblem(item.ToUpperInvariant(), part) is { } problem)
            {
                return $"{part.Name} '{field}': {problem}";
            }
        }

        return null;
    }

    private static string? ItemProblem(string item, Part part)
    {
        if (item.Length == 0)
        {
            return "an empty list item";
        }

        var slash = item.IndexOf('/');
        var range = slash < 0 ? item : item[..slash];
        if (slash >= 0)
        {
            var step = item[(slash + 1)..];
            if (!int.TryParse(step, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > part.Max - part.Min + 1)
            {
                return $"step '{step}' is not a number within 1-{part.Max - part.Min + 1}";
            }
        }

        if (range is "*" || (range is "?" && (part == DayOfMonth || part == DayOfWeek)))
        {
            return null;
        }

        if (slash < 0 && SpecialProblem(range, part) is { } special)
        {
            return special.Length == 0 ? null : special;
        }

        var dash = range.IndexOf('-');
        if (dash < 0)
        {
            return ValueProblem(range, part, out _);
        }

        if (ValueProblem(range[..dash], part, out var low) is { } lowProblem)
        {
            return lowProblem;
        }

        if (ValueProblem(range[(dash + 1)..], part, out var high) is { } highProblem)
        {
            return highProblem;
        }

        return low <= high ? null : $"range '{range}' runs backwards";
    }

    /// <summary>
    /// The day forms Cronos accepts: <c>L</c>, <c>L-3</c>, <c>LW</c>, <c>15W</c> (day of month), <c>5L</c>,
    /// <c>FRI#2</c> (day of week). "" means accepted; null means "not a special form, check it as a value".
    /// </summary>
    private static string? SpecialProblem(string item, Part part)
    {
        if (part == DayOfMonth)
        {
            if (item is "L" or "LW")
            {
                return "";
            }

            if (item.StartsWith("L-", StringComparison.Ordinal))
            {
                return int.TryParse(item[2..], NumberStyles.None, CultureInfo.InvariantCulture, out var offset) && offset <= 30
                    ? ""
                    : $"'{item}' is not L-n with n within 0-30";
            }

            if (item.EndsWith('W'))
            {
                return ValueProblem(item[..^1], part, out _) ?? "";
            }
        }
        else if (part == DayOfWeek)
        {
            if (item is "L")
            {
                return "";
            }

            if (item.EndsWith('L') && item.Length > 1)
            {
                return ValueProblem(item[..^1], part, out _) ?? "";
            }

            var hash = item.IndexOf('#');
            if (hash > 0)
            {
                var nth = item[(hash + 1)..];
                return ValueProblem(item[..hash], part, out _)
                    ?? (nth is "1" or "2" or "3" or "4" or "5" ? "" : $"'#{nth}' is not a week within 1-5");
            }
        }

        return null;
    }

    private static string? ValueProblem(string text, Part part, out int value)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            return value >= part.Min && value <= part.Max ? null : $"{value} is not within {part.Min}-{part.Max}";
        }

        var index = part.Names is null ? -1 : Array.IndexOf(part.Names, text);
        if (index >= 0)
        {
            value = index + part.NameBase;
            return null;
        }

        return part.Names is null
            ? $"'{text}' is not a number"
            : $"'{text}' is not a number or one of {string.Join(", ", part.Names)}";
    }
}
