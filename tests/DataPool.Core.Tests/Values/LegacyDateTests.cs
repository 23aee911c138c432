using DataPool.Core.Values;

namespace DataPool.Core.Tests.Values;

public class LegacyDateTests
{
    [TestCase("1957-03-02")]
    [TestCase("1957/3/2")]
    [TestCase("1957/03/02")]
    [TestCase("1957-3-2")]
    [TestCase("19570302")]
    [TestCase("19570302.0")]
    [TestCase("1957.3.2")]
    [TestCase("1957.03.02")]
    [TestCase("1957年3月2日")]
    [TestCase("1957年03月02日")]
    [TestCase("1957年3月2号")]
    [TestCase("1957年3月2")]
    [TestCase("1957 年 3 月 2 日")]
    [TestCase("1957-03-02 00:00:00")]
    [TestCase("1957-03-02T00:00:00")]
    [TestCase("1957-03-02T08:30:15.123Z")]
    [TestCase("1957/3/2 0:00")]
    [TestCase("1957-03-02 23:59")]
    [TestCase("１９５７－０３－０２")]
    [TestCase("１９５７年３月２日")]
    [TestCase("１９５７０３０２")]
    [TestCase("  1957-03-02  ")]
    [TestCase("\u30001957-03-02\u3000")]
    [TestCase("\t1957/3/2\n")]
    [TestCase("20881")]
    [TestCase("20881.0")]
    [TestCase("２０８８１")]
    public void Every_legacy_form_of_1957_03_02_parses(string raw)
    {
        Assert.Multiple(() =>
        {
            Assert.That(LegacyDate.TryParse(raw, out var date, out var error), Is.True, error);
            Assert.That(date, Is.EqualTo(new DateOnly(1957, 3, 2)));
            Assert.That(error, Is.Null);
        });
    }

    [TestCase(1, 1900, 1, 1)]
    [TestCase(2, 1900, 1, 2)]
    [TestCase(59, 1900, 2, 28)]
    [TestCase(61, 1900, 3, 1)]
    [TestCase(367, 1901, 1, 1)]
    [TestCase(36526, 2000, 1, 1)]
    [TestCase(45658, 2025, 1, 1)]
    [TestCase(99999, 2173, 10, 13)]
    public void Excel_serials_follow_excel(int serial, int year, int month, int day)
    {
        Assert.Multiple(() =>
        {
            Assert.That(LegacyDate.TryParse(serial.ToString(), out var date, out var error), Is.True, error);
            Assert.That(date, Is.EqualTo(new DateOnly(year, month, day)));
        });
    }

    [Test]
    public void Excel_serial_45658_is_new_year_2025_by_day_count()
    {
        // Independent arithmetic: days from 1899-12-30 (Excel's effective epoch past the fake leap day).
        var expected = new DateOnly(2025, 1, 1);
        Assert.That(expected.DayNumber - new DateOnly(1899, 12, 30).DayNumber, Is.EqualTo(45658));
        Assert.That(LegacyDate.TryParse("45658", out var date, out _) && date == expected, Is.True);
    }

    [TestCase("1957-02-30", "1957-02-30 is not a date")]
    [TestCase("1957/2/30", "1957-02-30 is not a date")]
    [TestCase("19570230", "1957-02-30 is not a date")]
    [TestCase("1957-13-01", "1957-13-01 is not a date")]
    [TestCase("1957-00-10", "1957-00-10 is not a date")]
    [TestCase("1957年2月29日", "1957-02-29 is not a date")]
    [TestCase("1900-02-29", "1900-02-29 is not a date")]
    [TestCase("00000101", "0000-01-01 is not a date")]
    [TestCase("19571332", "1957-13-32 is not a date")]
    [TestCase("60", "Excel serial 60 is 1900-02-29, which is not a date")]
    [TestCase("0", "Excel serial 0 is not a date")]
    [TestCase("abc", "'abc' is not a recognised date format")]
    [TestCase("1957-03", "'1957-03' is not a recognised date format")]
    [TestCase("195703", "'195703' is not a recognised date format")]
    [TestCase("123456789", "'123456789' is not a recognised date format")]
    [TestCase("57-03-02", "'57-03-02' is not a recognised date format")]
    [TestCase("02/03/1957", "'02/03/1957' is not a recognised date format")]
    [TestCase("1957-03/02", "'1957-03/02' is not a recognised date format")]
    [TestCase("1957-03-02 25:00", "'1957-03-02 25:00' is not a recognised date format")]
    [TestCase("1957-03-02 abc", "'1957-03-02 abc' is not a recognised date format")]
    [TestCase("20881.5", "'20881.5' is not a recognised date format")]
    [TestCase("１９５７－０２－３０", "1957-02-30 is not a date")]
    [TestCase("  abc  ", "'abc' is not a recognised date format")]
    public void Bad_dates_say_why(string raw, string expectedError)
    {
        Assert.Multiple(() =>
        {
            Assert.That(LegacyDate.TryParse(raw, out var date, out var error), Is.False);
            Assert.That(error, Is.EqualTo(expectedError));
            Assert.That(date, Is.EqualTo(default(DateOnly)));
        });
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase(" \u3000 ")]
    public void Empty_is_an_error(string? raw)
    {
        Assert.Multiple(() =>
        {
            Assert.That(LegacyDate.TryParse(raw, out _, out var error), Is.False);
            Assert.That(error, Is.EqualTo("date is empty"));
        });
    }

    [Test]
    public void A_long_value_is_quoted_short()
    {
        var raw = new string('z', 200);
        Assert.Multiple(() =>
        {
            Assert.That(LegacyDate.TryParse(raw, out _, out var error), Is.False);
            Assert.That(error, Is.EqualTo($"'{new string('z', 40)}…' is not a recognised date format"));
        });
    }

    [Test]
    public void Eight_digits_are_always_a_calendar_date_never_a_serial()
    {
        Assert.Multiple(() =>
        {
            Assert.That(LegacyDate.TryParse("20250101", out var date, out _), Is.True);
            Assert.That(date, Is.EqualTo(new DateOnly(2025, 1, 1)));
        });
    }
}
