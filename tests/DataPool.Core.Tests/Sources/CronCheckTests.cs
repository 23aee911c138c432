using DataPool.Core.Sources;

namespace DataPool.Core.Tests.Sources;

public class CronCheckTests
{
    [TestCase("0 2 * * *")]
    [TestCase("*/15 * * * *")]
    [TestCase("0 8-18/2 * * MON-FRI")]
    [TestCase("30 1 1,15 * *")]
    [TestCase("0 0 L * *")]
    [TestCase("0 0 15W * ?")]
    [TestCase("0 0 ? * FRI#2")]
    [TestCase("0 0 * jan,jul 5L")]
    [TestCase("0 0 2 * * *")]
    [TestCase("0 0 * * 7")]
    [TestCase("@daily")]
    [TestCase("  0 2 * * *  ")]
    [TestCase("0 18-8 * * *")] // Cronos (and so Hangfire) reads a backward range as wrapping past midnight
    [TestCase("0 ? * * *")]
    public void Plausible(string expression) => Assert.That(CronCheck.Problem(expression), Is.Null);

    [TestCase("", "empty")]
    [TestCase("every day", "2 field(s)")]
    [TestCase("0 2 * *", "4 field(s)")]
    [TestCase("0 0 0 2 * * *", "7 field(s)")]
    [TestCase("60 * * * *", "Minutes: Value must be a number between 0 and 59")]
    [TestCase("0 24 * * *", "Hours:")]
    [TestCase("0 0 0 * *", "Days of month:")]
    [TestCase("0 0 * 13 *", "Months:")]
    [TestCase("0 0 * * 8", "Days of week:")]
    [TestCase("0 0 * * MON-XYZ", "Days of week:")]
    [TestCase("*/0 * * * *", "Minutes:")]
    [TestCase("0 0 * * 1,,2", "Days of week:")]
    [TestCase("@sometimes", "Macro:")]
    public void Implausible(string expression, string fragment) =>
        Assert.That(CronCheck.Problem(expression), Does.Contain(fragment));

    [Test]
    public void Next_run_is_reckoned_in_Beijing_time()
    {
        // 02:00 in Beijing is 18:00 UTC the day before.
        var next = CronCheck.Next("0 2 * * *", new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        Assert.That(next, Is.EqualTo(new DateTimeOffset(2026, 12, 6, 18, 0, 0, TimeSpan.Zero)));
    }
}
