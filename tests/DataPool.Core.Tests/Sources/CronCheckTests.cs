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
    public void Plausible(string expression) => Assert.That(CronCheck.Problem(expression), Is.Null);

    [TestCase("", "empty")]
    [TestCase("every day", "2 field(s)")]
    [TestCase("0 2 * *", "4 field(s)")]
    [TestCase("0 0 0 2 * * *", "7 field(s)")]
    [TestCase("60 * * * *", "minute '60': 60 is not within 0-59")]
    [TestCase("0 24 * * *", "hour '24'")]
    [TestCase("0 0 0 * *", "day-of-month '0'")]
    [TestCase("0 0 * 13 *", "month '13'")]
    [TestCase("0 0 * * 8", "day-of-week '8'")]
    [TestCase("0 0 * * MON-XYZ", "'XYZ' is not a number or one of SUN")]
    [TestCase("*/0 * * * *", "step '0'")]
    [TestCase("0 18-8 * * *", "runs backwards")]
    [TestCase("0 0 * * 1,,2", "empty list item")]
    [TestCase("0 ? * * *", "hour '?'")]
    [TestCase("@sometimes", "not a known macro")]
    public void Implausible(string expression, string fragment) =>
        Assert.That(CronCheck.Problem(expression), Does.Contain(fragment));
}
