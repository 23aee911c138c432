using DataPool.Core.Values;

namespace DataPool.Core.Tests.Values;

public class NumbersTests
{
    [TestCase("1100", 1100L)]
    [TestCase("1,100", 1100L)]
    [TestCase("1,100,000", 1100000L)]
    [TestCase("１，１００", 1100L)]
    [TestCase("１１００", 1100L)]
    [TestCase("¥1,100", 1100L)]
    [TestCase("￥1100", 1100L)]
    [TestCase("¥ 1100", 1100L)]
    [TestCase("1100元", 1100L)]
    [TestCase("1,100 元", 1100L)]
    [TestCase("¥1,100元", 1100L)]
    [TestCase("  1100  ", 1100L)]
    [TestCase("\u30001100\u3000", 1100L)]
    [TestCase("-5", -5L)]
    [TestCase("+5", 5L)]
    [TestCase("-¥5", -5L)]
    [TestCase("¥-5", -5L)]
    [TestCase("0", 0L)]
    [TestCase("12.0", 12L)]
    [TestCase("12.00", 12L)]
    [TestCase("9223372036854775807", long.MaxValue)]
    [TestCase("-9223372036854775808", long.MinValue)]
    public void Ints_parse(string raw, long expected)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Numbers.TryParseInt(raw, out var value, out var error), Is.True, error);
            Assert.That(value, Is.EqualTo(expected));
        });
    }

    [TestCase("12.5", "'12.5' is not a whole number")]
    [TestCase("abc", "'abc' is not a number")]
    [TestCase("12abc", "'12abc' is not a number")]
    [TestCase("1 100", "'1 100' is not a number")]
    [TestCase("¥", "'¥' is not a number")]
    [TestCase("元", "'元' is not a number")]
    [TestCase("--5", "'--5' is not a number")]
    [TestCase("9223372036854775808", "'9223372036854775808' is out of range")]
    [TestCase("99999999999999999999999999999999", "'99999999999999999999999999999999' is out of range")]
    [TestCase("", "number is empty")]
    [TestCase("  ", "number is empty")]
    [TestCase(null, "number is empty")]
    public void Bad_ints_say_why(string? raw, string expectedError)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Numbers.TryParseInt(raw, out var value, out var error), Is.False);
            Assert.That(error, Is.EqualTo(expectedError));
            Assert.That(value, Is.Zero);
        });
    }

    [TestCase("1100", "1100")]
    [TestCase("1,100.50", "1100.50")]
    [TestCase("¥1,100.5元", "1100.5")]
    [TestCase("１，１００．２５", "1100.25")]
    [TestCase("-0.5", "-0.5")]
    [TestCase(".5", "0.5")]
    [TestCase(" 3.14159 ", "3.14159")]
    [TestCase("-¥ 12.3", "-12.3")]
    public void Decimals_parse(string raw, string expected)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Numbers.TryParseDecimal(raw, out var value, out var error), Is.True, error);
            Assert.That(value, Is.EqualTo(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)));
        });
    }

    [TestCase("1.2.3", "'1.2.3' is not a number")]
    [TestCase("1,100,50元整", "'1,100,50元整' is not a number")]
    [TestCase("one", "'one' is not a number")]
    [TestCase("1e5", "'1e5' is not a number")]
    public void Bad_decimals_say_why(string raw, string expectedError)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Numbers.TryParseDecimal(raw, out _, out var error), Is.False);
            Assert.That(error, Is.EqualTo(expectedError));
        });
    }

    [Test]
    public void Decimals_ignore_the_current_culture()
    {
        var saved = Thread.CurrentThread.CurrentCulture;
        try
        {
            // German uses ',' for decimals and '.' for thousands.
            Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.That(Numbers.TryParseDecimal("1,100.5", out var value, out _) && value == 1100.5m, Is.True);
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = saved;
        }
    }

    [TestCase("是", true)]
    [TestCase("否", false)]
    [TestCase("有", true)]
    [TestCase("无", false)]
    [TestCase("Y", true)]
    [TestCase("y", true)]
    [TestCase("N", false)]
    [TestCase("n", false)]
    [TestCase("yes", true)]
    [TestCase("YES", true)]
    [TestCase("No", false)]
    [TestCase("true", true)]
    [TestCase("True", true)]
    [TestCase("FALSE", false)]
    [TestCase("1", true)]
    [TestCase("0", false)]
    [TestCase("√", true)]
    [TestCase("×", false)]
    [TestCase("✓", true)]
    [TestCase("Ｙ", true)]
    [TestCase("１", true)]
    [TestCase(" 是 ", true)]
    [TestCase("\u3000否\u3000", false)]
    public void Bools_parse(string raw, bool expected)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Numbers.TryParseBool(raw, out var value, out var error), Is.True, error);
            Assert.That(value, Is.EqualTo(expected));
        });
    }

    [TestCase("maybe", "'maybe' is not a yes/no value")]
    [TestCase("2", "'2' is not a yes/no value")]
    [TestCase("是的吧", "'是的吧' is not a yes/no value")]
    [TestCase("", "value is empty")]
    [TestCase(null, "value is empty")]
    public void Bad_bools_say_why(string? raw, string expectedError)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Numbers.TryParseBool(raw, out var value, out var error), Is.False);
            Assert.That(error, Is.EqualTo(expectedError));
            Assert.That(value, Is.False);
        });
    }
}
