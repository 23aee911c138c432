using DataPool.Core.Values;

namespace DataPool.Core.Tests.Values;

public class IdNumberTests
{
    // The example from GB 11643-1999 itself: Chaoyang, 1949-12-31, sequence 002, check X.
    private const string Standard = "11010519491231002X";
    // Dongcheng, 1957-03-02, sequence 123 (male); weighted sum 146, 146 % 11 = 3 -> '9'.
    private const string Male1957 = "110101195703021239";

    [Test]
    public void CheckCharacter_of_the_standard_example_is_X()
    {
        Assert.That(IdNumber.CheckCharacter("11010519491231002"), Is.EqualTo('X'));
    }

    [TestCase("11010119570302123", '9')]
    [TestCase("44052418800101001", '4')]
    [TestCase("00000000000000000", '1')]
    [TestCase("00000000000000001", 'X')] // weight 2 -> sum 2 -> "10X98765432"[2]
    public void CheckCharacter_follows_the_weights(string first17, char expected)
    {
        Assert.That(IdNumber.CheckCharacter(first17), Is.EqualTo(expected));
    }

    [TestCase("1101011957030212")]
    [TestCase("110101195703021234")]
    [TestCase("1101011957030212A")]
    [TestCase("１1010119570302123")]
    public void CheckCharacter_rejects_anything_but_17_ascii_digits(string first17)
    {
        Assert.Throws<ArgumentException>(() => IdNumber.CheckCharacter(first17));
    }

    [TestCase(Standard)]
    [TestCase(Male1957)]
    public void A_clean_id_comes_back_as_the_same_instance(string id)
    {
        Assert.Multiple(() =>
        {
            Assert.That(IdNumber.TryNormalise(id, out var normalised, out var error), Is.True, error);
            Assert.That(normalised, Is.SameAs(id));
        });
    }

    [TestCase("11010519491231002x", Standard, Description = "lower-case x")]
    [TestCase("１１０１０５１９４９１２３１００２Ｘ", Standard, Description = "full-width digits and X")]
    [TestCase("１１０１０５１９４９１２３１００２ｘ", Standard, Description = "full-width lower-case x")]
    [TestCase("  11010519491231002X  ", Standard, Description = "surrounding spaces")]
    [TestCase("\t11010519491231002X\r\n", Standard, Description = "tab and line break")]
    [TestCase("\u300011010519491231002X\u3000", Standard, Description = "ideographic spaces around")]
    [TestCase("110105 19491231 002X", Standard, Description = "spaces inside")]
    [TestCase("110105-19491231-002X", Standard, Description = "hyphens inside")]
    [TestCase("110105\u300019491231\u3000002x", Standard, Description = "ideographic spaces inside")]
    [TestCase("110105\u00A019491231\u00A0002X", Standard, Description = "no-break spaces inside")]
    [TestCase("１１０１０５－１９４９１２３１－００２Ｘ", Standard, Description = "full-width hyphens")]
    [TestCase("'11010519491231002X", Standard, Description = "Excel text apostrophe")]
    [TestCase("110101570302123", Male1957, Description = "15-digit")]
    [TestCase(" 110101 570302 123 ", Male1957, Description = "15-digit with spaces")]
    [TestCase("１１０１０１５７０３０２１２３", Male1957, Description = "15-digit full-width")]
    public void Dirty_forms_normalise(string raw, string expected)
    {
        Assert.Multiple(() =>
        {
            Assert.That(IdNumber.TryNormalise(raw, out var normalised, out var error), Is.True, error);
            Assert.That(normalised, Is.EqualTo(expected));
        });
    }

    [TestCase("1101051949123100X", "has 17 characters, expected 18 (or 15)")]
    [TestCase("11010519491231002X1", "has 19 characters, expected 18 (or 15)")]
    [TestCase("11010157030212", "has 14 characters, expected 18 (or 15)")]
    [TestCase("张三", "has 2 characters, expected 18 (or 15)")]
    [TestCase("1101A519491231002X", "contains 'A' at position 5")]
    [TestCase("110105194912310X2X", "contains 'X' at position 16")]
    [TestCase("11010157030212X", "contains 'X' at position 15")]
    [TestCase("110101195713321234", "birth date 19571332 is not a date")]
    [TestCase("110101195702301234", "birth date 19570230 is not a date")]
    [TestCase("110101571332123", "birth date 19571332 is not a date")]
    [TestCase("440524188001010014", "birth date 18800101 is before 1900")]
    [TestCase("110101299901011234", "birth date 29990101 is in the future")]
    [TestCase("110101195703021233", "check character is '3', expected '9'")]
    [TestCase("110105194912310021", "check character is '1', expected 'X'")]
    public void Invalid_ids_say_why(string raw, string expectedError)
    {
        Assert.Multiple(() =>
        {
            Assert.That(IdNumber.TryNormalise(raw, out var normalised, out var error), Is.False);
            Assert.That(error, Is.EqualTo(expectedError));
            Assert.That(normalised, Is.Null);
        });
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    [TestCase("\u3000")]
    public void Empty_ids_are_errors(string? raw)
    {
        Assert.Multiple(() =>
        {
            Assert.That(IdNumber.TryNormalise(raw, out _, out var error), Is.False);
            Assert.That(error, Is.EqualTo("ID number is empty"));
        });
    }

    [Test]
    public void A_birth_date_of_today_is_accepted_and_tomorrow_is_not()
    {
        var today = DateOnly.FromDateTime(DateTime.Now);
        // Skip the minute around midnight, when "today" may move under the test.
        Assume.That(DateTime.Now.TimeOfDay, Is.LessThan(TimeSpan.FromHours(24) - TimeSpan.FromMinutes(2)));
        Assume.That(DateTime.Now.TimeOfDay, Is.GreaterThan(TimeSpan.FromMinutes(2)));
        Assert.Multiple(() =>
        {
            Assert.That(IdNumber.TryNormalise(Build("110101", today, 1), out _, out var error), Is.True, error);
            Assert.That(IdNumber.TryNormalise(Build("110101", today.AddDays(1), 1), out _, out error), Is.False);
            Assert.That(error, Does.EndWith("is in the future"));
        });
    }

    [Test]
    public void BirthDate_reads_the_date()
    {
        Assert.Multiple(() =>
        {
            Assert.That(IdNumber.BirthDate(Standard), Is.EqualTo(new DateOnly(1949, 12, 31)));
            Assert.That(IdNumber.BirthDate(Male1957), Is.EqualTo(new DateOnly(1957, 3, 2)));
        });
    }

    [TestCase("11010119570302123")]
    [TestCase("110101195713021234")]
    public void BirthDate_rejects_invalid_ids(string id)
    {
        Assert.Throws<ArgumentException>(() => IdNumber.BirthDate(id));
    }

    [TestCase(Standard, "2")]
    [TestCase(Male1957, "1")]
    [TestCase("110101195703021255", "1")]
    [TestCase("110101195703021263", "2")]
    public void GenderCode_follows_sequence_parity(string id, string expected)
    {
        Assert.That(IdNumber.GenderCode(id), Is.EqualTo(expected));
    }

    [Test]
    public void GenderCode_rejects_short_ids()
    {
        Assert.Throws<ArgumentException>(() => IdNumber.GenderCode("110101570302123"));
    }

    /// <summary>Builds an 18-character ID the slow, obvious way, independent of the parser.</summary>
    internal static string Build(string address, DateOnly birth, int sequence)
    {
        var first17 = $"{address}{birth:yyyyMMdd}{sequence:D3}";
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * weights[i];
        }
        return first17 + "10X98765432"[sum % 11];
    }
}
