namespace DataPool.Connectors.Excel.Tests;

public sealed class NumberFormatsTests
{
    [TestCase("yyyy-mm-dd")]
    [TestCase("yyyy\"年\"m\"月\"d\"日\"")]
    [TestCase("[$-804]yyyy\"年\"m\"月\"d\"日\";@")]
    [TestCase("[DBNum1][$-804]yyyy\"年\"m\"月\"")]
    [TestCase("h:mm:ss")]
    [TestCase("[h]:mm")]
    [TestCase("m/d/yy h:mm")]
    public void Date_and_time_formats_are_dates(string format) =>
        Assert.That(NumberFormats.IsDateTime(-1, format), Is.True);

    [TestCase("General")]
    [TestCase("0")]
    [TestCase("0.00")]
    [TestCase("#,##0.00_);[Red](#,##0.00)")]
    [TestCase("0.00E+00")]
    [TestCase("0%")]
    [TestCase("#,##0 \"元\"")]
    [TestCase("\"day \"0")]
    [TestCase("\\d0")]
    [TestCase("[Red]0")]
    [TestCase("0;[Red]-0;\"zero is d\"")]
    [TestCase("@")]
    [TestCase("")]
    public void Number_formats_are_not_dates(string format) =>
        Assert.That(NumberFormats.IsDateTime(-1, format), Is.False);

    [TestCase(14, true)]
    [TestCase(22, true)]
    [TestCase(31, true)]
    [TestCase(58, true)]
    [TestCase(0, false)]
    [TestCase(2, false)]
    [TestCase(49, false)]
    public void Builtin_format_ids(int id, bool isDate) =>
        Assert.That(NumberFormats.IsDateTime(id, null), Is.EqualTo(isDate));

    [TestCase("000000", true)]
    [TestCase("00", true)]
    [TestCase("0", false)]
    [TestCase("0.00", false)]
    [TestCase("#000", false)]
    [TestCase(null, false)]
    public void Zero_padded_formats(string? format, bool padded) =>
        Assert.That(NumberFormats.IsZeroPadded(format), Is.EqualTo(padded));

    [TestCase(3.0, "3")]
    [TestCase(-0.5, "-0.5")]
    [TestCase(1e-7, "0.0000001")]
    [TestCase(12345678901234.5, "12345678901234.5")]
    [TestCase(1e20, "100000000000000000000")]
    public void Numbers_are_plain_invariant_text(double value, string text) =>
        Assert.That(CellReader.FormatNumber(value), Is.EqualTo(text));
}
